package io.repostream.executor.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The executor's one way of sending an HTTP request: a JSON body (or none), the caller's headers,
 * the timeout, and the answer as it came (status, headers, body text). GitHub's transport ({@code
 * github.HttpTransport}) and the notification services ({@code notify.NotifyHttp}) both send
 * through it and only read the answer their own way; neither retries here (GitHub's rate gate and
 * the notification processor decide that).
 */
public final class JsonHttp {

    /**
     * @param status the HTTP status
     * @param headers the answer's headers (looked up without regard to case)
     * @param body the answer's body, empty when none
     */
    public record Exchange(int status, HttpHeaders headers, String body) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /** No answer came: the connection failed, timed out, or the thread was interrupted. */
    public static final class NoAnswer extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean interrupted;

        NoAnswer(String message, Throwable cause, boolean interrupted) {
            super(message, cause);
            this.interrupted = interrupted;
        }

        public boolean interrupted() {
            return interrupted;
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    public JsonHttp(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** A client that follows redirects (GitHub's 301 for a renamed repo) within the timeout. */
    public static HttpClient client(Duration timeout) {
        return HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Sends {@code method} to {@code uri} with {@code headers} (a secret among them, such as an
     * {@code Authorization}, goes nowhere else) and {@code body} as JSON ({@code Content-Type:
     * application/json} unless the headers name another).
     *
     * @throws NoAnswer when no answer came; its message names the host, never a header
     */
    public Exchange send(String method, URI uri, Map<String, String> headers, JsonNode body)
            throws NoAnswer {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response =
                    client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body() == null ? "" : response.body();
            return new Exchange(response.statusCode(), response.headers(), text);
        } catch (IOException e) {
            throw new NoAnswer(
                    "no answer from " + uri.getHost() + " (" + e.getClass().getSimpleName() + ")",
                    e,
                    false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoAnswer("interrupted", e, true);
        }
    }
}
