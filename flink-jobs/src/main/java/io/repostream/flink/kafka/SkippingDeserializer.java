package io.repostream.flink.kafka;

import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.json.JsonCodec;
import io.repostream.schemas.topics.Topic;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic's JSON values. A record that breaks its schema must not stop the job (it would fail
 * and restart on the same record forever): it is logged with its coordinates and skipped; the
 * record itself stays in Kafka, so nothing is lost.
 */
public final class SkippingDeserializer<V> implements KafkaRecordDeserializationSchema<V> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SkippingDeserializer.class);

    private final JsonCodec<V> codec;
    private final Class<V> type;

    public SkippingDeserializer(Topic<String, V> topic) {
        this.codec = topic.valueCodec();
        this.type = topic.valueType();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<V> out) {
        if (record.value() == null) {
            return; // a tombstone on a compacted topic
        }
        V value;
        try {
            value = codec.decode(record.value());
        } catch (RuntimeException e) {
            LOG.warn(
                    "skipping undecodable record {}-{}@{} (key {}): {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.key() == null
                            ? "none"
                            : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8),
                    e.getMessage());
            return;
        }
        out.collect(value);
    }

    @Override
    public TypeInformation<V> getProducedType() {
        return JsonTypeInfo.of(type);
    }
}
