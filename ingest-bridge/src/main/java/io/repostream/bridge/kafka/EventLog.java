package io.repostream.bridge.kafka;

import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes events and dead letters to Kafka with an idempotent producer and {@code acks=all}. A
 * returned future completes only once Kafka acknowledged the record, which is what allows a 2xx.
 *
 * <p>{@code KafkaProducer.send} can block (no metadata yet while Kafka is down, or a full buffer),
 * so sends run on one thread of their own, never on an event loop.
 */
public final class EventLog implements AutoCloseable {
    /** Carries the event id, so the dedupe window can be rebuilt without parsing payloads. */
    public static final String EVENT_ID_HEADER = "repostream.event_id";

    /**
     * Carries the {@link EventFingerprint} keys (one header each), so webhook and poll copies are
     * recognised.
     */
    public static final String FINGERPRINT_HEADER = "repostream.fingerprint";

    private static final int MAX_RECORD_BYTES = 27 * 1024 * 1024;

    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService sender =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "repostream-bridge-kafka-send");
                        t.setDaemon(true);
                        return t;
                    });

    public EventLog(String bootstrapServers, Duration timeout, Map<String, String> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        // Payloads are 10-30 KB: the default 16 KB batch holds one, so every event paid for a
        // batch of its own (compression frame, CRC, broker-side validation).
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // Tuning above may be overridden (kafka.properties); what makes a 202 durable may not.
        props.putAll(extra);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "repostream-ingest-bridge");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // GitHub payloads go up to 25 MB; the topic's max.message.bytes must allow them too.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
        int timeoutMs = (int) Math.max(1000, timeout.toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + 1000);
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Writes {@code event} keyed by {@link GitHubEvent#key()}. */
    public CompletableFuture<RecordMetadata> write(GitHubEvent event) {
        return write(event, Topics.EVENTS.valueCodec().encode(event));
    }

    /**
     * Writes {@code event} with its payload as the exact bytes GitHub sent ({@code rawPayload}, the
     * JSON {@code event.payload()} was parsed from, maybe only in part): byte for byte the
     * original, and no re-serialisation of a large tree on the hot path.
     */
    public CompletableFuture<RecordMetadata> writeWithRawPayload(
            GitHubEvent event, byte[] rawPayload) {
        return write(event, RawPayloadEncoding.encode(event, rawPayload));
    }

    private CompletableFuture<RecordMetadata> write(GitHubEvent event, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EVENT_ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8));
        // the older bridges' form last: an older replica reads only the last one
        EventFingerprint.recordedKeys(event)
                .forEach(f -> headers.add(FINGERPRINT_HEADER, f.getBytes(StandardCharsets.UTF_8)));
        return send(new ProducerRecord<>(Topics.EVENTS.name(), null, event.key(), value, headers));
    }

    /** Writes a dead letter keyed by its delivery id (or null, spreading them). */
    public CompletableFuture<RecordMetadata> write(DeadLetter letter) {
        byte[] value = Topics.EVENTS_DLQ.valueCodec().encode(letter);
        return send(new ProducerRecord<>(Topics.EVENTS_DLQ.name(), letter.deliveryId(), value));
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            sender.execute(
                    () -> {
                        try {
                            producer.send(
                                    record,
                                    (metadata, error) -> {
                                        if (error != null) {
                                            acked.completeExceptionally(error);
                                        } else {
                                            acked.complete(metadata);
                                        }
                                    });
                        } catch (RuntimeException e) {
                            acked.completeExceptionally(e);
                        }
                    });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            acked.completeExceptionally(new IllegalStateException("the bridge is shutting down"));
        }
        return acked;
    }

    @Override
    public void close() {
        sender.shutdown();
        producer.close(Duration.ofSeconds(5));
    }
}
