package io.repostream.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlotScheduleTest {

    @Test
    void grantsTheRequestedTimeWhileUnderTheLimit() {
        assertThat(SlotSchedule.earliest(List.of(1L, 2L), 5, 100, 3)).isEqualTo(5);
    }

    @Test
    void waitsUntilTheOldestReservationLeavesTheWindow() {
        assertThat(SlotSchedule.earliest(List.of(10L, 20L, 30L), 40, 100, 3)).isEqualTo(110);
    }

    @Test
    void neverGrantsASlotForAZeroLimit() {
        assertThat(SlotSchedule.earliest(List.of(), 0, 100, 0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void keepsEveryWindowWithinTheLimitEvenWhenEarlierSlotsAreRequestedAfterLaterOnes() {
        Random random = new Random(7);
        List<Long> schedule = new ArrayList<>();
        long window = 1_000;
        int limit = 5;
        for (int i = 0; i < 300; i++) {
            long from = random.nextInt(20_000);
            long slot = SlotSchedule.earliest(schedule, from, window, limit);
            assertThat(slot).isGreaterThanOrEqualTo(from);
            schedule = SlotSchedule.with(schedule, slot);
        }
        for (long start = -window; start <= 40_000; start += 7) {
            long s = start;
            long inWindow = schedule.stream().filter(r -> r >= s && r < s + window).count();
            assertThat(inWindow).as("window starting at %d", start).isLessThanOrEqualTo(limit);
        }
    }

    @Test
    void prunesReservationsThatLeftTheWindow() {
        assertThat(SlotSchedule.prune(List.of(1L, 50L, 150L), 160, 100)).containsExactly(150L);
    }
}
