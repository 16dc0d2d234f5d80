package io.repostream.flink.governors;

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
    void findsTheSameSlotsAsCheckingEveryCandidateOnItsOwn() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            long window = 1 + random.nextInt(2_000);
            int limit = 1 + random.nextInt(12);
            List<Long> schedule = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                long from = random.nextInt(10_000);
                long slot = SlotSchedule.earliest(schedule, from, window, limit);
                assertThat(slot)
                        .as("round %d, window %d, limit %d, from %d", round, window, limit, from)
                        .isEqualTo(reference(schedule, from, window, limit));
                schedule = SlotSchedule.with(schedule, random.nextInt(4) == 0 ? from : slot);
            }
        }
    }

    @Test
    void prunesReservationsThatLeftTheWindow() {
        assertThat(SlotSchedule.prune(List.of(1L, 50L, 150L), 160, 100)).containsExactly(150L);
    }

    /**
     * The first version of {@link SlotSchedule#earliest}: sorts every candidate and checks each
     * window containing it by counting from scratch.
     */
    private static long reference(List<Long> sorted, long from, long windowMs, int limit) {
        if (sorted.size() < limit) {
            return from;
        }
        List<Long> candidates = new ArrayList<>();
        candidates.add(from);
        for (long r : sorted) {
            if (r + windowMs > from) {
                candidates.add(r + windowMs);
            }
        }
        candidates.sort(null);
        for (long t : candidates) {
            if (count(sorted, t - windowMs + 1, t + 1) + 1 > limit) {
                continue;
            }
            boolean fits = true;
            for (long r : sorted) {
                if (r > t
                        && r < t + windowMs
                        && count(sorted, r - windowMs + 1, r + 1) + 1 > limit) {
                    fits = false;
                }
            }
            if (fits) {
                return t;
            }
        }
        return sorted.get(sorted.size() - 1) + windowMs;
    }

    private static long count(List<Long> sorted, long from, long to) {
        return sorted.stream().filter(r -> r >= from && r < to).count();
    }
}
