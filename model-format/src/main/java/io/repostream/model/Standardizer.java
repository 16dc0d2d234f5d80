package io.repostream.model;

import java.util.List;

/**
 * Per-feature (x - mean) / std, fitted on training rows only. A missing value (NaN) becomes the
 * mean, i.e. 0 after standardising; a constant feature gets std 1 so it stays finite.
 */
public final class Standardizer {
    private final double[] means;
    private final double[] stds;

    public Standardizer(double[] means, double[] stds) {
        if (means.length != stds.length) {
            throw new IllegalArgumentException(
                    "means and stds differ in length: " + means.length + " vs " + stds.length);
        }
        for (int i = 0; i < stds.length; i++) {
            if (!(stds[i] > 0) || !Double.isFinite(stds[i]) || !Double.isFinite(means[i])) {
                throw new IllegalArgumentException(
                        "feature " + i + " has mean " + means[i] + " and std " + stds[i]);
            }
        }
        this.means = means.clone();
        this.stds = stds.clone();
    }

    public static Standardizer fromLists(List<Double> means, List<Double> stds) {
        return new Standardizer(
                means.stream().mapToDouble(Double::doubleValue).toArray(),
                stds.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Means and (population) standard deviations of each column, ignoring missing values. */
    public static Standardizer fit(double[][] rows, int width) {
        double[] sum = new double[width];
        double[] sumSq = new double[width];
        long[] n = new long[width];
        for (double[] row : rows) {
            for (int j = 0; j < width; j++) {
                double v = row[j];
                if (Double.isNaN(v)) {
                    continue;
                }
                sum[j] += v;
                sumSq[j] += v * v;
                n[j]++;
            }
        }
        double[] means = new double[width];
        double[] stds = new double[width];
        for (int j = 0; j < width; j++) {
            means[j] = n[j] == 0 ? 0 : sum[j] / n[j];
            double var = n[j] == 0 ? 0 : sumSq[j] / n[j] - means[j] * means[j];
            double std = Math.sqrt(Math.max(0, var));
            stds[j] = std > 1e-9 ? std : 1;
        }
        return new Standardizer(means, stds);
    }

    public int width() {
        return means.length;
    }

    public double[] means() {
        return means.clone();
    }

    public double[] stds() {
        return stds.clone();
    }

    public List<Double> meanList() {
        return java.util.Arrays.stream(means).boxed().toList();
    }

    public List<Double> stdList() {
        return java.util.Arrays.stream(stds).boxed().toList();
    }

    public double apply(int feature, double value) {
        return Double.isNaN(value) ? 0 : (value - means[feature]) / stds[feature];
    }

    /** Standardised rows as one row-major float array, the layout the network takes. */
    public float[] applyFlat(double[][] rows) {
        float[] out = new float[rows.length * means.length];
        int k = 0;
        for (double[] row : rows) {
            if (row.length != means.length) {
                throw new IllegalArgumentException(
                        "row has " + row.length + " features, expected " + means.length);
            }
            for (int j = 0; j < row.length; j++) {
                out[k++] = (float) apply(j, row[j]);
            }
        }
        return out;
    }
}
