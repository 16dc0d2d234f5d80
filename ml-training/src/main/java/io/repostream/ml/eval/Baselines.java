package io.repostream.ml.eval;

import io.repostream.ml.data.BuildHistory;
import io.repostream.ml.data.BuildTable;
import io.repostream.ml.data.LabeledBuild;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trivial scorers a model must beat to be worth anything. */
public final class Baselines {
    public static final String ALWAYS_PASS = "always-pass";
    public static final String PREVIOUS_OUTCOME = "previous-build-outcome";

    private Baselines() {}

    /**
     * The baselines' figures on the last {@code test.size()} builds of {@code all}: "always pass"
     * (predicts no failure), and "previous build outcome" (predicts failure when the latest outcome
     * known in the same group, e.g. project and branch, was a failure; passes when none is known).
     *
     * @param all every build in time order, so the test's first builds can see their predecessors
     * @param test the held-out tail of {@code all}
     */
    public static Map<String, ClassifierMetrics> evaluate(BuildTable all, BuildTable test) {
        List<LabeledBuild> builds = all.builds();
        int offset = builds.size() - test.size();
        if (offset < 0 || !builds.subList(offset, builds.size()).equals(test.builds())) {
            throw new IllegalArgumentException("the test builds must be the tail of all builds");
        }
        int grouping = all.historyGroupings().isEmpty() ? -1 : 0;
        double[] previous = BuildHistory.previousFailed(builds, grouping);
        double[] pFailure = new double[test.size()];
        for (int i = 0; i < pFailure.length; i++) {
            double p = previous[offset + i];
            pFailure[i] = Double.isNaN(p) ? 0 : p;
        }
        boolean[] failed = test.failed();
        Map<String, ClassifierMetrics> out = new LinkedHashMap<>();
        out.put(ALWAYS_PASS, ClassifierMetrics.of(new double[test.size()], failed, 0.5));
        out.put(PREVIOUS_OUTCOME, ClassifierMetrics.of(pFailure, failed, 0.5));
        return out;
    }
}
