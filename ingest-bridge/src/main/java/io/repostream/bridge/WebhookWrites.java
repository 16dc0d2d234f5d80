package io.repostream.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.bridge.kafka.EventFingerprint;
import io.repostream.bridge.kafka.EventLog;
import io.repostream.bridge.kafka.SeenDeliveries;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.repostream.bridge.webhook.EventNormalizer;
import io.repostream.bridge.webhook.MalformedDeliveryException;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Writes one webhook delivery to {@code github.events.v1} once: the dedupe window by delivery id (a
 * copy being written waits for that write), the fingerprints of polled copies, then the write with
 * the payload's bytes spliced into the record. Shared by the two ways a delivery arrives: posted to
 * {@code POST /webhooks/github}, or pulled from the app's hook deliveries.
 */
public final class WebhookWrites {
    private final EventLog log;
    private final SeenDeliveries seen;
    private final boolean dedupe;
    private final BridgeMetrics metrics;

    /** What became of a delivery. */
    public enum Outcome {
        /** Kafka acknowledged it. */
        STORED,
        /** Already in Kafka (or a polled copy of the same happening is), not written again. */
        DUPLICATE,
        /** Another copy was being written and that write failed: nothing is in Kafka. */
        EARLIER_COPY_FAILED,
        /** Kafka did not take it; {@link Result#error()} says why. */
        FAILED
    }

    /** An outcome, with Kafka's error when it {@link Outcome#FAILED}. */
    public record Result(Outcome outcome, Throwable error) {}

    public WebhookWrites(EventLog log, SeenDeliveries seen, boolean dedupe, BridgeMetrics metrics) {
        this.log = log;
        this.seen = seen;
        this.dedupe = dedupe;
        this.metrics = metrics;
    }

    /**
     * The record of a delivery whose payload is {@code json}, read by the same code as a posted
     * webhook's (only the fields the bridge needs are built into a tree; the text is checked).
     *
     * @throws MalformedDeliveryException when it is not an event (the reason says why)
     */
    public static GitHubEvent normalize(
            String delivery, String event, byte[] json, Instant receivedAt)
            throws MalformedDeliveryException {
        JsonNode tree = WebhookEndpoint.PAYLOAD_READER.parseVerified(json, null);
        try {
            return EventNormalizer.normalize(delivery, event, tree, receivedAt);
        } catch (IllegalArgumentException e) {
            throw new MalformedDeliveryException(e.getMessage());
        }
    }

    /**
     * Writes {@code event}, whose payload bytes are {@code json}, unless it is a duplicate.
     *
     * @param writing run when the Kafka write starts (not for a duplicate or a copy waited on)
     */
    public CompletableFuture<Result> write(GitHubEvent event, byte[] json, Runnable writing) {
        if (!dedupe) {
            return store(event, json, false, writing);
        }
        // Already polled: the same happening under another id.
        if (EventFingerprint.otherSourceKeys(event).stream().anyMatch(seen::contains)) {
            return done(Outcome.DUPLICATE);
        }
        SeenDeliveries.Claim claim = seen.claim(event.eventId());
        if (claim instanceof SeenDeliveries.Seen) {
            return done(Outcome.DUPLICATE);
        }
        if (claim instanceof SeenDeliveries.Pending pending) {
            return pending.written()
                    .handle(
                            (written, error) ->
                                    new Result(
                                            Boolean.TRUE.equals(written)
                                                    ? Outcome.DUPLICATE
                                                    : Outcome.EARLIER_COPY_FAILED,
                                            null));
        }
        return store(event, json, true, writing);
    }

    private CompletableFuture<Result> store(
            GitHubEvent event, byte[] json, boolean claimed, Runnable writing) {
        long started = System.nanoTime();
        CompletableFuture<?> acked = log.writeWithRawPayload(event, json);
        writing.run();
        return acked.handle(
                (metadata, error) -> {
                    metrics.kafkaWrite(
                            Topics.EVENTS.name(), error == null, System.nanoTime() - started);
                    if (claimed) {
                        if (error == null) {
                            EventFingerprint.recordedKeys(event)
                                    .forEach(f -> seen.add(f, System.currentTimeMillis()));
                        }
                        seen.finished(event.eventId(), error == null);
                    }
                    return error == null
                            ? new Result(Outcome.STORED, null)
                            : new Result(Outcome.FAILED, error);
                });
    }

    private static CompletableFuture<Result> done(Outcome outcome) {
        return CompletableFuture.completedFuture(new Result(outcome, null));
    }
}
