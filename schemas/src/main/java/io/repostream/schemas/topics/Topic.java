package io.repostream.schemas.topics;

import io.repostream.schemas.json.JsonCodec;
import io.repostream.schemas.json.JsonSerde;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Kafka topic: its name, serdes and layout. Nobody spells a topic name twice; they refer to the
 * constants in {@link Topics}.
 *
 * @param name the topic name
 * @param keySerde serde of the record key (lowercase {@code owner/repo}, or the compaction key)
 * @param valueCodec JSON codec of the record value, with its schema
 * @param defaultPartitions partitions when repostream creates the topic
 * @param compacted whether the topic is compacted (the latest value per key wins)
 * @param maxMessageBytes the topic's {@code max.message.bytes}, or 0 for the broker's default
 */
public record Topic<K, V>(
        String name,
        Serde<K> keySerde,
        JsonCodec<V> valueCodec,
        int defaultPartitions,
        boolean compacted,
        int maxMessageBytes) {

    /**
     * Room for the largest webhook GitHub sends (25 MB) plus the envelope. Kafka's default of about
     * 1 MB would turn a large but valid delivery into a refusal, i.e. a lost event.
     */
    public static final int WEBHOOK_MAX_MESSAGE_BYTES = 27 * 1024 * 1024;

    public Topic {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic name is required");
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException(name + ": partitions must be >= 1");
        }
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException(name + ": max message bytes must be >= 0");
        }
    }

    static <V> Topic<String, V> keyedByString(
            String name, JsonCodec<V> codec, int partitions, boolean compacted) {
        return new Topic<>(name, Serdes.String(), codec, partitions, compacted, 0);
    }

    /** The same topic, accepting records up to {@code bytes}. */
    Topic<K, V> withMaxMessageBytes(int bytes) {
        return new Topic<>(name, keySerde, valueCodec, defaultPartitions, compacted, bytes);
    }

    public JsonSerde<V> valueSerde() {
        return new JsonSerde<>(valueCodec);
    }

    public Class<V> valueType() {
        return valueCodec.type();
    }

    /**
     * Every topic keeps the time a record was written, whatever the producer stamped on it
     * (ARCHITECTURE.md rule 6): time-based retention then counts from the write, so a record about
     * a months-old event (a replay, a backfill, a poll of old items) is not deleted minutes after
     * it was written. The event time stays in the record body.
     */
    public static final Map<String, String> WRITE_TIME =
            Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, TimestampType.LOG_APPEND_TIME.name);

    /** The topic's configuration when repostream creates it. */
    public Map<String, String> configs() {
        Map<String, String> configs = new java.util.TreeMap<>(WRITE_TIME);
        configs.put(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        if (maxMessageBytes > 0) {
            configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes));
        }
        return Map.copyOf(configs);
    }

    /**
     * The admin request that creates this topic.
     *
     * @param partitions overrides {@link #defaultPartitions()} when present
     * @param replicationFactor 1 on a laptop, 3 in production
     */
    public NewTopic newTopic(Optional<Integer> partitions, short replicationFactor) {
        return new NewTopic(name, partitions.orElse(defaultPartitions), replicationFactor)
                .configs(configs());
    }

    @Override
    public String toString() {
        return name;
    }
}
