package io.repostream.flink.rules.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.Maintenance;
import io.repostream.schemas.Maintenance.Cadence;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The window chosen from a learned profile, a row per case: a repository's section, weeks of
 * activity (how many people are active in each local hour), the earliest start, and the window
 * expected (UTC), or none. Time zones with summer time and half-hour offsets, holidays, weekly
 * cadence, fixed windows, and a team whose habits change.
 */
class WindowPlannerTest {
    private static final LocalDate MARCH_2 = LocalDate.of(2026, 3, 2); // a Monday
    private static final String BERLIN = "Europe/Berlin";

    private static Maintenance in(String zone) {
        return Maintenance.builder().timeZone(zone).build();
    }

    /** Three people every hour but {@code quiet} (local), when nobody is. */
    private static ToIntFunction<ZonedDateTime> quietAt(int quiet) {
        return h -> h.getHour() == quiet ? 0 : 3;
    }

    private static Instant local(String zone, int y, int mo, int d, int h) {
        return ZonedDateTime.of(y, mo, d, h, 0, 0, 0, ZoneId.of(zone)).toInstant();
    }

    static Stream<Arguments> windows() {
        Maintenance berlin = in(BERLIN);
        return Stream.of(
                Arguments.of(
                        "the quiet hour of a Berlin team, in winter (UTC+1)",
                        berlin,
                        MARCH_2,
                        2,
                        quietAt(4),
                        local(BERLIN, 2026, 3, 16, 0),
                        "2026-03-16T03:00:00Z"),
                Arguments.of(
                        "the same hour on the day clocks go forward (no 02:00; 04:00 is UTC+2)",
                        berlin,
                        MARCH_2,
                        3,
                        quietAt(4),
                        local(BERLIN, 2026, 3, 29, 0),
                        "2026-03-29T02:00:00Z"),
                Arguments.of(
                        "on the day clocks go back, 02:00 comes twice: the first is chosen",
                        berlin,
                        LocalDate.of(2026, 10, 5),
                        3,
                        quietAt(2),
                        local(BERLIN, 2026, 10, 25, 0),
                        "2026-10-25T00:00:00Z"),
                Arguments.of(
                        "a half-hour offset: windows start on Kolkata's hours",
                        in("Asia/Kolkata"),
                        MARCH_2,
                        2,
                        quietAt(4),
                        local("Asia/Kolkata", 2026, 3, 16, 0),
                        "2026-03-15T22:30:00Z"),
                Arguments.of(
                        "an hour already begun is not a window: the next day's",
                        berlin,
                        MARCH_2,
                        2,
                        quietAt(4),
                        local(BERLIN, 2026, 3, 16, 4).plusSeconds(60),
                        "2026-03-17T03:00:00Z"),
                Arguments.of(
                        "a holiday has no window: the next day's",
                        berlin.toBuilder().holidays(List.of(LocalDate.of(2026, 3, 16))).build(),
                        MARCH_2,
                        2,
                        quietAt(4),
                        local(BERLIN, 2026, 3, 16, 0),
                        "2026-03-17T03:00:00Z"),
                Arguments.of(
                        "weekly: the quietest hour of the week",
                        berlin.toBuilder().cadence(Cadence.WEEKLY).build(),
                        MARCH_2,
                        2,
                        (ToIntFunction<ZonedDateTime>)
                                h ->
                                        h.getHour() != 4
                                                ? 3
                                                : h.getDayOfWeek() == DayOfWeek.WEDNESDAY ? 0 : 1,
                        local(BERLIN, 2026, 3, 16, 0),
                        "2026-03-18T03:00:00Z"),
                Arguments.of(
                        "weekly at 03:00: the 03:00 of the quietest day",
                        berlin.toBuilder().cadence(Cadence.WEEKLY).window("03:00").build(),
                        MARCH_2,
                        2,
                        (ToIntFunction<ZonedDateTime>)
                                h ->
                                        h.getHour() != 3
                                                ? 3
                                                : h.getDayOfWeek() == DayOfWeek.THURSDAY ? 0 : 1,
                        local(BERLIN, 2026, 3, 16, 0),
                        "2026-03-19T02:00:00Z"),
                Arguments.of(
                        "a team whose quiet hour moved from 04:00 to 22:00 six weeks ago",
                        berlin,
                        MARCH_2,
                        10,
                        (ToIntFunction<ZonedDateTime>)
                                h ->
                                        h.toLocalDate().isBefore(MARCH_2.plusWeeks(4))
                                                ? (h.getHour() == 4 ? 0 : 3)
                                                : (h.getHour() == 22 ? 0 : 3),
                        local(BERLIN, 2026, 5, 11, 0),
                        "2026-05-11T20:00:00Z"),
                Arguments.of(
                        "six days of activity: still learning, no window",
                        berlin,
                        MARCH_2,
                        0,
                        quietAt(4),
                        local(BERLIN, 2026, 3, 8, 0),
                        null),
                Arguments.of(
                        "a fixed window while still learning",
                        in("UTC").toBuilder().window("03:00").build(),
                        MARCH_2,
                        0,
                        quietAt(4),
                        Instant.parse("2026-03-09T05:00:00Z"),
                        "2026-03-10T03:00:00Z"),
                Arguments.of(
                        "a fixed weekly window on the day clocks go forward",
                        berlin.toBuilder().cadence(Cadence.WEEKLY).window("sunday 03:00").build(),
                        MARCH_2,
                        3,
                        quietAt(4),
                        local(BERLIN, 2026, 3, 23, 0),
                        "2026-03-29T01:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void choosesTheLowestImpactHourOfThePeriod(
            String name,
            Maintenance m,
            LocalDate from,
            int weeks,
            ToIntFunction<ZonedDateTime> people,
            Instant earliest,
            String expected) {
        ImpactProfile profile =
                weeks == 0
                        ? learnedDays(m, from, 6, people)
                        : learnedDays(m, from, weeks * 7, people);

        WindowPlanner.Window window = WindowPlanner.choose(profile, m, earliest.toEpochMilli());

        assertThat(window == null ? null : Instant.ofEpochMilli(window.start()).toString())
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "holidays {0}")
    @MethodSource("holidayRows")
    void aHolidaysActivityIsNotLearned(List<LocalDate> holidays, String expected) {
        // week 2's Monday is a holiday: nobody works, and a release is cut at 04:00 by 40 people
        LocalDate holiday = MARCH_2.plusWeeks(1);
        Maintenance m = in(BERLIN).toBuilder().holidays(holidays).build();
        ToIntFunction<ZonedDateTime> people =
                h ->
                        h.toLocalDate().equals(holiday)
                                ? (h.getHour() == 4 ? 40 : 0)
                                : (h.getHour() == 4 ? 0 : 3);
        ImpactProfile profile = learnedDays(m, MARCH_2, 14, people);

        WindowPlanner.Window window =
                WindowPlanner.choose(profile, m, local(BERLIN, 2026, 3, 16, 0).toEpochMilli());

        assertThat(Instant.ofEpochMilli(window.start()).toString()).isEqualTo(expected);
    }

    static Stream<Arguments> holidayRows() {
        return Stream.of(
                // learned: Monday 04:00 stays the quiet hour it is every other week
                Arguments.of(List.of(LocalDate.of(2026, 3, 9)), "2026-03-16T03:00:00Z"),
                // not in the policy: the release made Monday 04:00 the busiest hour
                Arguments.of(List.of(), "2026-03-15T23:00:00Z"));
    }

    @Test
    void theWindowSaysWhyWithItsScoreAgainstTheWeek() {
        Maintenance m = in(BERLIN);
        ImpactProfile profile = learnedDays(m, MARCH_2, 14, quietAt(4));

        WindowPlanner.Window window =
                WindowPlanner.choose(profile, m, local(BERLIN, 2026, 3, 16, 0).toEpochMilli());

        assertThat(window.score()).isZero();
        assertThat(window.rank()).isEqualTo(1);
        assertThat(window.evidence())
                .containsExactly(
                        "window: Mon 2026-03-16 04:00 +01:00 to 05:00 Europe/Berlin (hour of the"
                                + " week mon-04)",
                        "choice: lowest-impact hour of the day 2026-03-16",
                        "impact 0.000, rank 1 of 168 hours of the week (lowest first); the week's"
                                + " min 0.000, median 1.000, max 1.000",
                        "weights: active people 0.4, workflow runs 0.3, merges 0.2, issue"
                                + " activity 0.1; half-life 28 days");
    }

    /**
     * A profile learned over {@code days} from {@code from} (local midnight): in each local hour,
     * {@code people} distinct people comment (each an issue event), ten minutes past the hour.
     */
    static ImpactProfile learnedDays(
            Maintenance m, LocalDate from, int days, ToIntFunction<ZonedDateTime> people) {
        ZoneId zone = m.zone();
        ImpactProfile profile = new ImpactProfile();
        ZonedDateTime end = from.plusDays(days).atStartOfDay(zone);
        for (ZonedDateTime h = from.atStartOfDay(zone); h.isBefore(end); h = h.plusHours(1)) {
            long at = h.plus(10, ChronoUnit.MINUTES).toInstant().toEpochMilli();
            int n = people.applyAsInt(h);
            for (int i = 0; i < n; i++) {
                assertThat(profile.add(at, "dev" + i, false, false, true, m)).isTrue();
            }
        }
        profile.advanceTo(end.toInstant().toEpochMilli(), m);
        return profile;
    }
}
