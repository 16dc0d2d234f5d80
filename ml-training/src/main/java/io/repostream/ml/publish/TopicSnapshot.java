package io.repostream.ml.publish;

import io.repostream.schemas.json.RecordValidationException;
import io.repostream.schemas.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic as it is now (committed records, from the beginning to the end offsets seen
 * at the start), without joining a consumer group: a batch job's view of a topic.
 */
public final class TopicSnapshot {
    /** One decoded record, with where it came from. */
    public record Entry<V>(String key, V value, int partition, long offset) {}

    private TopicSnapshot() {}

    /**
     * @param clientProps at least {@code bootstrap.servers}; security settings pass through
     * @param timeout overall bound on reading
     * @return the records in offset order per partition; a null value is a tombstone
     */
    public static <V> List<Entry<V>> read(
            Topic<String, V> topic, Map<String, Object> clientProps, Duration timeout)
            throws TimeoutException {
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Instant deadline = Instant.now().plus(timeout);
        List<Entry<V>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic.name() + " does not exist");
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!reachedEnd(consumer, end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new TimeoutException(
                            "reading " + topic.name() + " did not finish within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new Entry<>(r.key(), decode(topic, r), r.partition(), r.offset()));
                }
            }
        }
        return out;
    }

    private static boolean reachedEnd(
            KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static <V> V decode(Topic<String, V> topic, ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return topic.valueCodec().decode(r.value());
        } catch (RecordValidationException e) {
            throw new IllegalStateException(
                    topic.name()
                            + " partition "
                            + r.partition()
                            + " offset "
                            + r.offset()
                            + " (key "
                            + r.key()
                            + "): "
                            + e.getMessage(),
                    e);
        }
    }
}
