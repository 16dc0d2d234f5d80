package io.repostream.flink.rules.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.RepoPolicy.BusinessCalendar;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class BusinessClockTest {
    private static final List<DayOfWeek> WEEKDAYS =
            List.of(
                    DayOfWeek.MONDAY,
                    DayOfWeek.TUESDAY,
                    DayOfWeek.WEDNESDAY,
                    DayOfWeek.THURSDAY,
                    DayOfWeek.FRIDAY);

    private final BusinessClock berlin =
            new BusinessClock(
                    new BusinessCalendar(
                            "Europe/Berlin",
                            WEEKDAYS,
                            LocalTime.of(9, 0),
                            LocalTime.of(17, 0),
                            List.of(LocalDate.of(2026, 3, 9))));

    @Test
    void addsTimeWithinOneWorkingDay() {
        // Monday 10:00 Berlin (UTC+1 in March)
        Instant from = Instant.parse("2026-03-02T09:00:00Z");
        assertThat(berlin.plus(from, Duration.ofHours(2)))
                .isEqualTo(Instant.parse("2026-03-02T11:00:00Z"));
    }

    @Test
    void carriesTheRestOverTheWeekendAndSkipsHolidays() {
        // Friday 16:50 Berlin; 10 minutes on Friday, Monday 9 March is a holiday
        Instant from = Instant.parse("2026-03-06T15:50:00Z");
        assertThat(berlin.plus(from, Duration.ofMinutes(30)))
                .isEqualTo(Instant.parse("2026-03-10T08:20:00Z"));
    }

    @Test
    void startsTheClockAtOpeningTimeWhenStartedAtNight() {
        Instant sundayNight = Instant.parse("2026-03-01T22:00:00Z");
        assertThat(berlin.plus(sundayNight, Duration.ofMinutes(5)))
                .isEqualTo(Instant.parse("2026-03-02T08:05:00Z"));
    }

    @Test
    void alwaysOnCalendarAddsWallClockTime() {
        BusinessClock always = new BusinessClock(BusinessCalendar.always());
        Instant from = Instant.parse("2026-03-07T23:59:00Z");
        assertThat(always.plus(from, Duration.ofHours(49)))
                .isEqualTo(from.plus(Duration.ofHours(49)));
    }

    @Test
    void runsANightShiftAcrossMidnight() {
        BusinessClock nights = nightShift(List.of(DayOfWeek.values()));
        // Monday 23:00: an hour left of Monday's shift before midnight, six after
        assertThat(nights.plus(Instant.parse("2026-03-02T23:00:00Z"), Duration.ofMinutes(30)))
                .isEqualTo(Instant.parse("2026-03-02T23:30:00Z"));
        assertThat(nights.plus(Instant.parse("2026-03-02T23:00:00Z"), Duration.ofHours(3)))
                .isEqualTo(Instant.parse("2026-03-03T02:00:00Z"));
        // started during the day: the clock starts with the evening's shift
        assertThat(nights.plus(Instant.parse("2026-03-02T12:00:00Z"), Duration.ofHours(1)))
                .isEqualTo(Instant.parse("2026-03-02T23:00:00Z"));
    }

    @Test
    void aNightShiftBelongsToTheDayItStartsOn() {
        BusinessClock mondayNights = nightShift(List.of(DayOfWeek.MONDAY));
        // Tuesday 05:50 is still Monday's shift: 10 minutes, then next Monday 22:00
        assertThat(mondayNights.plus(Instant.parse("2026-03-03T05:50:00Z"), Duration.ofMinutes(30)))
                .isEqualTo(Instant.parse("2026-03-09T22:20:00Z"));
        // a holiday on Monday 9 March cancels the shift that starts that evening
        BusinessClock withHoliday =
                new BusinessClock(
                        new BusinessCalendar(
                                "UTC",
                                List.of(DayOfWeek.MONDAY),
                                LocalTime.of(22, 0),
                                LocalTime.of(6, 0),
                                List.of(LocalDate.of(2026, 3, 9))));
        assertThat(withHoliday.plus(Instant.parse("2026-03-03T07:00:00Z"), Duration.ofHours(1)))
                .isEqualTo(Instant.parse("2026-03-16T23:00:00Z"));
    }

    @Test
    void equalStartAndEndIsAShiftOfTwentyFourHours() {
        BusinessClock weekdaysFromNine =
                new BusinessClock(
                        new BusinessCalendar(
                                "UTC", WEEKDAYS, LocalTime.of(9, 0), LocalTime.of(9, 0), null));
        // Friday 10:00: 23 hours of Friday's shift, then Monday from 09:00
        assertThat(
                        weekdaysFromNine.plus(
                                Instant.parse("2026-03-06T10:00:00Z"), Duration.ofHours(25)))
                .isEqualTo(Instant.parse("2026-03-09T11:00:00Z"));
    }

    @Test
    void aCalendarWithoutWorkingDaysHasNoDeadlineInsteadOfFailing() {
        BusinessClock never =
                new BusinessClock(new BusinessCalendar("UTC", List.of(), null, null, null));
        assertThat(never.plus(Instant.EPOCH, Duration.ofMinutes(1))).isNull();
    }

    @Test
    void aDeadlineBeyondTenYearsOfCalendarIsNone() {
        // one hour a week: 30 days of working time take almost fourteen years
        BusinessClock sparse =
                new BusinessClock(
                        new BusinessCalendar(
                                "UTC",
                                List.of(DayOfWeek.SUNDAY),
                                LocalTime.of(9, 0),
                                LocalTime.of(10, 0),
                                null));
        assertThat(sparse.plus(Instant.EPOCH, Duration.ofHours(100)))
                .isEqualTo(Instant.parse("1971-11-28T10:00:00Z"));
        assertThat(sparse.plus(Instant.EPOCH, Duration.ofDays(30))).isNull();
    }

    @Test
    void buildsARepositorysClockOnceUntilItsCalendarChanges() {
        BusinessClocks clocks = new BusinessClocks();
        BusinessCalendar calendar =
                new BusinessCalendar(
                        "UTC", WEEKDAYS, LocalTime.of(9, 0), LocalTime.of(17, 0), null);

        BusinessClock first = clocks.of("o/a", calendar);
        assertThat(clocks.of("o/a", calendar)).isSameAs(first);
        assertThat(
                        clocks.of(
                                "o/a",
                                new BusinessCalendar(
                                        "UTC",
                                        WEEKDAYS,
                                        LocalTime.of(9, 0),
                                        LocalTime.of(17, 0),
                                        null)))
                .as("an equal calendar, as a policy read again")
                .isSameAs(first);
        BusinessClock changed =
                clocks.of(
                        "o/a",
                        new BusinessCalendar(
                                "UTC", WEEKDAYS, LocalTime.of(8, 0), LocalTime.of(17, 0), null));
        assertThat(changed).isNotSameAs(first);
        assertThat(changed.plus(Instant.parse("2026-03-02T07:00:00Z"), Duration.ofMinutes(1)))
                .isEqualTo(Instant.parse("2026-03-02T08:01:00Z"));
        assertThat(clocks.of("o/b", calendar)).isNotSameAs(first);
    }

    private static BusinessClock nightShift(List<DayOfWeek> days) {
        return new BusinessClock(
                new BusinessCalendar("UTC", days, LocalTime.of(22, 0), LocalTime.of(6, 0), null));
    }
}
