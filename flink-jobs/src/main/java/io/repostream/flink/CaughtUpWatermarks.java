package io.repostream.flink;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness, plus what a quiet source means for SLA clocks. Marking a silent
 * partition idle (Flink's usual answer) stops it from holding event time back, but when every
 * partition is silent — a quiet night — event time stops altogether and no SLA deadline fires until
 * the next event. A partition that has been silent for {@code idleness} has no backlog: its reader
 * is caught up, and whatever arrives next happens now. So the watermark follows the wall clock
 * then, held back by the same out-of-orderness bound. While there is data to read (a backlog after
 * a restart), only event time counts, so a replay never fires deadlines early.
 */
public final class CaughtUpWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMs;
    private final long idlenessMs;
    private final LongSupplier clock;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventAt;
    private long emitted = Long.MIN_VALUE;

    public CaughtUpWatermarks(Duration outOfOrderness, Duration idleness, LongSupplier clock) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.idlenessMs = idleness.toMillis();
        this.clock = clock;
        this.lastEventAt = clock.getAsLong();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastEventAt = clock.getAsLong();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.getAsLong();
        long candidate =
                maxTimestamp == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : maxTimestamp - outOfOrdernessMs - 1;
        if (now - lastEventAt >= idlenessMs) {
            candidate = Math.max(candidate, now - outOfOrdernessMs - 1);
        }
        if (candidate > emitted) {
            emitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }

    /** The wall clock, serializable so the strategy can travel to the task managers. */
    public static final class WallClock implements LongSupplier, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public long getAsLong() {
            return System.currentTimeMillis();
        }
    }
}
