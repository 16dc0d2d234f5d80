package io.repostream.flink.kafka;

import com.fasterxml.jackson.databind.ObjectReader;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.json.JsonCodec;
import io.repostream.schemas.topics.Topic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic's JSON values (policies, audit records, models; events have their own {@link
 * EventDeserializer}, which dead-letters what it cannot read). A record that cannot be read must
 * not stop the job (it would fail and restart on the same record forever): it is logged with its
 * coordinates, counted in the {@code undecodableRecords} metric and skipped; the record itself
 * stays in Kafka, so nothing is lost.
 *
 * <p>Low-volume topics (policies, audit) are checked against their JSON Schema. The events topic is
 * not (when read with this class): schema validation of multi-kilobyte payloads would cost more
 * than everything else the job does per event; the records' own constructors still reject events
 * that break an invariant.
 */
public final class SkippingDeserializer<V> implements KafkaRecordDeserializationSchema<V> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SkippingDeserializer.class);

    private final JsonCodec<V> codec;
    private final Class<V> type;
    private final boolean validate;
    private transient ObjectReader reader;
    private transient Counter undecodable;

    public SkippingDeserializer(Topic<String, V> topic, boolean validate) {
        this.codec = topic.valueCodec();
        this.type = topic.valueType();
        this.validate = validate;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        undecodable = context.getMetricGroup().counter("undecodableRecords");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<V> out) {
        if (record.value() == null) {
            return; // a tombstone on a compacted topic
        }
        V value;
        try {
            value = decode(record.value());
        } catch (IOException | RuntimeException e) {
            if (undecodable != null) {
                undecodable.inc();
            }
            LOG.warn(
                    "skipping undecodable record {}-{}@{} (key {}): {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.key() == null
                            ? "none"
                            : new String(record.key(), StandardCharsets.UTF_8),
                    firstLine(e.getMessage()));
            return;
        }
        out.collect(value);
    }

    @Override
    public TypeInformation<V> getProducedType() {
        return JsonTypeInfo.of(type);
    }

    private V decode(byte[] value) throws IOException {
        return validate ? codec.decode(value) : reader().readValue(value);
    }

    private ObjectReader reader() {
        if (reader == null) {
            reader = Json.mapper().readerFor(type);
        }
        return reader;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
