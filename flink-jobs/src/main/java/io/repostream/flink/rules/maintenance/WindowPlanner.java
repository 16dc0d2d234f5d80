package io.repostream.flink.rules.maintenance;

import io.repostream.schemas.Maintenance;
import io.repostream.schemas.Maintenance.Cadence;
import io.repostream.schemas.Maintenance.FixedWindow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Chooses a repository's next maintenance window: within the period (local day, or week from
 * Monday) that contains the earliest allowed start, the whole local hour with the lowest impact
 * ({@link ImpactProfile#scores}), the earliest of equals; or the policy's fixed window. Holidays
 * have no window. When the period's quietest hour (or its fixed window) has passed already (a
 * repository seen first in the afternoon), the window is the next period's: never a busier hour for
 * want of time.
 */
public final class WindowPlanner {
    /** How long a window lasts: the profile's unit. */
    public static final Duration LENGTH = Duration.ofHours(1);

    /** How many periods ahead a window is looked for (holidays in a row, a fixed day). */
    static final int MAX_PERIODS = 60;

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm xxx", Locale.ROOT);

    private WindowPlanner() {}

    /**
     * A chosen window.
     *
     * @param start the window's start (epoch millis); it ends {@link #LENGTH} later
     * @param hourOfWeek its local hour of the week
     * @param score its impact, 0..1 (-1 for a fixed window before the profile is ready)
     * @param rank its rank among the week's 168 hours, lowest impact first (1..168; 0 unknown)
     * @param evidence why, in lines a maintainer reads
     */
    public record Window(
            long start, int hourOfWeek, double score, int rank, List<String> evidence) {
        public long end() {
            return start + LENGTH.toMillis();
        }
    }

    /**
     * The window for the period that contains {@code from} (or a later one), starting no earlier
     * than {@code from}; null while the profile is still learning and no fixed window is given.
     */
    public static Window choose(ImpactProfile profile, Maintenance m, long from) {
        FixedWindow fixed = m.fixedWindow();
        boolean ready = profile.ready();
        if (fixed == null && !ready) {
            return null;
        }
        ZoneId zone = m.zone();
        double[] scores = ready ? profile.scores(m.weights()) : null;
        ZonedDateTime earliest = ceilHour(from, zone);
        ZonedDateTime periodStart = periodStart(Instant.ofEpochMilli(from).atZone(zone), m);
        for (int p = 0; p < MAX_PERIODS; p++) {
            ZonedDateTime periodEnd = next(periodStart, m);
            ZonedDateTime best = null;
            double bestScore = Double.POSITIVE_INFINITY;
            double periodBest = Double.POSITIVE_INFINITY;
            for (ZonedDateTime h = periodStart; h.isBefore(periodEnd); h = h.plusHours(1)) {
                if (m.isHoliday(h.toLocalDate()) || (fixed != null && !matches(h, fixed))) {
                    continue;
                }
                double s = scores == null ? 0 : scores[ImpactProfile.hourOfWeek(h)];
                periodBest = Math.min(periodBest, s);
                if (!h.isBefore(earliest) && s < bestScore) {
                    best = h;
                    bestScore = s;
                }
            }
            // the period's quietest hour, unless it has passed: then the next period's
            if (best != null && bestScore <= periodBest) {
                return window(best, scores, m, periodStart);
            }
            periodStart = periodEnd;
        }
        return null;
    }

    /** The start of the period after the one that contains {@code at}. */
    public static long nextPeriod(long at, Maintenance m) {
        ZonedDateTime t = Instant.ofEpochMilli(at).atZone(m.zone());
        return next(periodStart(t, m), m).toInstant().toEpochMilli();
    }

    private static Window window(
            ZonedDateTime start, double[] scores, Maintenance m, ZonedDateTime periodStart) {
        int how = ImpactProfile.hourOfWeek(start);
        String when =
                WHEN.format(start)
                        + " to "
                        + DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
                                .format(start.plus(LENGTH))
                        + " "
                        + m.timeZone()
                        + " (hour of the week "
                        + ImpactProfile.label(how)
                        + ")";
        String period =
                m.cadence() == Cadence.DAILY
                        ? "the day " + periodStart.toLocalDate()
                        : "the week from " + periodStart.toLocalDate();
        if (scores == null) {
            return new Window(
                    start.toInstant().toEpochMilli(),
                    how,
                    -1,
                    0,
                    List.of(
                            "window: " + when,
                            "fixed window "
                                    + m.window()
                                    + " of "
                                    + period
                                    + "; profile still learning"));
        }
        double score = scores[how];
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int rank = 1;
        for (double s : scores) {
            if (s < score) {
                rank++;
            }
        }
        String choice =
                m.fixedWindow() != null
                        ? "fixed window " + m.window() + " of " + period
                        : "lowest-impact hour of " + period;
        return new Window(
                start.toInstant().toEpochMilli(),
                how,
                score,
                rank,
                List.of(
                        "window: " + when,
                        "choice: " + choice,
                        String.format(
                                Locale.ROOT,
                                "impact %.3f, rank %d of %d hours of the week (lowest first);"
                                        + " the week's min %.3f, median %.3f, max %.3f",
                                score,
                                rank,
                                ImpactProfile.HOURS,
                                sorted[0],
                                (sorted[83] + sorted[84]) / 2,
                                sorted[ImpactProfile.HOURS - 1]),
                        String.format(
                                Locale.ROOT,
                                "weights: active people %s, workflow runs %s, merges %s, issue"
                                        + " activity %s; half-life %s",
                                m.weights().activePeople(),
                                m.weights().workflowRuns(),
                                m.weights().prMerges(),
                                m.weights().issueActivity(),
                                Days.of(m.halfLife()))));
    }

    private static boolean matches(ZonedDateTime h, FixedWindow fixed) {
        return h.toLocalTime().equals(fixed.start())
                && (fixed.day() == null || h.getDayOfWeek() == fixed.day());
    }

    private static ZonedDateTime ceilHour(long at, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(at).atZone(zone);
        ZonedDateTime h = t.truncatedTo(ChronoUnit.HOURS);
        return h.equals(t) ? h : h.plusHours(1);
    }

    private static ZonedDateTime periodStart(ZonedDateTime t, Maintenance m) {
        ZonedDateTime day = t.toLocalDate().atStartOfDay(t.getZone());
        return m.cadence() == Cadence.DAILY
                ? day
                : t.toLocalDate()
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                        .atStartOfDay(t.getZone());
    }

    private static ZonedDateTime next(ZonedDateTime periodStart, Maintenance m) {
        return m.cadence() == Cadence.DAILY
                ? periodStart.toLocalDate().plusDays(1).atStartOfDay(periodStart.getZone())
                : periodStart.toLocalDate().plusWeeks(1).atStartOfDay(periodStart.getZone());
    }
}
