package io.repostream.ml.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well one scorer finds failed builds on one held-out set.
 *
 * @param builds how many builds were scored
 * @param failedBuilds how many of them failed
 * @param rocAuc area under the ROC curve (0.5 = no better than chance)
 * @param threshold failure probability at and above which a build is predicted to fail
 * @param accuracy share of builds predicted right at the threshold
 * @param precisionFailed of builds predicted to fail, the share that did
 * @param recallFailed of builds that failed, the share predicted to
 * @param f1Failed harmonic mean of the two
 * @param recallFailedAtPrecision50 the best recall among thresholds with precision >= 0.5
 * @param thresholdAtPrecision50 the threshold giving it
 * @param logLoss mean cross-entropy of the failure probabilities
 * @param calibration predicted vs observed failure rate per probability bin
 */
public record ClassifierMetrics(
        long builds,
        long failedBuilds,
        double rocAuc,
        double threshold,
        double accuracy,
        double precisionFailed,
        double recallFailed,
        double f1Failed,
        double recallFailedAtPrecision50,
        double thresholdAtPrecision50,
        double logLoss,
        List<Metrics.CalibrationBin> calibration) {

    /** Scores failure probabilities against outcomes, predicting "fails" at {@code threshold}. */
    public static ClassifierMetrics of(double[] pFailure, boolean[] failed, double threshold) {
        Metrics.Confusion c = Metrics.confusion(pFailure, failed, threshold);
        Metrics.OperatingPoint p50 = Metrics.bestRecallAtPrecision(pFailure, failed, 0.5);
        long failures = 0;
        for (boolean f : failed) {
            failures += f ? 1 : 0;
        }
        return new ClassifierMetrics(
                failed.length,
                failures,
                Metrics.rocAuc(pFailure, failed),
                threshold,
                c.accuracy(),
                c.precision(),
                c.recall(),
                c.f1(),
                p50.recall(),
                Double.isInfinite(p50.threshold()) ? 1.0 : p50.threshold(),
                Metrics.logLoss(pFailure, failed),
                Metrics.calibration(pFailure, failed, 10));
    }

    /** The figures that travel with a published model (finite numbers only). */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("roc_auc", rocAuc);
        m.put("accuracy", accuracy);
        m.put("precision_failed", precisionFailed);
        m.put("recall_failed", recallFailed);
        m.put("f1_failed", f1Failed);
        m.put("recall_failed_at_precision_0_5", recallFailedAtPrecision50);
        m.put("log_loss", logLoss);
        m.put("test_builds", (double) builds);
        m.put("test_failed_builds", (double) failedBuilds);
        m.values().removeIf(v -> !Double.isFinite(v));
        return m;
    }
}
