package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The few endpoints hub4j 1.330 has no method for (rerun of failed jobs, assignees and reviewers by
 * login, deleting a comment by id), sent with the same base URL, token and response recorder.
 */
final class RestCalls {
    private final HttpClient http;
    private final String baseUrl;
    private final Credentials credentials;
    private final Duration timeout;
    private final ResponseRecorder recorder;

    RestCalls(
            HttpClient http,
            String baseUrl,
            Credentials credentials,
            Duration timeout,
            ResponseRecorder recorder) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        this.timeout = timeout;
        this.recorder = recorder;
    }

    /** Sends {@code method path} with an optional JSON body; fails on any status >= 300. */
    void send(String repo, String method, String path, JsonNode body, String ref) {
        HttpRequest.BodyPublisher publisher =
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString());
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(timeout)
                        .header("Authorization", credentials.authorization(repo))
                        .header("Accept", "application/vnd.github+json")
                        .header("X-GitHub-Api-Version", "2022-11-28")
                        .header("Content-Type", "application/json")
                        .method(method, publisher)
                        .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GitHubException(
                    method + " " + path + " for " + ref + " got no answer: " + e.getMessage(),
                    0,
                    null,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException(
                    method + " " + path + " for " + ref + " interrupted", 0, null, e);
        }
        GitHubResponse seen = GitHubResponse.of(response.statusCode(), response.headers().map());
        recorder.record(seen);
        if (response.statusCode() >= 300) {
            String message = messageOf(response.body());
            throw new GitHubException(
                    "GitHub answered "
                            + response.statusCode()
                            + " to "
                            + method
                            + " "
                            + path
                            + " for "
                            + ref
                            + ": "
                            + message,
                    response.statusCode(),
                    seen,
                    null,
                    GitHubException.isSecondaryLimitMessage(message));
        }
    }

    static JsonNode namesBody(String field, java.util.List<String> names) {
        var node = Json.mapper().createObjectNode();
        var array = node.putArray(field);
        names.forEach(array::add);
        return node;
    }

    static String messageOf(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON: fall through to the raw text
        }
        return body == null || body.isBlank()
                ? "(no message)"
                : body.substring(0, Math.min(200, body.length()));
    }
}
