package io.repostream.flink.rules.maintenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.repostream.schemas.Maintenance;
import io.repostream.schemas.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A repository's activity per local hour of the week (168 hours, Monday 00:00 first), learned
 * online from its own events: per hour of the week an exponentially weighted average of each kind
 * of activity (distinct active people, workflow runs, merges, issue activity) over the weeks seen.
 *
 * <p>The hour being counted is folded in when event time moves past it; hours without any event are
 * folded in as zero activity (a quiet hour is what the profile is for), up to {@link #MAX_GAP}
 * after the last event. Hours on the policy's holidays are not learned. An event of an hour already
 * folded in (late beyond the hour) is not counted ({@link #add} says so). Local hours follow the
 * zone's offsets: a day that springs forward has no 02:00, one that falls back counts 01:00 twice,
 * into the same hour of the week.
 */
public final class ImpactProfile {
    /** Hours of a week. */
    public static final int HOURS = 168;

    /** The longest silence folded in as quiet hours, hour by hour. */
    static final Duration MAX_GAP = Duration.ofDays(28);

    /** At most this many people are told apart in one hour (their count saturates there). */
    static final int MAX_PEOPLE = 200;

    static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    // public fields: the state's JSON form
    public double[] people = new double[HOURS];
    public double[] runs = new double[HOURS];
    public double[] merges = new double[HOURS];
    public double[] issues = new double[HOURS];

    /** How many times each hour of the week was learned (saturating). */
    public int[] seen = new int[HOURS];

    /** Start of the local hour being counted (epoch millis), or -1 before the first event. */
    public long hourStart = -1;

    public List<String> hourPeople = new ArrayList<>();
    public int hourRuns;
    public int hourMerges;
    public int hourIssues;

    /** The hour of the week of a local time: Monday 00:00 is 0, Sunday 23:00 is 167. */
    public static int hourOfWeek(ZonedDateTime t) {
        return (t.getDayOfWeek().getValue() - 1) * 24 + t.getHour();
    }

    /** {@code mon-03} for hour 3, {@code sun-23} for 167. */
    public static String label(int hourOfWeek) {
        return DAYS[hourOfWeek / 24] + "-" + String.format(Locale.ROOT, "%02d", hourOfWeek % 24);
    }

    /** The start of the local hour {@code at} is in, in {@code zone}. */
    static ZonedDateTime hourOf(long at, ZoneId zone) {
        return Instant.ofEpochMilli(at).atZone(zone).truncatedTo(ChronoUnit.HOURS);
    }

    /**
     * Counts activity at event time {@code at}: {@code person} (null for none: a bot, or nobody), a
     * completed workflow run, a merge, issue activity. False when {@code at} is in an hour already
     * folded in (the event came late): nothing is counted.
     */
    public boolean add(
            long at, String person, boolean run, boolean merge, boolean issue, Maintenance m) {
        long hour = hourOf(at, m.zone()).toInstant().toEpochMilli();
        if (hourStart >= 0 && hour < hourStart) {
            return false;
        }
        advanceTo(at, m);
        if (person != null) {
            Set<String> all = new LinkedHashSet<>(hourPeople);
            if (all.size() < MAX_PEOPLE) {
                all.add(person.toLowerCase(Locale.ROOT));
                hourPeople = new ArrayList<>(all);
            }
        }
        hourRuns += run ? 1 : 0;
        hourMerges += merge ? 1 : 0;
        hourIssues += issue ? 1 : 0;
        return true;
    }

    /**
     * Folds in every whole hour before the local hour of {@code at}: the one being counted, then
     * quiet ones, up to {@link #MAX_GAP}.
     */
    public void advanceTo(long at, Maintenance m) {
        ZoneId zone = m.zone();
        ZonedDateTime target = hourOf(at, zone);
        long targetStart = target.toInstant().toEpochMilli();
        if (hourStart < 0) {
            hourStart = targetStart;
            return;
        }
        if (targetStart <= hourStart) {
            return;
        }
        double alpha = alpha(m.halfLife());
        ZonedDateTime h = Instant.ofEpochMilli(hourStart).atZone(zone);
        learn(h, hourPeople.size(), hourRuns, hourMerges, hourIssues, alpha, m);
        ZonedDateTime quietFrom = h.plusHours(1);
        ZonedDateTime earliest = target.minus(MAX_GAP);
        if (quietFrom.isBefore(earliest)) {
            quietFrom = earliest;
        }
        for (ZonedDateTime q = quietFrom; q.isBefore(target); q = q.plusHours(1)) {
            learn(q, 0, 0, 0, 0, alpha, m);
        }
        hourStart = targetStart;
        hourPeople = new ArrayList<>();
        hourRuns = 0;
        hourMerges = 0;
        hourIssues = 0;
    }

    /** How much a new week's hour moves the average: each hour of the week is seen once a week. */
    static double alpha(Duration halfLife) {
        double weeks = halfLife.toMillis() / (double) Duration.ofDays(7).toMillis();
        return 1 - Math.pow(0.5, 1 / weeks);
    }

    private void learn(
            ZonedDateTime hour,
            double p,
            double r,
            double mg,
            double i,
            double alpha,
            Maintenance m) {
        if (m.isHoliday(hour.toLocalDate())) {
            return;
        }
        int h = hourOfWeek(hour);
        if (seen[h] == 0) {
            people[h] = p;
            runs[h] = r;
            merges[h] = mg;
            issues[h] = i;
        } else {
            people[h] += alpha * (p - people[h]);
            runs[h] += alpha * (r - runs[h]);
            merges[h] += alpha * (mg - merges[h]);
            issues[h] += alpha * (i - issues[h]);
        }
        seen[h] = Math.min(seen[h] + 1, 1_000_000);
    }

    /** Whether every hour of the week has been learned at least once. */
    public boolean ready() {
        return Arrays.stream(seen).allMatch(n -> n > 0);
    }

    /** Weeks of history: how often the least-seen hour of the week was learned. */
    public int weeks() {
        return Arrays.stream(seen).min().orElse(0);
    }

    /**
     * The impact of each hour of the week, 0..1: over the kinds of activity seen at all, the sum of
     * each kind's weight times its average in that hour divided by its busiest hour's, divided by
     * the sum of their weights (a repository without workflows is judged on the rest).
     */
    public double[] scores(Maintenance.Weights w) {
        double[][] kinds = {people, runs, merges, issues};
        double[] weights = {w.activePeople(), w.workflowRuns(), w.prMerges(), w.issueActivity()};
        double total = 0;
        for (int k = 0; k < kinds.length; k++) {
            total += max(kinds[k]) > 0 ? weights[k] : 0;
        }
        double[] s = new double[HOURS];
        if (total <= 0) {
            return s;
        }
        for (int k = 0; k < kinds.length; k++) {
            double max = max(kinds[k]);
            if (max <= 0 || weights[k] <= 0) {
                continue;
            }
            for (int h = 0; h < HOURS; h++) {
                s[h] += weights[k] / total * kinds[k][h] / max;
            }
        }
        return s;
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("impact profile", e);
        }
    }

    public static ImpactProfile fromJson(String json) {
        try {
            return Json.mapper().readValue(json, ImpactProfile.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("impact profile", e);
        }
    }
}
