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
    private final CaughtUpWatermarks<String> generator =
            new CaughtUpWatermarks<>(Duration.ofSeconds(30), Duration.ofSeconds(10), clock::get);

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
}
