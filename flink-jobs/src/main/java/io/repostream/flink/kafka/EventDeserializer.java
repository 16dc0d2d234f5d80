package io.repostream.flink.kafka;

import com.fasterxml.jackson.core.JsonParseException;
import io.repostream.flink.serialization.EventOrDeadLetter;
import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.StrictJsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code github.events.v1}: a {@link GitHubEvent} per record ({@link GitHubEventDecoder}),
 * or, for a record the job cannot read, a {@link DeadLetter} with the reason and the record's bytes
 * (as the bridge's dead letters carry them: the body as UTF-8 text) and its Kafka coordinates. The
 * job routes dead letters to {@code github.events.dlq.v1} through an exactly-once sink, so a dead
 * letter is written once with the checkpoint that moves the source past its record. It is also
 * logged and counted ({@code deadLetteredRecords}, labelled {@code reason}; {@code
 * undecodableRecords} in total).
 *
 * <p>What cannot be read: bytes that are not well-formed UTF-8 or hold a lone surrogate escape
 * ({@link StrictJsonText}), malformed JSON, and JSON that is not an event. The good path allocates
 * nothing here beyond the event itself: the stream's type is "event or dead letter" ({@link
 * EventOrDeadLetter}), not a wrapper.
 */
public final class EventDeserializer implements KafkaRecordDeserializationSchema<Object> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EventDeserializer.class);

    /** The dead letter's {@code source}. */
    public static final String SOURCE = "flink-jobs";

    /** Where the record was: the dead letter's headers. */
    public static final String KAFKA_TOPIC = "kafka-topic";

    public static final String KAFKA_PARTITION = "kafka-partition";
    public static final String KAFKA_OFFSET = "kafka-offset";
    public static final String KAFKA_KEY = "kafka-key";

    private final GitHubEventDecoder decoder = new GitHubEventDecoder();
    private transient Map<UndecodableRecordException.Reason, Counter> deadLettered;
    private transient Counter undecodable;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        undecodable = context.getMetricGroup().counter("undecodableRecords");
        deadLettered = new EnumMap<>(UndecodableRecordException.Reason.class);
        for (UndecodableRecordException.Reason reason :
                UndecodableRecordException.Reason.values()) {
            deadLettered.put(
                    reason,
                    context.getMetricGroup()
                            .addGroup("reason", reason.label())
                            .counter("deadLetteredRecords"));
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Object> out) {
        if (record.value() == null) {
            return; // not written by the bridge; nothing to keep
        }
        GitHubEvent event;
        try {
            event = decode(record.value());
        } catch (UndecodableRecordException e) {
            out.collect(deadLetter(record, e));
            return;
        }
        // outside the try: a failure downstream is not the record's fault
        out.collect(event);
    }

    private GitHubEvent decode(byte[] value) throws UndecodableRecordException {
        Optional<StrictJsonText.Problem> problem = StrictJsonText.problem(value);
        if (problem.isPresent()) {
            throw new UndecodableRecordException(
                    problem.get().kind() == StrictJsonText.Kind.INVALID_UTF8
                            ? UndecodableRecordException.Reason.INVALID_UTF8
                            : UndecodableRecordException.Reason.LONE_SURROGATE,
                    problem.get().detail());
        }
        try {
            return decoder.decode(value);
        } catch (JsonParseException e) {
            throw new UndecodableRecordException(
                    UndecodableRecordException.Reason.MALFORMED_JSON, e.getOriginalMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new UndecodableRecordException(
                    UndecodableRecordException.Reason.INVALID_EVENT, e.getMessage(), e);
        }
    }

    private DeadLetter deadLetter(
            ConsumerRecord<byte[], byte[]> record, UndecodableRecordException e) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String reason = e.reason().label() + ": " + firstLine(e.getMessage());
        if (undecodable != null) {
            undecodable.inc();
            deadLettered.get(e.reason()).inc();
        }
        LOG.warn(
                "dead-lettering record {}-{}@{} (repo {}): {}",
                record.topic(),
                record.partition(),
                record.offset(),
                key == null ? "unknown" : key,
                reason);
        Map<String, String> coordinates = new java.util.LinkedHashMap<>();
        coordinates.put(KAFKA_TOPIC, record.topic());
        coordinates.put(KAFKA_PARTITION, String.valueOf(record.partition()));
        coordinates.put(KAFKA_OFFSET, String.valueOf(record.offset()));
        if (key != null) {
            coordinates.put(KAFKA_KEY, key);
        }
        return new DeadLetter(
                reason,
                SOURCE,
                null,
                null,
                coordinates,
                new String(record.value(), StandardCharsets.UTF_8),
                // when the record reached Kafka: the same on every replay
                record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now());
    }

    @Override
    public TypeInformation<Object> getProducedType() {
        return EventOrDeadLetter.TYPE;
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
