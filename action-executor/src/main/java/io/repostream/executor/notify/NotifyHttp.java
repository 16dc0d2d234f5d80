package io.repostream.executor.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.repostream.executor.http.JsonHttp;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the notification services' answers are read: a JSON POST sent through the executor's one HTTP
 * path ({@link JsonHttp}, GitHub's too), its answer sorted into delivered, refused for good, or to
 * be tried again (429 with its {@code Retry-After}, 5xx, no answer). Nothing secret is put into an
 * {@link Answer}: a refusal names the service's error code only.
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

    private final JsonHttp http;
    private final Clock clock;

    NotifyHttp(Duration timeout, Clock clock) {
        this.http = new JsonHttp(JsonHttp.client(timeout), timeout);
        this.clock = clock;
    }

    /** POSTs {@code body}; {@code bearer} (a secret) goes only into the Authorization header. */
    Answer post(String url, String bearer, JsonNode body) {
        Map<String, String> headers = new LinkedHashMap<>();
        // Slack warns (missing_charset) about a JSON body without its charset
        headers.put("Content-Type", "application/json; charset=utf-8");
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        JsonHttp.Exchange response;
        try {
            response = http.send("POST", URI.create(url), headers, body);
        } catch (JsonHttp.NoAnswer e) {
            return new Answer(
                    Kind.RETRY, 0, null, e.getMessage(), clock.instant().plus(DEFAULT_RETRY));
        }
        int status = response.status();
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

    private static Duration retryAfter(JsonHttp.Exchange response) {
        return response.header("Retry-After")
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
}
