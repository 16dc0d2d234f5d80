package io.repostream.flink.kafka;

import io.repostream.flink.JobConfig;
import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.flink.FlinkJson;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka sources and sinks of the job, configured the one way the architecture's safety rules need.
 */
public final class KafkaConnectors {
    /**
     * Below the broker's {@code transaction.max.timeout.ms} (15 min by default); the sink's own
     * default of 1 h fails at {@code InitProducerId}.
     */
    public static final String TRANSACTION_TIMEOUT_MS = "60000";

    private KafkaConnectors() {}

    /**
     * Reads {@code topic} {@code read_committed}, from the group's committed offsets or else from
     * the beginning. Flink's checkpoints hold the real positions; committed offsets are for
     * monitoring and a first start.
     */
    public static <V> KafkaSource<V> source(JobConfig config, Topic<String, V> topic) {
        return source(
                config,
                topic,
                new SkippingDeserializer<>(topic, topic != Topics.EVENTS),
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
    }

    /**
     * Reads a compacted topic that holds current values rather than a stream of work ({@code
     * github.models.v1}) {@code read_committed}, always from the beginning when the job starts
     * without state. Committed offsets would skip every value written before them, so a job started
     * afresh (new deployment, lost checkpoints) would not know the values until they are written
     * again; the reader keeps the newest of what it replays. A restore from a checkpoint or
     * savepoint still resumes at the checkpointed positions.
     */
    public static <V> KafkaSource<V> latestValuesSource(JobConfig config, Topic<String, V> topic) {
        return source(
                config,
                topic,
                new SkippingDeserializer<>(topic, true),
                OffsetsInitializer.earliest());
    }

    /**
     * {@code github.events.v1} as the job reads it: like {@link #source(JobConfig, Topic)}, with
     * each payload cut down to the fields the job reads while it is parsed ({@link
     * GitHubEventDecoder}), and a {@code DeadLetter} for each record the job cannot read ({@link
     * EventDeserializer}; {@link io.repostream.flink.RepostreamJob#readEvents} routes them).
     */
    public static KafkaSource<Object> eventSource(JobConfig config) {
        return source(
                config,
                Topics.EVENTS,
                new EventDeserializer(),
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
    }

    private static <T> KafkaSource<T> source(
            JobConfig config,
            Topic<String, ?> topic,
            KafkaRecordDeserializationSchema<T> deserializer,
            OffsetsInitializer startingOffsets) {
        KafkaSourceBuilder<T> builder = KafkaSource.builder();
        config.kafkaProperties().forEach(builder::setProperty);
        return builder.setBootstrapServers(config.bootstrapServers())
                .setTopics(topic.name())
                .setGroupId(config.groupId() + "." + topic.name())
                .setClientIdPrefix(config.groupId() + "." + topic.name())
                .setStartingOffsets(startingOffsets)
                .setDeserializer(deserializer)
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .build();
    }

    /**
     * A dead letter's key on {@code github.events.dlq.v1}: the key of the record it stands for (the
     * repo), as the bridge keys its dead letters by what it knows.
     */
    public static String deadLetterKey(DeadLetter letter) {
        String key = letter.headers().get(EventDeserializer.KAFKA_KEY);
        return key != null ? key : "unknown";
    }

    /**
     * Writes to {@code topic} exactly once: records become visible to {@code read_committed}
     * readers when the checkpoint that covers them completes.
     */
    public static <V> KafkaSink<V> exactlyOnceSink(
            JobConfig config, Topic<String, V> topic, FlinkJson.SerializableKey<V> key) {
        KafkaSinkBuilder<V> builder = KafkaSink.builder();
        config.kafkaProperties().forEach(builder::setProperty);
        return builder.setBootstrapServers(config.bootstrapServers())
                .setRecordSerializer(recordWriter(topic, key))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.transactionalIdPrefix() + "." + topic.name())
                .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS)
                .build();
    }

    /** Key and value as JSON; the Kafka timestamp is the time of writing, not the event time. */
    static <V> KafkaRecordSerializationSchema<V> recordWriter(
            Topic<String, V> topic, FlinkJson.SerializableKey<V> key) {
        return new WriteTimeRecords<>(
                KafkaRecordSerializationSchema.<V>builder()
                        .setTopic(topic.name())
                        .setKeySerializationSchema(FlinkJson.keyWriter(key))
                        .setValueSerializationSchema(FlinkJson.valueWriter(topic))
                        .build());
    }
}
