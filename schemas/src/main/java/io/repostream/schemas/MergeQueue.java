package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.repostream.schemas.RepoPolicy.Mode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Section {@code merge_queue:} of {@link RepoPolicy}: when a pull request may be merged, per base
 * branch, and how. Off unless the section is present (in both forms of policy: it came after
 * sections did). A pull request whose base branch matches none of {@link #branches()} is left
 * alone: nothing is said on it and nothing is merged.
 *
 * <p>Its own file rather than nested in {@link RepoPolicy} (as the first sections are) to keep that
 * record short; it is read and written as every section is.
 *
 * @param mode on (default when the section is present): eligibility is reported and eligible pull
 *     requests are merged; shadow: both as dry runs; off
 * @param branches the base branches the queue serves, the first whose pattern matches wins (default
 *     none)
 */
public record MergeQueue(Mode mode, List<Branch> branches) {
    public MergeQueue {
        mode = mode == null ? Mode.ON : mode;
        branches = Require.list(branches);
        Set<String> patterns = new HashSet<>();
        for (Branch b : branches) {
            if (b == null) {
                throw new IllegalArgumentException("merge_queue.branches: an entry is null");
            }
            if (!patterns.add(b.pattern())) {
                throw new IllegalArgumentException(
                        "merge_queue.branches: pattern '" + b.pattern() + "' is given twice");
            }
        }
    }

    /** The section absent: the merge rules are off. */
    public static MergeQueue off() {
        return new MergeQueue(Mode.OFF, null);
    }

    /** On, for {@code branches}. */
    public static MergeQueue on(Branch... branches) {
        return new MergeQueue(Mode.ON, List.of(branches));
    }

    public MergeQueue withMode(Mode mode) {
        return new MergeQueue(mode, branches);
    }

    /**
     * What it takes to merge into the base branches that {@code pattern} names.
     *
     * @param pattern a base branch name, or a glob: {@code *} any characters but {@code /}, {@code
     *     **} any characters, {@code ?} one character but {@code /} ({@code main}, {@code
     *     release/*})
     * @param requiredChecks names of checks that must have succeeded on the head commit: check run
     *     names, commit status contexts or workflow names (default none)
     * @param minApprovals approving reviews needed, each reviewer's latest review counting once
     *     (default 1)
     * @param label the label that asks for the merge (default {@code automerge})
     * @param blockingLabels globs of labels that keep a pull request out ({@code *} any characters;
     *     default {@code do-not-merge/*}, {@code hold})
     * @param coverage a coverage check and its threshold; absent: coverage is not a condition
     * @param maxChangedLines most lines added plus deleted; absent: no size limit
     * @param mergeMethod merge, squash or rebase (default merge)
     * @param batchSize the queue: most pull requests tested together in one candidate (default 8)
     * @param ciBudget the queue: most candidates under test at once, each one CI run (default 4)
     * @param checkTimeout the queue: how long a candidate may wait for its first check before the
     *     queue pauses and says so (default 1 h)
     * @param timeZone the queue: the IANA zone of {@code windows} (default UTC)
     * @param windows the queue: when pull requests may land (default none: always)
     * @param freezes the queue: when they may not, whatever the windows say (default none)
     * @param priorityLabel the queue: the label that puts a pull request in the emergency lane, as
     *     {@code /merge --priority} does (default {@code merge/priority})
     * @param flakeReruns the queue: rerun once a candidate that failed only on checks the CI
     *     classifier calls flaky or transient, before bisecting it (default true)
     * @param queue whether eligible pull requests go through the queue (tested in batches on
     *     candidate branches before they land) rather than being merged one at a time as each
     *     becomes eligible (default false); the queue needs at least one required check
     */
    public record Branch(
            String pattern,
            List<String> requiredChecks,
            Integer minApprovals,
            String label,
            List<String> blockingLabels,
            Coverage coverage,
            Integer maxChangedLines,
            MergeMethod mergeMethod,
            Integer batchSize,
            Integer ciBudget,
            @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration checkTimeout,
            String timeZone,
            List<Window> windows,
            List<Freeze> freezes,
            String priorityLabel,
            Boolean flakeReruns,
            Boolean queue) {
        public static final String DEFAULT_LABEL = "automerge";
        public static final List<String> DEFAULT_BLOCKING_LABELS =
                List.of("do-not-merge/*", "hold");
        public static final int DEFAULT_MIN_APPROVALS = 1;
        public static final int DEFAULT_BATCH_SIZE = 8;
        public static final int DEFAULT_CI_BUDGET = 4;
        public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofHours(1);
        public static final String DEFAULT_PRIORITY_LABEL = "merge/priority";

        public Branch {
            Require.text(pattern, "merge_queue.branches.pattern");
            requiredChecks = Require.list(requiredChecks);
            for (String check : requiredChecks) {
                Require.text(check, "merge_queue.branches.required_checks");
            }
            minApprovals = minApprovals == null ? DEFAULT_MIN_APPROVALS : minApprovals;
            if (minApprovals < 0) {
                throw new IllegalArgumentException(
                        "merge_queue.branches.min_approvals of '"
                                + pattern
                                + "' must be >= 0, got "
                                + minApprovals);
            }
            label = label == null ? DEFAULT_LABEL : label;
            if (label.isBlank()) {
                throw new IllegalArgumentException(
                        "merge_queue.branches.label of '" + pattern + "' must not be blank");
            }
            blockingLabels =
                    blockingLabels == null
                            ? DEFAULT_BLOCKING_LABELS
                            : List.copyOf(new ArrayList<>(blockingLabels));
            if (maxChangedLines != null && maxChangedLines < 1) {
                throw new IllegalArgumentException(
                        "merge_queue.branches.max_changed_lines of '"
                                + pattern
                                + "' must be >= 1, got "
                                + maxChangedLines);
            }
            mergeMethod = mergeMethod == null ? MergeMethod.MERGE : mergeMethod;
            batchSize = atLeastOne(batchSize, DEFAULT_BATCH_SIZE, "batch_size", pattern);
            ciBudget = atLeastOne(ciBudget, DEFAULT_CI_BUDGET, "ci_budget", pattern);
            checkTimeout = checkTimeout == null ? DEFAULT_CHECK_TIMEOUT : checkTimeout;
            if (checkTimeout.isZero() || checkTimeout.isNegative()) {
                throw new IllegalArgumentException(
                        "merge_queue.branches.check_timeout of '"
                                + pattern
                                + "' must be longer than zero, got "
                                + checkTimeout);
            }
            timeZone = timeZone == null ? "UTC" : timeZone;
            try {
                ZoneId.of(timeZone);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "merge_queue.branches.time_zone '"
                                + timeZone
                                + "' is not a known time zone",
                        e);
            }
            windows = Require.list(windows);
            freezes = Require.list(freezes);
            priorityLabel = priorityLabel == null ? DEFAULT_PRIORITY_LABEL : priorityLabel;
            if (priorityLabel.isBlank()) {
                throw new IllegalArgumentException(
                        "merge_queue.branches.priority_label of '"
                                + pattern
                                + "' must not be blank");
            }
            flakeReruns = flakeReruns == null ? Boolean.TRUE : flakeReruns;
            queue = queue == null ? Boolean.FALSE : queue;
            if (queue && requiredChecks.isEmpty()) {
                throw new IllegalArgumentException(
                        "merge_queue.branches of '"
                                + pattern
                                + "': the queue needs at least one required check (without one a"
                                + " candidate could never be told to pass)");
            }
        }

        private static int atLeastOne(Integer value, int otherwise, String field, String pattern) {
            int v = value == null ? otherwise : value;
            if (v < 1) {
                throw new IllegalArgumentException(
                        "merge_queue.branches."
                                + field
                                + " of '"
                                + pattern
                                + "' must be >= 1, got "
                                + v);
            }
            return v;
        }

        /** Every default, for base branches {@code pattern}. */
        public static Branch of(String pattern) {
            return builder(pattern).build();
        }

        public static BranchBuilder builder(String pattern) {
            return new BranchBuilder(pattern);
        }
    }

    /** Builds a {@link Branch}; a field not set gets its default. */
    public static final class BranchBuilder {
        private final String pattern;
        private List<String> requiredChecks;
        private Integer minApprovals;
        private String label;
        private List<String> blockingLabels;
        private Coverage coverage;
        private Integer maxChangedLines;
        private MergeMethod mergeMethod;
        private Integer batchSize;
        private Integer ciBudget;
        private Duration checkTimeout;
        private String timeZone;
        private List<Window> windows;
        private List<Freeze> freezes;
        private String priorityLabel;
        private Boolean flakeReruns;
        private Boolean queue;

        private BranchBuilder(String pattern) {
            this.pattern = pattern;
        }

        public BranchBuilder requiredChecks(String... names) {
            this.requiredChecks = List.of(names);
            return this;
        }

        public BranchBuilder minApprovals(Integer n) {
            this.minApprovals = n;
            return this;
        }

        public BranchBuilder label(String label) {
            this.label = label;
            return this;
        }

        public BranchBuilder blockingLabels(String... globs) {
            this.blockingLabels = List.of(globs);
            return this;
        }

        public BranchBuilder coverage(Coverage coverage) {
            this.coverage = coverage;
            return this;
        }

        public BranchBuilder maxChangedLines(Integer lines) {
            this.maxChangedLines = lines;
            return this;
        }

        public BranchBuilder mergeMethod(MergeMethod method) {
            this.mergeMethod = method;
            return this;
        }

        public BranchBuilder batchSize(Integer n) {
            this.batchSize = n;
            return this;
        }

        public BranchBuilder ciBudget(Integer n) {
            this.ciBudget = n;
            return this;
        }

        public BranchBuilder checkTimeout(Duration timeout) {
            this.checkTimeout = timeout;
            return this;
        }

        public BranchBuilder timeZone(String zone) {
            this.timeZone = zone;
            return this;
        }

        public BranchBuilder windows(Window... windows) {
            this.windows = List.of(windows);
            return this;
        }

        public BranchBuilder freezes(Freeze... freezes) {
            this.freezes = List.of(freezes);
            return this;
        }

        public BranchBuilder priorityLabel(String label) {
            this.priorityLabel = label;
            return this;
        }

        public BranchBuilder flakeReruns(Boolean on) {
            this.flakeReruns = on;
            return this;
        }

        public BranchBuilder queue(Boolean on) {
            this.queue = on;
            return this;
        }

        public Branch build() {
            return new Branch(
                    pattern,
                    requiredChecks,
                    minApprovals,
                    label,
                    blockingLabels,
                    coverage,
                    maxChangedLines,
                    mergeMethod,
                    batchSize,
                    ciBudget,
                    checkTimeout,
                    timeZone,
                    windows,
                    freezes,
                    priorityLabel,
                    flakeReruns,
                    queue);
        }
    }

    /**
     * When the queue may land pull requests: on {@code days}, from {@code from} (inclusive) to
     * {@code to} (exclusive), local time in the branch's {@code time_zone}.
     */
    public record Window(List<DayOfWeek> days, LocalTime from, LocalTime to) {
        public Window {
            days = days == null ? List.of(DayOfWeek.values()) : List.copyOf(days);
            if (from == null || to == null || !from.isBefore(to)) {
                throw new IllegalArgumentException(
                        "merge_queue.branches.windows: from must be before to, got "
                                + from
                                + " and "
                                + to);
            }
        }
    }

    /** A merge freeze: nothing lands from {@code from} (inclusive) until {@code until}. */
    public record Freeze(Instant from, Instant until, String reason) {
        public Freeze {
            if (from == null || until == null || !from.isBefore(until)) {
                throw new IllegalArgumentException(
                        "merge_queue.branches.freezes: from must be before until, got "
                                + from
                                + " and "
                                + until);
            }
            reason = reason == null ? "" : reason;
        }
    }

    /**
     * A coverage condition: the percentage is read from the description of the commit status, or
     * the output title or summary of the check run, named {@code check} (the first number followed
     * by {@code %}, e.g. "Coverage: 83.4% (+0.2%)").
     *
     * @param check the status context or check run name
     * @param threshold the lowest percentage that passes (default 80)
     */
    public record Coverage(String check, Double threshold) {
        public static final double DEFAULT_THRESHOLD = 80.0;

        public Coverage {
            Require.text(check, "merge_queue.branches.coverage.check");
            threshold = threshold == null ? DEFAULT_THRESHOLD : threshold;
            if (!(threshold >= 0 && threshold <= 100)) {
                throw new IllegalArgumentException(
                        "merge_queue.branches.coverage.threshold must be within 0..100, got "
                                + threshold);
            }
        }
    }

    /** How a pull request is merged ({@code merge_method} of GitHub's merge endpoint). */
    public enum MergeMethod implements WireEnum {
        MERGE("merge"),
        SQUASH("squash"),
        REBASE("rebase");

        private final String wire;

        MergeMethod(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wireName() {
            return wire;
        }

        @JsonCreator
        public static MergeMethod of(String wire) {
            return WireEnum.parse(MergeMethod.class, wire);
        }
    }
}
