package io.repostream.ml.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Features from the earlier builds of the same group (project, or project and branch), as a CI
 * system would know them when a build starts: an earlier build's outcome counts only once it was
 * known ({@link LabeledBuild#outcomeKnownAt()} strictly before this build's start), so a build
 * never sees its own outcome, nor that of a concurrent build, nor one of a later build.
 *
 * <p>Per grouping {@code g} it adds:
 *
 * <ul>
 *   <li>{@code g_prev_failed}: 1 if the latest known outcome was a failure, 0 if a success, missing
 *       (NaN) when none is known yet
 *   <li>{@code g_fail_rate_5}, {@code g_fail_rate_20}: failure share of the latest 5 / 20 known
 *       outcomes (missing when none)
 *   <li>{@code g_log_hours_since_prev}: log(1 + hours) since the previous build of the group
 *       <em>started</em> (start times are known at once; missing for the first build). Left out
 *       when the builds have no times; they are then one after another in input order, and every
 *       earlier build's outcome is known to a later one
 *   <li>{@code g_log_prior_builds}: log(1 + number of earlier builds in the group)
 * </ul>
 */
public final class BuildHistory {
    private static final int SHORT_WINDOW = 5;
    private static final int LONG_WINDOW = 20;

    private BuildHistory() {}

    public static List<String> featureNames(String grouping) {
        return featureNames(grouping, true);
    }

    /** The features per grouping; {@code timed} false for builds without times. */
    public static List<String> featureNames(String grouping, boolean timed) {
        List<String> names =
                List.of(
                        grouping + "_prev_failed",
                        grouping + "_fail_rate_" + SHORT_WINDOW,
                        grouping + "_fail_rate_" + LONG_WINDOW,
                        grouping + "_log_hours_since_prev");
        return timed ? names : names.subList(0, 3);
    }

    /** The table with the history features of every grouping appended to each build's features. */
    public static BuildTable withHistoryFeatures(BuildTable table) {
        List<String> names = new ArrayList<>(table.featureNames());
        int groupings = table.historyGroupings().size();
        List<double[][]> perGrouping = new ArrayList<>();
        int width = featureNames("x", table.timed()).size();
        for (int g = 0; g < groupings; g++) {
            names.addAll(featureNames(table.historyGroupings().get(g), table.timed()));
            perGrouping.add(compute(table.builds(), g));
        }
        List<LabeledBuild> out = new ArrayList<>(table.size());
        for (int i = 0; i < table.size(); i++) {
            LabeledBuild b = table.builds().get(i);
            double[] base = b.featuresView();
            double[] f = new double[base.length + groupings * width];
            System.arraycopy(base, 0, f, 0, base.length);
            for (int g = 0; g < groupings; g++) {
                System.arraycopy(perGrouping.get(g)[i], 0, f, base.length + g * width, width);
            }
            out.add(b.withFeatures(f));
        }
        return new BuildTable(table.source(), names, table.historyGroupings(), out);
    }

    /**
     * The latest outcome known when each build started within its group ({@code grouping} index
     * into the builds' group keys, or -1 for one history over all builds): 1 failed, 0 passed, NaN
     * none yet. This is the "previous build outcome" baseline.
     */
    public static double[] previousFailed(List<LabeledBuild> builds, int grouping) {
        double[][] h = compute(builds, grouping);
        double[] prev = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            prev[i] = h[i][0];
        }
        return prev;
    }

    private static double[][] compute(List<LabeledBuild> builds, int grouping) {
        Map<String, GroupState> groups = new HashMap<>();
        double[][] out = new double[builds.size()][];
        for (int i = 0; i < builds.size(); i++) {
            LabeledBuild b = builds.get(i);
            String key = grouping < 0 ? "" : b.groups().get(grouping);
            GroupState state = groups.computeIfAbsent(key, k -> new GroupState());
            state.learnOutcomesKnownBefore(b);
            out[i] = state.features(b);
            state.started(b);
        }
        return out;
    }

    /** One group's builds so far: those still running and the outcomes known, in order known. */
    private static final class GroupState {
        private final PriorityQueue<LabeledBuild> running =
                new PriorityQueue<>((a, b) -> a.outcomeKnownAt().compareTo(b.outcomeKnownAt()));
        private final List<Boolean> knownFailures = new ArrayList<>();
        private LabeledBuild lastStarted;

        void learnOutcomesKnownBefore(LabeledBuild b) {
            // without times at most one build is running: the previous one, now known
            while (!running.isEmpty()
                    && (b.startedAt() == null
                            || running.peek().outcomeKnownAt().isBefore(b.startedAt()))) {
                knownFailures.add(!running.poll().success());
            }
        }

        double[] features(LabeledBuild b) {
            double prevFailed =
                    knownFailures.isEmpty()
                            ? Double.NaN
                            : knownFailures.get(knownFailures.size() - 1) ? 1 : 0;
            double sinceHours =
                    lastStarted == null || b.startedAt() == null
                            ? Double.NaN
                            : Duration.between(lastStarted.startedAt(), b.startedAt()).toSeconds()
                                    / 3600.0;
            return new double[] {
                prevFailed,
                failRate(SHORT_WINDOW),
                failRate(LONG_WINDOW),
                Double.isNaN(sinceHours) ? Double.NaN : Math.log1p(Math.max(0, sinceHours))
            };
        }

        private double failRate(int window) {
            int n = Math.min(window, knownFailures.size());
            if (n == 0) {
                return Double.NaN;
            }
            int failed = 0;
            for (int i = knownFailures.size() - n; i < knownFailures.size(); i++) {
                failed += knownFailures.get(i) ? 1 : 0;
            }
            return failed / (double) n;
        }

        void started(LabeledBuild b) {
            running.add(b);
            lastStarted = b;
        }
    }
}
