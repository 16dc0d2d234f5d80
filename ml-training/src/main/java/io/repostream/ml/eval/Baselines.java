package io.repostream.ml.eval;

import io.repostream.ml.data.BuildHistory;
import io.repostream.ml.data.BuildTable;
import io.repostream.ml.data.LabeledBuild;
import io.repostream.ml.train.LogisticRegression;
import io.repostream.ml.train.TimeSplit;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scorers a model must beat to be worth anything, judged on the model's own split. */
public final class Baselines {
    public static final String ALWAYS_PASS = "always-pass";
    public static final String PREVIOUS_OUTCOME = "previous-build-outcome";
    public static final String LOGISTIC_REGRESSION = "logistic-regression";

    private Baselines() {}

    /**
     * The baselines on {@code split}'s test builds, each with its threshold chosen on the
     * validation builds: "always pass" (predicts no failure, probability 0), "previous build
     * outcome" (failure probability 1 when the latest outcome known in the same group, e.g. project
     * and branch, was a failure; 0 when it passed or none is known), and a logistic regression
     * fitted on the training builds.
     *
     * @param all every build in time order, so each build can see its predecessors
     * @param split a split of {@code all}
     */
    public static Map<String, ScorerEvaluation> evaluate(
            BuildTable all, TimeSplit split, Bootstrap bootstrap, long seed) {
        List<LabeledBuild> builds = all.builds();
        int grouping = all.historyGroupings().isEmpty() ? -1 : 0;
        double[] previous = BuildHistory.previousFailed(builds, grouping);
        Map<LabeledBuild, Double> previousOf = new IdentityHashMap<>();
        for (int i = 0; i < builds.size(); i++) {
            previousOf.put(builds.get(i), Double.isNaN(previous[i]) ? 0 : previous[i]);
        }
        List<String> projects = TimeSplit.projects(split.test());
        BuildTable validation = split.validation();
        BuildTable test = split.test();
        Map<String, ScorerEvaluation> out = new LinkedHashMap<>();
        out.put(
                ALWAYS_PASS,
                ScorerEvaluation.atThreshold(
                        0.5, new double[test.size()], test.failed(), projects, bootstrap));
        out.put(
                PREVIOUS_OUTCOME,
                ScorerEvaluation.evaluate(
                        lookup(previousOf, validation),
                        validation.failed(),
                        lookup(previousOf, test),
                        test.failed(),
                        projects,
                        bootstrap));
        LogisticRegression lr = LogisticRegression.fit(split.train(), seed);
        out.put(
                LOGISTIC_REGRESSION,
                ScorerEvaluation.evaluate(
                        lr.failureProbabilities(validation),
                        validation.failed(),
                        lr.failureProbabilities(test),
                        test.failed(),
                        projects,
                        bootstrap));
        return out;
    }

    private static double[] lookup(Map<LabeledBuild, Double> previousOf, BuildTable part) {
        double[] p = new double[part.size()];
        for (int i = 0; i < p.length; i++) {
            Double v = previousOf.get(part.builds().get(i));
            if (v == null) {
                throw new IllegalArgumentException(
                        part.builds().get(i).ref()
                                + " is not one of the builds of "
                                + part.source());
            }
            p[i] = v;
        }
        return p;
    }
}
