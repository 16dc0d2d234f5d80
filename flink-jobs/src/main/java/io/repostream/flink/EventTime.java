package io.repostream.flink;

import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Event time of the job: taken from each event's {@code occurred_at}. */
public final class EventTime {
    private EventTime() {}

    /**
     * Bounded out-of-orderness; a partition silent for {@code idleness} is caught up, and event
     * time follows the wall clock there (see {@link CaughtUpWatermarks}).
     */
    public static WatermarkStrategy<GitHubEvent> events(
            Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<GitHubEvent>forGenerator(
                        new CaughtUpWatermarks.Supplier<GitHubEvent>(
                                outOfOrderness,
                                idleness,
                                event -> event.receivedAt().toEpochMilli()))
                .withTimestampAssigner((event, kafkaTime) -> event.occurredAt().toEpochMilli());
    }

    /**
     * {@link #events} for a source that also emits dead letters ({@link
     * io.repostream.flink.kafka.EventDeserializer}): a dead letter has no event time and moves
     * neither the watermark nor anything else.
     */
    public static WatermarkStrategy<Object> eventsOrDeadLetters(
            Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<Object>forGenerator(
                        new CaughtUpWatermarks.Supplier<Object>(
                                outOfOrderness,
                                idleness,
                                record ->
                                        record instanceof GitHubEvent event
                                                ? event.receivedAt().toEpochMilli()
                                                : Long.MIN_VALUE))
                .withTimestampAssigner(
                        (record, kafkaTime) ->
                                record instanceof GitHubEvent event
                                        ? event.occurredAt().toEpochMilli()
                                        : Long.MIN_VALUE);
    }

    /**
     * Policies are configuration, not events: their stream must neither hold back nor drive the
     * event time of the rules it is connected to. It stays idle, so a two-input operator follows
     * the events alone. (Declaring its time passed instead would fire every timer as soon as the
     * events go idle.)
     */
    public static WatermarkStrategy<RepoPolicy> policies() {
        return WatermarkStrategy.forGenerator(ctx -> new AlwaysIdle<>());
    }

    /**
     * Audit records are feedback about rate limits, read in processing time: like policies, they
     * stay idle and leave event time to the events.
     */
    public static WatermarkStrategy<AuditRecord> audits() {
        return WatermarkStrategy.forGenerator(ctx -> new AlwaysIdle<>());
    }

    private static final class AlwaysIdle<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
