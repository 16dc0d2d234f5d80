package io.repostream.flink;

import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Event time of the job: taken from each event's {@code occurred_at}. */
public final class EventTime {
    private EventTime() {}

    /** Bounded out-of-orderness; a silent partition stops holding event time back. */
    public static WatermarkStrategy<GitHubEvent> events(
            Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<GitHubEvent>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((event, kafkaTime) -> event.occurredAt().toEpochMilli())
                .withIdleness(idleness);
    }

    /**
     * Policies are configuration, not events: their stream must never hold back the event time of
     * the rules it is connected to, so it declares all of its time passed.
     */
    public static WatermarkStrategy<RepoPolicy> policies() {
        return WatermarkStrategy.forGenerator(ctx -> new NeverHoldBack<>());
    }

    /**
     * Audit records are feedback about rate limits, read in processing time: like policies, they
     * must not hold back event time.
     */
    public static WatermarkStrategy<AuditRecord> audits() {
        return WatermarkStrategy.forGenerator(ctx -> new NeverHoldBack<>());
    }

    private static final class NeverHoldBack<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
        }
    }
}
