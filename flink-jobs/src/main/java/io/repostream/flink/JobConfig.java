package io.repostream.flink;

import java.time.Duration;
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
 */
public record JobConfig(
        String bootstrapServers,
        String groupId,
        String transactionalIdPrefix,
        Duration checkpointInterval,
        int parallelism,
        Duration maxOutOfOrderness,
        Duration sourceIdleness) {

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
                DEFAULT_SOURCE_IDLENESS);
    }

    public JobConfig withGroupId(String value) {
        return new JobConfig(
                bootstrapServers,
                value,
                transactionalIdPrefix,
                checkpointInterval,
                parallelism,
                maxOutOfOrderness,
                sourceIdleness);
    }

    public JobConfig withTransactionalIdPrefix(String value) {
        return new JobConfig(
                bootstrapServers,
                groupId,
                value,
                checkpointInterval,
                parallelism,
                maxOutOfOrderness,
                sourceIdleness);
    }

    public JobConfig withCheckpointInterval(Duration value) {
        return new JobConfig(
                bootstrapServers,
                groupId,
                transactionalIdPrefix,
                value,
                parallelism,
                maxOutOfOrderness,
                sourceIdleness);
    }

    public JobConfig withParallelism(int value) {
        return new JobConfig(
                bootstrapServers,
                groupId,
                transactionalIdPrefix,
                checkpointInterval,
                value,
                maxOutOfOrderness,
                sourceIdleness);
    }

    public JobConfig withEventTime(Duration outOfOrderness, Duration idleness) {
        return new JobConfig(
                bootstrapServers,
                groupId,
                transactionalIdPrefix,
                checkpointInterval,
                parallelism,
                outOfOrderness,
                idleness);
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
