package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.repostream.schemas.RepoPolicy.Mode;
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
     */
    public record Branch(
            String pattern,
            List<String> requiredChecks,
            Integer minApprovals,
            String label,
            List<String> blockingLabels,
            Coverage coverage,
            Integer maxChangedLines,
            MergeMethod mergeMethod) {
        public static final String DEFAULT_LABEL = "automerge";
        public static final List<String> DEFAULT_BLOCKING_LABELS =
                List.of("do-not-merge/*", "hold");
        public static final int DEFAULT_MIN_APPROVALS = 1;

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

        public Branch build() {
            return new Branch(
                    pattern,
                    requiredChecks,
                    minApprovals,
                    label,
                    blockingLabels,
                    coverage,
                    maxChangedLines,
                    mergeMethod);
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
