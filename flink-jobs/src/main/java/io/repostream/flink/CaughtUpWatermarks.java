package io.repostream.flink;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness, plus what a quiet source means for SLA clocks. Marking a silent
 * partition idle (Flink's usual answer) stops it from holding event time back, but when every
 * partition is silent — a quiet night — event time stops altogether and no SLA deadline fires until
 * the next event. A partition that has been silent for {@code idleness} while it was keeping up has
 * no backlog: its reader is caught up, and whatever arrives next happens now. So the watermark
 * follows the wall clock then, held back by the same out-of-orderness bound. While there is data to
 * read (a backlog after a restart), only event time counts, so a replay never fires deadlines
 * early.
 *
 * <p>Silence alone does not say which: a reader working through a backlog also falls silent when
 * the job downstream cannot take more (backpressure), and its watermark generator is still asked
 * for watermarks meanwhile. Taking that for caught up fired every deadline of the backlog before
 * the events that met them were read (the flink-jobs bench: thousands of SLA breaches on a backlog
 * two hours old). So the generator also looks at how late the newest record it read was read: when
 * it had been written more than {@code idleness} before (a backlog), a silence counts as caught up
 * only after {@link #BACKLOG_END}, which is the end of the backlog rather than a stall.
 */
public final class CaughtUpWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMs;
    private final long idlenessMs;

    /**
     * How long a source that was reading a backlog must stay silent before it counts as caught up:
     * longer than the stalls backpressure causes, short enough that a quiet night after a restart
     * still fires its deadlines within minutes.
     */
    public static final Duration BACKLOG_END = Duration.ofMinutes(2);

    private final LongSupplier clock;
    private final ToLongFunction<T> writtenAt;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventAt;
    private boolean readingBacklog;
    private long emitted = Long.MIN_VALUE;

    /**
     * @param writtenAt when a record was written (received by repostream), or {@code
     *     Long.MIN_VALUE} when the record does not say (a dead letter): how late it is read tells a
     *     backlog from a live stream
     */
    public CaughtUpWatermarks(
            Duration outOfOrderness,
            Duration idleness,
            LongSupplier clock,
            ToLongFunction<T> writtenAt) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.idlenessMs = idleness.toMillis();
        this.clock = clock;
        this.writtenAt = writtenAt;
        this.lastEventAt = clock.getAsLong();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastEventAt = clock.getAsLong();
        long written = writtenAt.applyAsLong(event);
        if (written != Long.MIN_VALUE) {
            readingBacklog = lastEventAt - written > idlenessMs;
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.getAsLong();
        long candidate =
                maxTimestamp == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : maxTimestamp - outOfOrdernessMs - 1;
        long silent = now - lastEventAt;
        if (silent >= idlenessMs && (!readingBacklog || silent >= BACKLOG_END.toMillis())) {
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
