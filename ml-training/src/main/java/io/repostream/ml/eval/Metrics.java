package io.repostream.ml.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Classification figures for failed builds (the positive class), from scores where higher means
 * "more likely to fail".
 */
public final class Metrics {
    private Metrics() {}

    /**
     * The probability that a random failed build scores higher than a random passed one (ties count
     * half). NaN when either class is absent.
     */
    public static double rocAuc(double[] scores, boolean[] failed) {
        checkLengths(scores, failed);
        int n = scores.length;
        Integer[] order = sortedAscending(scores);
        double[] ranks = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1; // average 1-based rank of the tie group
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        long positives = 0;
        double rankSum = 0;
        for (int i = 0; i < n; i++) {
            if (failed[i]) {
                positives++;
                rankSum += ranks[i];
            }
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Counts at a threshold: a build is predicted to fail when its score is >= threshold. */
    public record Confusion(
            long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {
        public long total() {
            return truePositives + falsePositives + trueNegatives + falseNegatives;
        }

        public double accuracy() {
            return ratio(truePositives + trueNegatives, total());
        }

        /** Zero when nothing is predicted to fail (there is no precision to speak of). */
        public double precision() {
            return ratio(truePositives, truePositives + falsePositives);
        }

        public double recall() {
            return ratio(truePositives, truePositives + falseNegatives);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    public static Confusion confusion(double[] scores, boolean[] failed, double threshold) {
        checkLengths(scores, failed);
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (predicted && failed[i]) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (failed[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        return new Confusion(tp, fp, tn, fn);
    }

    /**
     * The best recall of failed builds over all thresholds whose precision is at least {@code
     * minPrecision}, and that threshold; recall 0 and threshold +inf when none reaches it.
     */
    public record OperatingPoint(double threshold, double precision, double recall) {}

    public static OperatingPoint bestRecallAtPrecision(
            double[] scores, boolean[] failed, double minPrecision) {
        checkLengths(scores, failed);
        Integer[] order = sortedAscending(scores);
        long positives = 0;
        for (boolean f : failed) {
            positives += f ? 1 : 0;
        }
        OperatingPoint best = new OperatingPoint(Double.POSITIVE_INFINITY, 0, 0);
        if (positives == 0) {
            return best;
        }
        long tp = 0, fp = 0;
        // walk from the highest score down, one tie group at a time
        for (int i = scores.length - 1; i >= 0; ) {
            double s = scores[order[i]];
            while (i >= 0 && scores[order[i]] == s) {
                if (failed[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i--;
            }
            double precision = tp / (double) (tp + fp);
            double recall = tp / (double) positives;
            if (precision >= minPrecision && recall > best.recall()) {
                best = new OperatingPoint(s, precision, recall);
            }
        }
        return best;
    }

    /**
     * One calibration bin: predictions in {@code [from, to)} and how often those builds really
     * failed.
     */
    public record CalibrationBin(
            double from, double to, long count, double meanPredicted, double observedFailureRate) {}

    /** Equal-width bins of predicted failure probability; empty bins are left out. */
    public static List<CalibrationBin> calibration(double[] pFailure, boolean[] failed, int bins) {
        checkLengths(pFailure, failed);
        long[] count = new long[bins];
        double[] sumPredicted = new double[bins];
        long[] failures = new long[bins];
        for (int i = 0; i < pFailure.length; i++) {
            int b = Math.min(bins - 1, Math.max(0, (int) Math.floor(pFailure[i] * bins)));
            count[b]++;
            sumPredicted[b] += pFailure[i];
            failures[b] += failed[i] ? 1 : 0;
        }
        List<CalibrationBin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (count[b] == 0) {
                continue;
            }
            out.add(
                    new CalibrationBin(
                            b / (double) bins,
                            (b + 1) / (double) bins,
                            count[b],
                            sumPredicted[b] / count[b],
                            failures[b] / (double) count[b]));
        }
        return out;
    }

    /** Mean cross-entropy of predicted failure probabilities, clipped away from 0 and 1. */
    public static double logLoss(double[] pFailure, boolean[] failed) {
        checkLengths(pFailure, failed);
        double sum = 0;
        for (int i = 0; i < pFailure.length; i++) {
            double p = Math.min(1 - 1e-7, Math.max(1e-7, pFailure[i]));
            sum -= failed[i] ? Math.log(p) : Math.log(1 - p);
        }
        return sum / pFailure.length;
    }

    /**
     * Average precision (the area under the precision-recall curve as a step function): walking the
     * scores from the highest down, one tie group at a time, each group adds its gain in recall
     * times the precision after it. Equals the failure rate for a constant score; NaN without
     * failures.
     */
    public static double averagePrecision(double[] scores, boolean[] failed) {
        checkLengths(scores, failed);
        Integer[] order = sortedAscending(scores);
        long positives = 0;
        for (boolean f : failed) {
            positives += f ? 1 : 0;
        }
        if (positives == 0) {
            return Double.NaN;
        }
        long tp = 0, fp = 0;
        double ap = 0;
        for (int i = scores.length - 1; i >= 0; ) {
            double s = scores[order[i]];
            long groupTp = 0;
            while (i >= 0 && scores[order[i]] == s) {
                if (failed[order[i]]) {
                    groupTp++;
                } else {
                    fp++;
                }
                i--;
            }
            tp += groupTp;
            ap += (groupTp / (double) positives) * (tp / (double) (tp + fp));
        }
        return ap;
    }

    /**
     * Mean squared difference between the failure probability and the outcome (1 failed, 0 not).
     */
    public static double brier(double[] pFailure, boolean[] failed) {
        checkLengths(pFailure, failed);
        double sum = 0;
        for (int i = 0; i < pFailure.length; i++) {
            double d = pFailure[i] - (failed[i] ? 1 : 0);
            sum += d * d;
        }
        return sum / pFailure.length;
    }

    /** Bins of {@link #expectedCalibrationError(double[], boolean[])}. */
    public static final int CALIBRATION_BINS = 10;

    /**
     * Expected calibration error over {@link #CALIBRATION_BINS} equal-width bins of the predicted
     * failure probability ([0, 0.1), [0.1, 0.2), ... [0.9, 1.0]): the mean over builds of |mean
     * predicted − observed failure rate| of the build's bin. 0 when every bin's predictions match
     * its observed rate.
     */
    public static double expectedCalibrationError(double[] pFailure, boolean[] failed) {
        double sum = 0;
        for (CalibrationBin b : calibration(pFailure, failed, CALIBRATION_BINS)) {
            sum += b.count() * Math.abs(b.meanPredicted() - b.observedFailureRate());
        }
        return sum / pFailure.length;
    }

    /**
     * The threshold chosen on validation builds: the one with the best recall among those with
     * precision ≥ {@code minPrecision}; when no threshold reaches it, the one with the best F1;
     * when nothing failed, +inf (flag nothing).
     */
    public static double chooseThreshold(double[] scores, boolean[] failed, double minPrecision) {
        OperatingPoint p = bestRecallAtPrecision(scores, failed, minPrecision);
        if (!Double.isInfinite(p.threshold())) {
            return p.threshold();
        }
        Integer[] order = sortedAscending(scores);
        long positives = 0;
        for (boolean f : failed) {
            positives += f ? 1 : 0;
        }
        double best = Double.POSITIVE_INFINITY;
        double bestF1 = 0;
        long tp = 0, fp = 0;
        for (int i = scores.length - 1; i >= 0; ) {
            double s = scores[order[i]];
            while (i >= 0 && scores[order[i]] == s) {
                if (failed[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i--;
            }
            double f1 = positives == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + (positives - tp));
            if (f1 > bestF1) {
                bestF1 = f1;
                best = s;
            }
        }
        return best;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : numerator / (double) denominator;
    }

    private static Integer[] sortedAscending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        return order;
    }

    private static void checkLengths(double[] scores, boolean[] failed) {
        if (scores.length != failed.length) {
            throw new IllegalArgumentException(
                    scores.length + " scores but " + failed.length + " outcomes");
        }
        for (double s : scores) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("a score is NaN");
            }
        }
    }
}
