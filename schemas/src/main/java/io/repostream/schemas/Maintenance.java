package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.repostream.schemas.RepoPolicy.Mode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Section {@code maintenance:} of a {@link RepoPolicy} (rule {@code maintenance@1}): the rule
 * learns each repository's impact per hour of the week from its own activity and runs the enabled
 * maintenance tasks in the lowest-impact hour of each day (or week), or in a fixed window. Off
 * unless the section is present, in every form of policy (it came after sections); each task is off
 * unless enabled.
 *
 * @param mode on (default when the section is present), shadow or off
 * @param timeZone the IANA zone whose local hours the profile and the windows are in ({@code UTC})
 * @param holidays local dates whose activity is not learned and on which no window is planned
 * @param cadence a window each {@code daily} (default) or {@code weekly}
 * @param window the hours a window may start at: {@code learned} (default: any), {@code 03:00}
 *     (that local time: daily, each day's; weekly, the lowest-impact day's), or {@code sunday
 *     03:00} (that day and time only: a daily cadence then has a window on that day only)
 * @param halfLife after how long an hour's past activity counts half (default 28 days): the profile
 *     is exponentially weighted, so it follows a team's habits
 * @param weights the weight of each kind of activity in an hour's impact
 * @param deleteMergedBranches the task that deletes branches whose pull requests were merged
 */
