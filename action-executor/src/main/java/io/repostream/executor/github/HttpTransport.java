package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a {@link GitHubRequest} over {@link HttpClient} to the configured API and reads the answer:
 * status, rate-limit headers, JSON body and the next page. It never sends a request twice by
 * itself: the {@link RequestGate} decides every retry, after looking whether a write took effect.
 */
public final class HttpTransport implements GitHubHttp {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

    private final HttpClient http;
    private final String baseUrl;
    private final Duration timeout;

    public HttpTransport(HttpClient http, String baseUrl, Duration timeout) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
    }

    /**
     * An HTTP client that follows redirects (GitHub's 301 for a renamed repo) within the timeout.
     */
    public static HttpClient client(Duration timeout) {
        return HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public GitHubAnswer send(GitHubRequest request) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(baseUrl + request.path()))
                        .timeout(timeout)
                        .header("Accept", "application/vnd.github+json")
                        .header("X-GitHub-Api-Version", "2022-11-28")
                        .method(
                                request.method(),
                                request.body() == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(
                                                request.body().toString()));
        if (request.body() != null) {
            builder.header("Content-Type", "application/json");
        }
        if (request.authorization() != null) {
            builder.header("Authorization", request.authorization());
        }
        if (request.ifNoneMatch() != null) {
            builder.header("If-None-Match", request.ifNoneMatch());
        }
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GitHubException(
                    what(request) + ": got no answer (" + e.getMessage() + ")", 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException(what(request) + ": interrupted", 0, null, e);
        }
        GitHubResponse seen = GitHubResponse.of(response.statusCode(), response.headers().map());
        String etag = response.headers().firstValue("etag").orElse(null);
        if (response.statusCode() == 304 && request.ifNoneMatch() != null) {
            // the caller's copy is current: an answer (free of GitHub's quota), not a failure
            return new GitHubAnswer(seen, null, null, etag != null ? etag : request.ifNoneMatch());
        }
        if (response.statusCode() >= 300) {
            String message = messageOf(response.body());
            throw new GitHubException(
                    what(request)
                            + ": GitHub answered "
                            + response.statusCode()
                            + " ("
                            + message
                            + ")",
                    response.statusCode(),
                    seen,
                    null,
                    GitHubException.isSecondaryLimitMessage(message));
        }
        return new GitHubAnswer(
                seen,
                json(response.body(), request, seen),
                response.headers().firstValue("link").map(this::nextPage).orElse(null),
                etag);
    }

    private static String what(GitHubRequest request) {
        return request.operation()
                + " for "
                + request.ref()
                + " ("
                + request.method()
                + " "
                + request.path()
                + ")";
    }

    private static JsonNode json(String body, GitHubRequest request, GitHubResponse seen) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new GitHubException(
                    what(request) + ": GitHub's answer is not JSON", seen.status(), seen, e);
        }
    }

    /** The next page's path below the base URL, from a {@code Link} header. */
    private String nextPage(String link) {
        Matcher m = NEXT.matcher(link);
        if (!m.find()) {
            return null;
        }
        String url = m.group(1);
        return url.startsWith(baseUrl)
                ? url.substring(baseUrl.length())
                : URI.create(url).getRawPath()
                        + (URI.create(url).getRawQuery() == null
                                ? ""
                                : "?" + URI.create(url).getRawQuery());
    }

    /** GitHub's {@code message}, or the start of a body that is not JSON. */
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
