package io.repostream.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few REST calls the App commands make, with GitHub's recommended headers. A failure to reach
 * GitHub is an {@link UncheckedIOException} (the launcher's "could not start"); an answer, whatever
 * its status, is returned.
 */
final class GitHubRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    record Answer(int status, JsonNode body, Optional<String> next) {
        /** GitHub's {@code message}, or the status alone. */
        String message() {
            return body.hasNonNull("message") ? body.path("message").asText() : "HTTP " + status;
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String apiUrl;

    GitHubRest(String apiUrl) {
        this.apiUrl = apiUrl;
    }

    Answer post(String path, String bearer) {
        return send("POST", apiUrl + path, bearer);
    }

    /** {@code pathOrUrl}: a path under the API, or a full URL from a {@code Link} header. */
    Answer get(String pathOrUrl, String bearer) {
        return send("GET", pathOrUrl.startsWith("http") ? pathOrUrl : apiUrl + pathOrUrl, bearer);
    }

    private Answer send(String method, String url, String bearer) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .header("Accept", "application/vnd.github+json")
                        .header("X-GitHub-Api-Version", "2022-11-28")
                        .header("User-Agent", "repostream-cli")
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        String line = method + " " + URI.create(url).getPath();
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body =
                        response.body().isBlank()
                                ? JSON.createObjectNode()
                                : JSON.readTree(response.body());
            } catch (IOException e) {
                body = JSON.createObjectNode();
            }
            Optional<String> next =
                    response.headers()
                            .firstValue("Link")
                            .map(NEXT::matcher)
                            .filter(Matcher::find)
                            .map(m -> m.group(1));
            return new Answer(response.statusCode(), body, next);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot reach GitHub (" + line + " on " + apiUrl + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + line, e);
        }
    }
}
