package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.executor.http.JsonHttp;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a {@link GitHubRequest} through the executor's one HTTP path ({@link JsonHttp}) to the
 * configured API and reads the answer: status, rate-limit headers, JSON body and the next page. It
 * never sends a request twice by itself: the {@link RequestGate} decides every retry, after looking
 * whether a write took effect.
 */
public final class HttpTransport implements GitHubHttp {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

    private final JsonHttp http;
    private final String baseUrl;

    public HttpTransport(HttpClient http, String baseUrl, Duration timeout) {
        this.http = new JsonHttp(http, timeout);
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /**
     * An HTTP client that follows redirects (GitHub's 301 for a renamed repo) within the timeout.
     */
    public static HttpClient client(Duration timeout) {
        return JsonHttp.client(timeout);
    }

    @Override
    public GitHubAnswer send(GitHubRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/vnd.github+json");
        headers.put("X-GitHub-Api-Version", "2022-11-28");
        if (request.authorization() != null) {
            headers.put("Authorization", request.authorization());
        }
        if (request.ifNoneMatch() != null) {
            headers.put("If-None-Match", request.ifNoneMatch());
        }
        JsonHttp.Exchange response;
        try {
            response =
                    http.send(
                            request.method(),
                            URI.create(baseUrl + request.path()),
                            headers,
                            request.body());
        } catch (JsonHttp.NoAnswer e) {
            throw new GitHubException(
                    what(request)
                            + (e.interrupted()
                                    ? ": interrupted"
                                    : ": got no answer (" + e.getCause().getMessage() + ")"),
                    0,
                    null,
                    e.getCause());
        }
        GitHubResponse seen = GitHubResponse.of(response.status(), response.headers().map());
        String etag = response.header("etag").orElse(null);
        if (response.status() == 304 && request.ifNoneMatch() != null) {
            // the caller's copy is current: an answer (free of GitHub's quota), not a failure
            return new GitHubAnswer(seen, null, null, etag != null ? etag : request.ifNoneMatch());
        }
        if (response.status() >= 300) {
            String message = messageOf(response.body());
            throw new GitHubException(
                    what(request) + ": GitHub answered " + response.status() + " (" + message + ")",
                    response.status(),
                    seen,
                    null,
                    GitHubException.isSecondaryLimitMessage(message));
        }
        return new GitHubAnswer(
                seen,
                json(response.body(), request, seen),
                response.header("link").map(this::nextPage).orElse(null),
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
