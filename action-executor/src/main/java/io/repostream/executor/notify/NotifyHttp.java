package io.repostream.executor.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The one HTTP path of the notification services: a JSON POST, its answer sorted into delivered,
 * refused for good, or to be tried again (429 with its {@code Retry-After}, 5xx, no answer).
 * Nothing secret is put into an {@link Answer}: a refusal names the service's error code only.
 */
final class NotifyHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    /** How long to wait before trying again when the service named no time. */
    static final Duration DEFAULT_RETRY = Duration.ofSeconds(30);

    enum Kind {
        OK,
        REFUSED,
        RETRY
    }

    /**
     * @param status the HTTP status, 0 when none came
     * @param why what went wrong (the service's error code), null when it went right
     * @param retryAt when to try again ({@link Kind#RETRY})
     */
    record Answer(Kind kind, int status, JsonNode body, String why, Instant retryAt) {}

    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;

    NotifyHttp(Duration timeout, Clock clock) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.clock = clock;
    }

    /** POSTs {@code body}; {@code bearer} (a secret) goes only into the Authorization header. */
    Answer post(String url, String bearer, JsonNode body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(timeout)
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Answer(
                    Kind.RETRY,
                    0,
                    null,
                    "no answer from " + hostOf(url) + ": " + e.getClass().getSimpleName(),
                    clock.instant().plus(DEFAULT_RETRY));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(
                    Kind.RETRY, 0, null, "interrupted", clock.instant().plus(DEFAULT_RETRY));
        }
        int status = response.statusCode();
        JsonNode json;
        try {
            json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        if (status == 429) {
            return new Answer(
                    Kind.RETRY,
                    status,
                    json,
                    "rate limited (429)",
                    clock.instant().plus(retryAfter(response)));
        }
        if (status >= 500) {
            return new Answer(
                    Kind.RETRY,
                    status,
                    json,
                    "server error " + status,
                    clock.instant().plus(DEFAULT_RETRY));
        }
        if (status >= 400) {
            return new Answer(Kind.REFUSED, status, json, "refused with " + status, null);
        }
        return new Answer(Kind.OK, status, json, null, null);
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .map(
                        v -> {
                            try {
                                return Duration.ofSeconds(Math.max(1, Long.parseLong(v.strip())));
                            } catch (NumberFormatException e) {
                                return DEFAULT_RETRY;
                            }
                        })
                .orElse(DEFAULT_RETRY);
    }

    private static String hostOf(String url) {
        return URI.create(url).getHost();
    }
}
