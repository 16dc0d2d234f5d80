package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.http.JsonHttp;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
    private final HttpClient client;
    private final Duration timeout;
    private final String baseUrl;

    /** For downloads: GitHub's redirect is followed here, not by the client (see below). */
    private volatile JsonHttp noRedirects;

    public HttpTransport(HttpClient http, String baseUrl, Duration timeout) {
        this.http = new JsonHttp(http, timeout);
        this.client = http;
        this.timeout = timeout;
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
            JsonHttp via = request.download() == null ? http : noRedirects();
            response =
                    via.send(
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
        if (request.download() != null) {
            return download(request, response, seen);
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

    /**
     * GitHub's answer to a download: a redirect to a signed URL on another host, which is fetched
     * here without the request's {@code Authorization} (the client would forward it), or the file
     * itself. Only the last {@code maxBytes} are kept, so a huge log costs its transfer, not
     * memory.
     */
    private GitHubAnswer download(
            GitHubRequest request, JsonHttp.Exchange answer, GitHubResponse seen) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            return downloaded(seen, tail(bytes, request.download().maxBytes()), bytes.length);
        }
        String location = answer.header("location").orElse(null);
        if (status < 300 || status >= 400 || location == null) {
            String message = messageOf(answer.body());
            throw new GitHubException(
                    what(request) + ": GitHub answered " + status + " (" + message + ")",
                    status,
                    seen,
                    null,
                    GitHubException.isSecondaryLimitMessage(message));
        }
        URI file = URI.create(baseUrl).resolve(location);
        HttpRequest get =
                HttpRequest.newBuilder(file).timeout(timeout).header("Accept", "*/*").GET().build();
        HttpResponse<InputStream> fetched;
        try {
            fetched = client.send(get, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            // the signed URL is a credential for a minute: never in a message
            throw new GitHubException(
                    what(request) + ": the download GitHub redirected to got no answer",
                    0,
                    null,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException(what(request) + ": interrupted", 0, null, e);
        }
        try (InputStream in = fetched.body()) {
            if (fetched.statusCode() >= 300) {
                throw new GitHubException(
                        what(request)
                                + ": the download GitHub redirected to answered "
                                + fetched.statusCode(),
                        fetched.statusCode(),
                        seen,
                        null);
            }
            Tail tail = Tail.of(in, request.download().maxBytes());
            return downloaded(seen, tail.bytes(), tail.total());
        } catch (IOException e) {
            throw new GitHubException(
                    what(request)
                            + ": the download broke off ("
                            + e.getClass().getSimpleName()
                            + ")",
                    0,
                    null,
                    e);
        }
    }

    private static GitHubAnswer downloaded(GitHubResponse seen, byte[] kept, long total) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        // a cut through a multi-byte character, or a file that is not UTF-8, reads as U+FFFD
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE)
                            .decode(ByteBuffer.wrap(kept))
                            .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not fail", e);
        }
        body.put("text", text);
        body.put("bytes", total);
        body.put("truncated", total > kept.length);
        return new GitHubAnswer(seen, body, null, null);
    }

    private static byte[] tail(byte[] bytes, int max) {
        if (bytes.length <= max) {
            return bytes;
        }
        byte[] kept = new byte[max];
        System.arraycopy(bytes, bytes.length - max, kept, 0, max);
        return kept;
    }

    /** The last bytes of a stream, read through a ring buffer. */
    record Tail(byte[] bytes, long total) {
        static Tail of(InputStream in, int max) throws IOException {
            byte[] ring = new byte[max];
            byte[] chunk = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int off = 0; off < n; ) {
                    int at = (int) (total % max);
                    int len = Math.min(n - off, max - at);
                    System.arraycopy(chunk, off, ring, at, len);
                    off += len;
                    total += len;
                }
            }
            if (total <= max) {
                byte[] kept = new byte[(int) total];
                System.arraycopy(ring, 0, kept, 0, (int) total);
                return new Tail(kept, total);
            }
            int start = (int) (total % max);
            byte[] kept = new byte[max];
            System.arraycopy(ring, start, kept, 0, max - start);
            System.arraycopy(ring, 0, kept, max - start, start);
            return new Tail(kept, total);
        }
    }

    private JsonHttp noRedirects() {
        JsonHttp c = noRedirects;
        if (c == null) {
            HttpClient.Builder b =
                    HttpClient.newBuilder()
                            .connectTimeout(client.connectTimeout().orElse(timeout))
                            .followRedirects(HttpClient.Redirect.NEVER);
            client.proxy().ifPresent(b::proxy);
            c = new JsonHttp(b.build(), timeout);
            noRedirects = c;
        }
        return c;
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