public record Maintenance(
        Mode mode,
        String timeZone,
        List<LocalDate> holidays,
        Cadence cadence,
        String window,
        @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration halfLife,
        Weights weights,
        DeleteMergedBranches deleteMergedBranches) {

    /** The {@code window} that lets the rule choose from the learned profile. */
    public static final String LEARNED = "learned";

    private static final Pattern FIXED =
            Pattern.compile("(?:([a-zA-Z]+) +)?(\\d{2}:\\d{2})", Pattern.CASE_INSENSITIVE);

    public Maintenance {
        mode = mode == null ? Mode.ON : mode;
        timeZone = timeZone == null ? "UTC" : timeZone;
        try {
            ZoneId.of(timeZone);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "maintenance.time_zone '" + timeZone + "' is not a known time zone", e);
        }
        holidays = Require.list(holidays);
        cadence = cadence == null ? Cadence.DAILY : cadence;
        window = window == null ? LEARNED : window.strip();
        if (!window.equals(LEARNED)) {
            fixed(window); // refuses what it cannot read
        }
        halfLife =
                halfLife == null
                        ? Duration.ofDays(28)
                        : Require.positive(halfLife, "maintenance.half_life");
        weights = weights == null ? Weights.defaults() : weights;
        deleteMergedBranches =
                deleteMergedBranches == null
                        ? DeleteMergedBranches.defaults()
                        : deleteMergedBranches;
    }

    /** On, learning, no task enabled. */
    public static Maintenance defaults() {
        return builder().build();
    }

    /** The section absent: the rule is off. */
    public static Maintenance off() {
        return builder().mode(Mode.OFF).build();
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    public boolean isHoliday(LocalDate date) {
        return holidays.contains(date);
    }

    /** The fixed window, or null when the window is learned. */
    public FixedWindow fixedWindow() {
        return window.equals(LEARNED) ? null : fixed(window);
    }

    private static FixedWindow fixed(String window) {
        Matcher m = FIXED.matcher(window);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "maintenance.window must be 'learned', a local time (03:00) or a day and a"
                            + " time (sunday 03:00); got '"
                            + window
                            + "'");
        }
        LocalTime start;
        try {
            start = LocalTime.parse(m.group(2));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "maintenance.window: '" + m.group(2) + "' is not a time of day", e);
        }
        if (start.getMinute() != 0) {
            throw new IllegalArgumentException(
                    "maintenance.window starts on a whole hour (the profile's unit), got "
                            + m.group(2));
        }
        DayOfWeek day = null;
        if (m.group(1) != null) {
            try {
                day = DayOfWeek.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "maintenance.window: '" + m.group(1) + "' is not a day of the week", e);
            }
        }
        return new FixedWindow(day, start);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .mode(mode)
                .timeZone(timeZone)
                .holidays(holidays)
                .cadence(cadence)
                .window(window)
                .halfLife(halfLife)
                .weights(weights)
                .deleteMergedBranches(deleteMergedBranches);
    }

    private static double fraction(Double given, double otherwise, String field) {
        double v = given == null ? otherwise : given;
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(field + " must be within 0..1, got " + v);
        }
        return v;
    }

    /** A fixed window: its local start, and for a weekly cadence its day. */
    public record FixedWindow(DayOfWeek day, LocalTime start) {}

    /** How often a window comes. */
    public enum Cadence implements WireEnum {
        DAILY("daily"),
        WEEKLY("weekly");

        private final String wire;

        Cadence(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wireName() {
            return wire;
        }

        @JsonCreator
        public static Cadence of(String wire) {
            return WireEnum.parse(Cadence.class, wire);
        }
    }

    /**
     * {@code weights:} of an hour's impact, each within 0..1 and not all 0: each kind of activity
     * is divided by its busiest hour of the week, so each counts from 0 to its weight.
     *
     * @param activePeople distinct people (not bots) active in the hour
     * @param workflowRuns workflow runs completed in the hour
     * @param prMerges pull requests merged in the hour
     * @param issueActivity issue events and comments in the hour
     */
    public record Weights(
            Double activePeople, Double workflowRuns, Double prMerges, Double issueActivity) {
        public Weights {
            activePeople = fraction(activePeople, 0.4, "maintenance.weights.active_people");
            workflowRuns = fraction(workflowRuns, 0.3, "maintenance.weights.workflow_runs");
            prMerges = fraction(prMerges, 0.2, "maintenance.weights.pr_merges");
            issueActivity = fraction(issueActivity, 0.1, "maintenance.weights.issue_activity");
            if (activePeople + workflowRuns + prMerges + issueActivity <= 0) {
                throw new IllegalArgumentException(
                        "maintenance.weights: at least one weight must be above 0");
            }
        }

        public static Weights defaults() {
            return new Weights(null, null, null, null);
        }
    }

    /**
     * {@code delete_merged_branches:}: branches of this repository whose pull request was merged at
     * least {@code after} ago are deleted in a window (the executor's undo recreates the branch at
     * the SHA it had). Never the default branch, a branch an open pull request is from or into, a
     * branch pushed to after its merge, nor one {@code keep} names.
     *
     * @param enabled off unless true
     * @param after how long after the merge (default 7 days)
     * @param keep branches never deleted (globs: {@code *} within a segment, {@code **} across)
     * @param maxPerWindow most deletions in one window (default 20)
     */
    public record DeleteMergedBranches(
            Boolean enabled,
            @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration after,
            List<String> keep,
            Integer maxPerWindow) {
        public static final List<String> DEFAULT_KEEP =
                List.of("release/**", "releases/**", "develop", "gh-pages");

        public DeleteMergedBranches {
            enabled = enabled != null && enabled;
            after =
                    after == null
                            ? Duration.ofDays(7)
                            : Require.positive(after, "maintenance.delete_merged_branches.after");
            keep = keep == null ? DEFAULT_KEEP : List.copyOf(keep);
            maxPerWindow = maxPerWindow == null ? 20 : maxPerWindow;
            if (maxPerWindow < 1) {
                throw new IllegalArgumentException(
                        "maintenance.delete_merged_branches.max_per_window must be >= 1, got "
                                + maxPerWindow);
            }
        }

        public static DeleteMergedBranches defaults() {
            return new DeleteMergedBranches(null, null, null, null);
        }
    }

    /** Builds a {@link Maintenance} section; a field not set gets its default. */
    public static final class Builder {
        private Mode mode;
        private String timeZone;
        private List<LocalDate> holidays;
        private Cadence cadence;
        private String window;
        private Duration halfLife;
        private Weights weights;
        private DeleteMergedBranches deleteMergedBranches;

        private Builder() {}

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        public Builder timeZone(String timeZone) {
            this.timeZone = timeZone;
            return this;
        }

        public Builder holidays(List<LocalDate> holidays) {
            this.holidays = holidays;
            return this;
        }

        public Builder cadence(Cadence cadence) {
            this.cadence = cadence;
            return this;
        }

        public Builder window(String window) {
            this.window = window;
            return this;
        }

        public Builder halfLife(Duration halfLife) {
            this.halfLife = halfLife;
            return this;
        }

        public Builder weights(Weights weights) {
            this.weights = weights;
            return this;
        }

        public Builder deleteMergedBranches(DeleteMergedBranches deleteMergedBranches) {
            this.deleteMergedBranches = deleteMergedBranches;
            return this;
        }

        public Maintenance build() {
            return new Maintenance(
                    mode,
                    timeZone,
                    holidays,
                    cadence,
                    window,
                    halfLife,
                    weights,
                    deleteMergedBranches);
        }
    }
}
