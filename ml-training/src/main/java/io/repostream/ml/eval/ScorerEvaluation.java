package io.repostream.ml.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scorer judged honestly: its threshold is chosen on the validation builds (best recall at
 * validation precision ≥ {@link #MIN_PRECISION}, else best validation F1), and the test builds only
 * report, pooled and per project, at that threshold.
 *
 * @param threshold chosen on the validation builds
 * @param pooled every test build
 * @param perProject test builds of each project (empty when the builds carry no project)
 * @param meanProjectRocAuc mean of the projects' ROC-AUCs, over projects with both outcomes
 */
public record ScorerEvaluation(
        double threshold,
        ClassifierMetrics pooled,
        Map<String, ClassifierMetrics> perProject,
        double meanProjectRocAuc) {

    /** The precision the chosen threshold must reach on validation builds. */
    public static final double MIN_PRECISION = 0.5;

    /**
     * @param testProjects each test build's project, or null to report pooled only
     */
    public static ScorerEvaluation evaluate(
            double[] pValidation,
            boolean[] failedValidation,
            double[] pTest,
            boolean[] failedTest,
            List<String> testProjects,
            Bootstrap bootstrap) {
        return atThreshold(
                Metrics.chooseThreshold(pValidation, failedValidation, MIN_PRECISION),
                pTest,
                failedTest,
                testProjects,
                bootstrap);
    }

    /** At a threshold fixed in advance (e.g. a scorer that never flags a build). */
    public static ScorerEvaluation atThreshold(
            double threshold,
            double[] pTest,
            boolean[] failedTest,
            List<String> testProjects,
            Bootstrap bootstrap) {
        ClassifierMetrics pooled = ClassifierMetrics.of(pTest, failedTest, threshold, bootstrap);
        Map<String, ClassifierMetrics> perProject = new TreeMap<>();
        double aucSum = 0;
        int aucs = 0;
        if (testProjects != null) {
            Map<String, List<Integer>> rows = new TreeMap<>();
            for (int i = 0; i < testProjects.size(); i++) {
                rows.computeIfAbsent(testProjects.get(i), k -> new ArrayList<>()).add(i);
            }
            for (Map.Entry<String, List<Integer>> e : rows.entrySet()) {
                List<Integer> idx = e.getValue();
                double[] p = new double[idx.size()];
                boolean[] y = new boolean[idx.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = pTest[idx.get(i)];
                    y[i] = failedTest[idx.get(i)];
                }
                ClassifierMetrics m = ClassifierMetrics.of(p, y, threshold, bootstrap);
                perProject.put(e.getKey(), m);
                if (!Double.isNaN(m.rocAuc())) {
                    aucSum += m.rocAuc();
                    aucs++;
                }
            }
        }
        return new ScorerEvaluation(
                threshold, pooled, perProject, aucs == 0 ? Double.NaN : aucSum / aucs);
    }
}
