package io.repostream.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void refusesACalendarWithoutWorkingDays() {
        BusinessClock never =
                new BusinessClock(new BusinessCalendar("UTC", List.of(), null, null, null));
        assertThatThrownBy(() -> never.plus(Instant.EPOCH, Duration.ofMinutes(1)))
                .hasMessageContaining("no working time");
    }
}
