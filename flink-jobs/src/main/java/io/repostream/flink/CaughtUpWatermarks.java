package io.repostream.flink;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
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
 *
 * <p>Flink's source operator makes one generator for the whole reader and one per split (Kafka
 * partition), and sends the reader-wide one's watermarks straight to the output, beside the minimum
 * of the splits'. The Kafka reader gives every record to its split's generator, so the reader-wide
 * one never reads anything; had it taken that silence for a caught-up source, event time would
 * follow the wall clock ten seconds after every start, past every deadline of a backlog not read
 * yet (the flink-jobs bench: thousands of SLA breach labels on a backlog two hours old). So a
 * generator follows the wall clock without having read a record only when it is a split's ({@link
 * Supplier}): a partition with nothing to read. The reader-wide one follows what it reads, if
 * anything.
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
    private final boolean unreadFollowsClock;
    private boolean read;
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
        this(outOfOrderness, idleness, clock, writtenAt, true);
    }

    /**
     * @param unreadFollowsClock whether the wall clock counts before the first record is read: for
     *     a split's generator (a partition with nothing to read is caught up), not for the
     *     reader-wide one, which a split-aware reader never gives a record
     */
    CaughtUpWatermarks(
            Duration outOfOrderness,
            Duration idleness,
            LongSupplier clock,
            ToLongFunction<T> writtenAt,
            boolean unreadFollowsClock) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.idlenessMs = idleness.toMillis();
        this.clock = clock;
        this.writtenAt = writtenAt;
        this.unreadFollowsClock = unreadFollowsClock;
        this.lastEventAt = clock.getAsLong();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastEventAt = clock.getAsLong();
        read = true;
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
        if ((read || unreadFollowsClock)
                && silent >= idlenessMs
                && (!readingBacklog || silent >= BACKLOG_END.toMillis())) {
            candidate = Math.max(candidate, now - outOfOrdernessMs - 1);
        }
        if (candidate > emitted) {
            emitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }

    /**
     * Makes a source operator's generators: the first one it is asked for is the reader-wide one
     * (Flink creates it with the reader's output, before any split's, which the reader's output
     * creates), the others are the splits'. A copy of the strategy is deserialized for each source
     * subtask, so the count starts again in each; it is not serialized.
     */
    public static final class Supplier<T> implements WatermarkGeneratorSupplier<T> {
        private static final long serialVersionUID = 1L;

        private final Duration outOfOrderness;
        private final Duration idleness;
        private final SerializableWrittenAt<T> writtenAt;
        private transient int created;

        public Supplier(
                Duration outOfOrderness, Duration idleness, SerializableWrittenAt<T> writtenAt) {
            this.outOfOrderness = outOfOrderness;
            this.idleness = idleness;
            this.writtenAt = writtenAt;
        }

        @Override
        public synchronized WatermarkGenerator<T> createWatermarkGenerator(Context context) {
            boolean readerWide = created++ == 0;
            return new CaughtUpWatermarks<>(
                    outOfOrderness, idleness, new WallClock(), writtenAt, !readerWide);
        }
    }

    /** When a record was written; serializable so that the strategy can travel. */
    @FunctionalInterface
    public interface SerializableWrittenAt<T> extends ToLongFunction<T>, Serializable {}

    /** The wall clock, serializable so the strategy can travel to the task managers. */
    public static final class WallClock implements LongSupplier, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public long getAsLong() {
            return System.currentTimeMillis();
        }
    }
}
