package io.repostream.flink.rules.sla;

import io.repostream.schemas.RepoPolicy.BusinessCalendar;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Adds working time to an instant: the clock runs only on working days, within working hours.
 *
 * <p>A working day's shift runs from {@code start} to {@code end}; when {@code end} is not after
 * {@code start} (a night shift, 22:00 to 06:00) it ends on the next day, and {@code start == end}
 * is a 24-hour shift. Working days and holidays name the day a shift starts on.
 */
public final class BusinessClock {
    /**
     * How far ahead a deadline is looked for. A calendar with little working time per week and a
     * long target could otherwise scan for a long time; a deadline beyond ten years is none.
     */
    static final int MAX_DAYS = 3660;

    private final BusinessCalendar calendar;
    private final ZoneId zone;
    private final Set<DayOfWeek> workingDays;
    private final LocalTime start;
    private final LocalTime end;
    private final Set<LocalDate> holidays;

    public BusinessClock(BusinessCalendar calendar) {
        this.calendar = calendar;
        this.zone = ZoneId.of(calendar.timeZone());
        this.workingDays =
                calendar.workingDays().isEmpty()
                        ? EnumSet.noneOf(DayOfWeek.class)
                        : EnumSet.copyOf(calendar.workingDays());
        this.start = calendar.start();
        this.end = calendar.end();
        this.holidays = new HashSet<>(calendar.holidays());
    }

    /** Whether this clock was built from {@code other} (or an equal calendar). */
    boolean follows(BusinessCalendar other) {
        return other == calendar || other.equals(calendar);
    }

    /**
     * The instant at which {@code amount} of working time has passed since {@code from}, or null
     * when the calendar has less working time than that within {@link #MAX_DAYS} days (a calendar
     * without working days never has any): then nothing is ever due. Never throws for a calendar,
     * so that a policy value cannot fail the job.
     */
    public Instant plus(Instant from, Duration amount) {
        if (workingDays.isEmpty()) {
            return null;
        }
        Duration left = amount;
        // the shift that started the day before may still be running (night shifts)
        LocalDate day = from.atZone(zone).toLocalDate().minusDays(1);
        for (int i = 0; i <= MAX_DAYS; i++, day = day.plusDays(1)) {
            if (!workingDays.contains(day.getDayOfWeek()) || holidays.contains(day)) {
                continue;
            }
            Instant open = at(day, start);
            Instant close = close(day);
            Instant begin = from.isAfter(open) ? from : open;
            if (!begin.isBefore(close)) {
                continue;
            }
            Duration available = Duration.between(begin, close);
            if (available.compareTo(left) >= 0) {
                return begin.plus(left);
            }
            left = left.minus(available);
        }
        return null;
    }

    /** The end of the shift that starts on {@code day}. */
    private Instant close(LocalDate day) {
        if (end.equals(LocalTime.MAX)) {
            return at(day.plusDays(1), LocalTime.MIN);
        }
        return end.isAfter(start) ? at(day, end) : at(day.plusDays(1), end);
    }

    private Instant at(LocalDate day, LocalTime time) {
        return ZonedDateTime.of(LocalDateTime.of(day, time), zone).toInstant();
    }
}
