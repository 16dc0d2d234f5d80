package io.repostream.bridge;

import io.repostream.bridge.kafka.EventLog;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes to github.events.v1 what an earlier bridge (or an older version) left there. */
final class EarlierBridge {
    private EarlierBridge() {}

    /**
     * The event with its id header and {@code fingerprints} (the headers of the bridge that wrote
     * it), at {@code at} (now when null).
     */
    static void wrote(
            EmbeddedKafkaBroker kafka, GitHubEvent event, Instant at, String... fingerprints)
            throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventLog.EVENT_ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8));
        for (String fingerprint : fingerprints) {
            headers.add(EventLog.FINGERPRINT_HEADER, fingerprint.getBytes(StandardCharsets.UTF_8));
        }
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        kafka.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    Topics.EVENTS.name(),
                                    null,
                                    at == null ? null : at.toEpochMilli(),
                                    event.key(),
                                    Topics.EVENTS.valueCodec().encode(event),
                                    headers))
                    .get(10, TimeUnit.SECONDS);
        }
    }
}
