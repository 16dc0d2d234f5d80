package io.repostream.flink.functions;

import io.repostream.schemas.RepoPolicy.BusinessCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;

/** Adds working time to an instant: the clock runs only on working days, within working hours. */
public final class BusinessClock {
    /** A calendar that never works would otherwise loop forever; ten years is plenty. */
    private static final int MAX_DAYS = 3660;

    private final ZoneId zone;
    private final Set<java.time.DayOfWeek> workingDays;
    private final LocalTime start;
    private final LocalTime end;
    private final Set<LocalDate> holidays;

    public BusinessClock(BusinessCalendar calendar) {
        this.zone = ZoneId.of(calendar.timeZone());
        this.workingDays = new HashSet<>(calendar.workingDays());
        this.start = calendar.start();
        this.end = calendar.end();
        this.holidays = new HashSet<>(calendar.holidays());
    }

    /**
     * The instant at which {@code amount} of working time has passed since {@code from}.
     *
     * @throws IllegalArgumentException when the calendar has no working time in ten years
     */
    public Instant plus(Instant from, Duration amount) {
        Duration left = amount;
        LocalDate day = from.atZone(zone).toLocalDate();
        for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
            if (!workingDays.contains(day.getDayOfWeek()) || holidays.contains(day)) {
                continue;
            }
            Instant open = at(day, start);
            Instant close =
                    end.equals(LocalTime.MAX) ? at(day.plusDays(1), LocalTime.MIN) : at(day, end);
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
        throw new IllegalArgumentException(
                "business calendar in "
                        + zone
                        + " has no working time within "
                        + MAX_DAYS
                        + " days");
    }

    private Instant at(LocalDate day, LocalTime time) {
        return ZonedDateTime.of(LocalDateTime.of(day, time), zone).toInstant();
    }
}
