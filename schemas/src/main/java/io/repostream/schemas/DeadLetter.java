package io.repostream.schemas;

import java.time.Instant;
import java.util.Map;

/**
 * An authenticated input that could not be turned into a record, on {@code github.events.dlq.v1}:
 * kept, with the reason, so that nothing is silently dropped.
 *
 * @param reason what was wrong, in words
 * @param source where it came from ({@code webhook}, {@code poll}, or a job name)
 * @param deliveryId {@code X-GitHub-Delivery}, when known
 * @param eventType {@code X-GitHub-Event}, when known
 * @param headers the request's non-secret headers
 * @param body the input as received (UTF-8 text)
 * @param receivedAt when it arrived
 */
public record DeadLetter(
        String reason,
        String source,
        String deliveryId,
        String eventType,
        Map<String, String> headers,
        String body,
        Instant receivedAt) {

    public DeadLetter {
        Require.text(reason, "reason");
        Require.text(source, "source");
        headers = Require.map(headers);
        Require.present(body, "body");
        Require.present(receivedAt, "received_at");
    }
}
