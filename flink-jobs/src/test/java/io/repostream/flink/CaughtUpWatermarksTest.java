package io.repostream.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class CaughtUpWatermarksTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<Long> watermarks = new ArrayList<>();
    private final WatermarkOutput output =
            new WatermarkOutput() {
                @Override
                public void emitWatermark(Watermark watermark) {
                    watermarks.add(watermark.getTimestamp());
                }

                @Override
                public void markIdle() {}

                @Override
                public void markActive() {}
            };

    /** When each test record was written to Kafka: "stale" ones 5 minutes before they are read. */
    private final CaughtUpWatermarks<String> generator =
            new CaughtUpWatermarks<>(
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(10),
                    clock::get,
                    record ->
                            record.startsWith("stale")
                                    ? clock.get() - Duration.ofMinutes(5).toMillis()
                                    : clock.get());

    @Test
    void followsEventTimeWhileEventsKeepComing() {
        generator.onEvent("a", 500_000, output);
        generator.onPeriodicEmit(output);
        clock.addAndGet(5_000);
        generator.onEvent("b", 520_000, output);
        generator.onPeriodicEmit(output);

        assertThat(watermarks).containsExactly(469_999L, 489_999L);
    }

    @Test
    void followsTheWallClockOnceTheSourceIsQuietAndSoCaughtUp() {
        generator.onEvent("a", 500_000, output);
        clock.addAndGet(10_000);
        generator.onPeriodicEmit(output);

        assertThat(watermarks).containsExactly(clock.get() - 30_000 - 1);
    }

    @Test
    void neverMovesBackWhenOlderEventsArriveAfterAQuietSpell() {
        clock.addAndGet(20_000);
        generator.onPeriodicEmit(output);
        generator.onEvent("old", 100_000, output);
        generator.onPeriodicEmit(output);

        assertThat(watermarks).hasSize(1);
    }

    /**
     * A source that is working through a backlog (each record it reads was written minutes ago) and
     * then falls silent is held up downstream (backpressure), not caught up: event time must not
     * jump to the wall clock, or every deadline of the backlog fires before the events that meet it
     * are read. Seen in the flink-jobs bench: 2,293-3,277 SLA breach labels on a two-hour old
     * backlog, none when the source could never be taken for caught up.
     */
    @Test
    void aSourceSilentInTheMiddleOfABacklogIsNotTakenForCaughtUp() {
        generator.onEvent("stale-a", 500_000, output);
        generator.onPeriodicEmit(output);
        clock.addAndGet(30_000);
        generator.onPeriodicEmit(output);

        assertThat(watermarks).containsExactly(469_999L);
    }

    /**
     * At the end of a backlog the last record read is stale too; a silence as long as {@link
     * CaughtUpWatermarks#BACKLOG_END} after it means the backlog has been read, and event time
     * follows the wall clock again (a quiet night after a restart still fires its deadlines).
     */
    @Test
    void aLongSilenceAfterABacklogIsItsEnd() {
        generator.onEvent("stale-a", 500_000, output);
        clock.addAndGet(CaughtUpWatermarks.BACKLOG_END.toMillis());
        generator.onPeriodicEmit(output);

        assertThat(watermarks).containsExactly(clock.get() - 30_000 - 1);
    }

    @Test
    void aSourceThatHasReadNothingSinceItStartedIsCaughtUpAfterTheIdleness() {
        clock.addAndGet(10_000);
        generator.onPeriodicEmit(output);

        assertThat(watermarks).containsExactly(clock.get() - 30_000 - 1);
    }

    @Test
    void theReaderWideGeneratorFollowsNoClockWhileItHasReadNothing() {
        CaughtUpWatermarks<String> readerWide =
                new CaughtUpWatermarks<>(
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10),
                        clock::get,
                        record -> clock.get(),
                        false);
        clock.addAndGet(Duration.ofMinutes(10).toMillis());
        readerWide.onPeriodicEmit(output);
        assertThat(watermarks).as("nothing read, ten minutes on").isEmpty();

        readerWide.onEvent("a", 500_000, output);
        clock.addAndGet(10_000);
        readerWide.onPeriodicEmit(output);
        assertThat(watermarks).as("read, then quiet").containsExactly(clock.get() - 30_000 - 1);
    }

    @Test
    void theSuppliersFirstGeneratorIsTheReaderWideOneAndTheRestAreSplits() throws Exception {
        CaughtUpWatermarks.Supplier<String> supplier =
                new CaughtUpWatermarks.Supplier<>(
                        Duration.ofSeconds(30), Duration.ofMillis(1), record -> Long.MIN_VALUE);
        // as Flink ships it to each source subtask: a serialized copy, whose count starts at 0
        supplier = org.apache.flink.util.InstantiationUtil.clone(supplier);
        var readerWide = supplier.createWatermarkGenerator(null);
        var split = supplier.createWatermarkGenerator(null);
        Thread.sleep(5);
        readerWide.onPeriodicEmit(output);
        assertThat(watermarks).as("the reader-wide generator, nothing read").isEmpty();
        split.onPeriodicEmit(output);
        assertThat(watermarks).as("a split with nothing to read is caught up").hasSize(1);

        var copy = org.apache.flink.util.InstantiationUtil.clone(supplier);
        copy.createWatermarkGenerator(null).onPeriodicEmit(output);
        assertThat(watermarks).as("another subtask's reader-wide generator").hasSize(1);
    }
}
