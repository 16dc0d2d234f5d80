package io.repostream.flink;

import io.repostream.schemas.topics.KafkaClientProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the repostream Flink job connects and paces itself.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param groupId consumer group of the job's Kafka sources (suffixed per topic)
 * @param transactionalIdPrefix prefix of the exactly-once sinks' transactional ids; unique per job
 *     on a cluster, suffixed per sink
 * @param checkpointInterval how often state is checkpointed, and so how often actions commit
 * @param parallelism default operator parallelism
 * @param maxOutOfOrderness how late an event may arrive (by event time) and still count on time
 * @param sourceIdleness after this long without events a partition counts as caught up: its event
 *     time follows the wall clock (less the out-of-orderness), so quiet periods still fire SLA
 *     deadlines
 * @param kafkaProperties extra Kafka client properties for every source and sink (security
 *     settings; see {@link KafkaClientProperties}); only their names are ever shown
 */
public record JobConfig(
        String bootstrapServers,
        String groupId,
        String transactionalIdPrefix,
        Duration checkpointInterval,
        int parallelism,
        Duration maxOutOfOrderness,
        Duration sourceIdleness,
        Map<String, String> kafkaProperties) {

    public static final String DEFAULT_GROUP_ID = "repostream-flink";
    public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "repostream-flink";
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SOURCE_IDLENESS = Duration.ofSeconds(10);

    public JobConfig {
        requireText(bootstrapServers, "bootstrap servers");
        requireText(groupId, "consumer group id");
        requireText(transactionalIdPrefix, "transactional id prefix");
        requirePositive(checkpointInterval, "checkpoint interval");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        Objects.requireNonNull(maxOutOfOrderness, "max out-of-orderness is required");
        if (maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException(
                    "max out-of-orderness must not be negative, got " + maxOutOfOrderness);
        }
        requirePositive(sourceIdleness, "source idleness");
        kafkaProperties = KafkaClientProperties.check(kafkaProperties, "Kafka properties");
    }

    /** Local settings: 2 s checkpoints, parallelism 2. */
    public static JobConfig defaults(String bootstrapServers) {
        return new JobConfig(
                bootstrapServers,
                DEFAULT_GROUP_ID,
                DEFAULT_TRANSACTIONAL_ID_PREFIX,
                DEFAULT_CHECKPOINT_INTERVAL,
                2,
                DEFAULT_MAX_OUT_OF_ORDERNESS,
                DEFAULT_SOURCE_IDLENESS,
                Map.of());
    }

    public JobConfig withGroupId(String value) {
        return copy(b -> b.groupId = value);
    }

    public JobConfig withTransactionalIdPrefix(String value) {
        return copy(b -> b.transactionalIdPrefix = value);
    }

    public JobConfig withCheckpointInterval(Duration value) {
        return copy(b -> b.checkpointInterval = value);
    }

    public JobConfig withParallelism(int value) {
        return copy(b -> b.parallelism = value);
    }

    public JobConfig withEventTime(Duration outOfOrderness, Duration idleness) {
        return copy(
                b -> {
                    b.maxOutOfOrderness = outOfOrderness;
                    b.sourceIdleness = idleness;
                });
    }

    /** Extra Kafka client properties (security settings) for every source and sink. */
    public JobConfig withKafkaProperties(Map<String, String> value) {
        return copy(b -> b.kafkaProperties = value);
    }

    /** Names only: {@code kafkaProperties} may hold credentials. */
    @Override
    public String toString() {
        return "JobConfig[bootstrapServers="
                + bootstrapServers
                + ", groupId="
                + groupId
                + ", transactionalIdPrefix="
                + transactionalIdPrefix
                + ", checkpointInterval="
                + checkpointInterval
                + ", parallelism="
                + parallelism
                + ", maxOutOfOrderness="
                + maxOutOfOrderness
                + ", sourceIdleness="
                + sourceIdleness
                + ", kafkaProperties="
                + KafkaClientProperties.describe(kafkaProperties)
                + "]";
    }

    private JobConfig copy(java.util.function.Consumer<Copy> change) {
        Copy b = new Copy(this);
        change.accept(b);
        return new JobConfig(
                b.bootstrapServers,
                b.groupId,
                b.transactionalIdPrefix,
                b.checkpointInterval,
                b.parallelism,
                b.maxOutOfOrderness,
                b.sourceIdleness,
                b.kafkaProperties);
    }

    /** A mutable copy, so that each wither names only what it changes. */
    private static final class Copy {
        String bootstrapServers;
        String groupId;
        String transactionalIdPrefix;
        Duration checkpointInterval;
        int parallelism;
        Duration maxOutOfOrderness;
        Duration sourceIdleness;
        Map<String, String> kafkaProperties;

        Copy(JobConfig c) {
            bootstrapServers = c.bootstrapServers;
            groupId = c.groupId;
            transactionalIdPrefix = c.transactionalIdPrefix;
            checkpointInterval = c.checkpointInterval;
            parallelism = c.parallelism;
            maxOutOfOrderness = c.maxOutOfOrderness;
            sourceIdleness = c.sourceIdleness;
            kafkaProperties = c.kafkaProperties;
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }

    private static void requirePositive(Duration value, String what) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
