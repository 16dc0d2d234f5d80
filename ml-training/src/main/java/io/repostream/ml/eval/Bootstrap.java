package io.repostream.ml.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence intervals: the builds are resampled with replacement {@code
 * resamples} times (seeded, so a report is repeatable) and the metric recomputed on each resample;
 * the interval holds the central 95 % of those values. Resamples where the metric is undefined
 * (e.g. ROC-AUC of a resample without failures) are left out.
 *
 * @param resamples how many resamples; 0 turns intervals off
 * @param seed of the resampling
 */
public record Bootstrap(int resamples, long seed) {

    /** A 95 % interval; both ends NaN when no resample gave a value. */
    public record Interval(double low, double high) {}

    /** What a metric computes from failure probabilities and outcomes. */
    @FunctionalInterface
    public interface Metric {
        double of(double[] pFailure, boolean[] failed);
    }

    public Bootstrap {
        if (resamples < 0) {
            throw new IllegalArgumentException("resamples must be >= 0, got " + resamples);
        }
    }

    public static Bootstrap defaults() {
        return new Bootstrap(1000, 7);
    }

    /** The interval of {@code metric}, or null when intervals are off or there are no builds. */
    public Interval interval(double[] pFailure, boolean[] failed, Metric metric) {
        int n = pFailure.length;
        if (resamples == 0 || n == 0) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[resamples];
        int kept = 0;
        double[] p = new double[n];
        boolean[] y = new boolean[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(n);
                p[i] = pFailure[pick];
                y[i] = failed[pick];
            }
            double v = metric.of(p, y);
            if (!Double.isNaN(v)) {
                values[kept++] = v;
            }
        }
        if (kept == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(values, kept);
        Arrays.sort(sorted);
        return new Interval(percentile(sorted, 0.025), percentile(sorted, 0.975));
    }

    private static double percentile(double[] sorted, double q) {
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
        return sorted[i];
    }
}
