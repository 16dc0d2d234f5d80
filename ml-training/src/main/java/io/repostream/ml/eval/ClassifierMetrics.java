package io.repostream.ml.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well one scorer finds failed builds on one held-out set, at a threshold chosen elsewhere (on
 * the validation builds: see {@link ScorerEvaluation}), never on these builds.
 *
 * @param builds how many builds were scored
 * @param failedBuilds how many of them failed
 * @param rocAuc area under the ROC curve (0.5 = no better than chance)
 * @param rocAucCi its 95 % bootstrap interval (null when intervals are off)
 * @param prAuc average precision: area under the precision-recall curve (the failure rate = chance)
 * @param brier mean squared error of the failure probability
 * @param calibrationError expected calibration error over 10 equal-width bins
 * @param calibrationErrorCi its 95 % bootstrap interval (null when intervals are off)
 * @param threshold failure probability at and above which a build is predicted to fail
 * @param accuracy share of builds predicted right at the threshold
 * @param precisionFailed of builds predicted to fail, the share that did
 * @param recallFailed of builds that failed, the share predicted to
 * @param f1Failed harmonic mean of the two
 * @param logLoss mean cross-entropy of the failure probabilities
 * @param calibration predicted vs observed failure rate per probability bin
 */
public record ClassifierMetrics(
        long builds,
        long failedBuilds,
        double rocAuc,
        Bootstrap.Interval rocAucCi,
        double prAuc,
        double brier,
        double calibrationError,
        Bootstrap.Interval calibrationErrorCi,
        double threshold,
        double accuracy,
        double precisionFailed,
        double recallFailed,
        double f1Failed,
        double logLoss,
        List<Metrics.CalibrationBin> calibration) {

    /** Without confidence intervals. */
    public static ClassifierMetrics of(double[] pFailure, boolean[] failed, double threshold) {
        return of(pFailure, failed, threshold, new Bootstrap(0, 0));
    }

    /** Scores failure probabilities against outcomes, predicting "fails" at {@code threshold}. */
    public static ClassifierMetrics of(
            double[] pFailure, boolean[] failed, double threshold, Bootstrap bootstrap) {
        Metrics.Confusion c = Metrics.confusion(pFailure, failed, threshold);
        long failures = 0;
        for (boolean f : failed) {
            failures += f ? 1 : 0;
        }
        return new ClassifierMetrics(
                failed.length,
                failures,
                Metrics.rocAuc(pFailure, failed),
                bootstrap.interval(pFailure, failed, Metrics::rocAuc),
                Metrics.averagePrecision(pFailure, failed),
                Metrics.brier(pFailure, failed),
                Metrics.expectedCalibrationError(pFailure, failed),
                bootstrap.interval(pFailure, failed, Metrics::expectedCalibrationError),
                threshold,
                c.accuracy(),
                c.precision(),
                c.recall(),
                c.f1(),
                Metrics.logLoss(pFailure, failed),
                Metrics.calibration(pFailure, failed, Metrics.CALIBRATION_BINS));
    }

    /** The figures that travel with a published model (finite numbers only). */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("roc_auc", rocAuc);
        m.put("pr_auc", prAuc);
        m.put("brier", brier);
        m.put("calibration_error", calibrationError);
        m.put("threshold", threshold);
        m.put("accuracy", accuracy);
        m.put("precision_failed", precisionFailed);
        m.put("recall_failed", recallFailed);
        m.put("f1_failed", f1Failed);
        m.put("log_loss", logLoss);
        m.put("test_builds", (double) builds);
        m.put("test_failed_builds", (double) failedBuilds);
        m.values().removeIf(v -> !Double.isFinite(v));
        return m;
    }
}
