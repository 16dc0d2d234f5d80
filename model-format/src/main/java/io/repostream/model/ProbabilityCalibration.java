package io.repostream.model;

import io.repostream.schemas.ModelVersion;
import java.util.List;

/**
 * Applies a published model's {@link ModelVersion.Calibration} to its failure probabilities. A
 * model without one ({@link #NONE}) keeps its probabilities as they are, so models published before
 * calibration existed score as before.
 */
public final class ProbabilityCalibration {
    /** No calibration: the model's probability unchanged. */
    public static final ProbabilityCalibration NONE = new ProbabilityCalibration(null);

    private final ModelVersion.Calibration calibration;
    private final double[] x;
    private final double[] y;

    private ProbabilityCalibration(ModelVersion.Calibration calibration) {
        this.calibration = calibration;
        this.x = calibration == null ? new double[0] : toArray(calibration.x());
        this.y = calibration == null ? new double[0] : toArray(calibration.y());
    }

    /** The calibration a model record carries; {@link #NONE} when it carries none. */
    public static ProbabilityCalibration of(ModelVersion.Calibration calibration) {
        return calibration == null ? NONE : new ProbabilityCalibration(calibration);
    }

    /** The record's calibration, or null for {@link #NONE}. */
    public ModelVersion.Calibration calibration() {
        return calibration;
    }

    /** A calibrated failure probability of the model's failure probability {@code p}. */
    public double failureProbability(double p) {
        if (calibration == null || Double.isNaN(p)) {
            return p;
        }
        if (ModelVersion.Calibration.PLATT.equals(calibration.method())) {
            double c = Math.min(1 - 1e-7, Math.max(1e-7, p));
            double z = calibration.a() * Math.log(c / (1 - c)) + calibration.b();
            return 1 / (1 + Math.exp(-z));
        }
        return interpolate(p);
    }

    /** A calibrated success probability of the model's success probability. */
    public double successProbability(double pSuccess) {
        return calibration == null ? pSuccess : 1 - failureProbability(1 - pSuccess);
    }

    private double interpolate(double p) {
        if (p <= x[0]) {
            return y[0];
        }
        int last = x.length - 1;
        if (p >= x[last]) {
            return y[last];
        }
        int lo = 0;
        int hi = last;
        while (hi - lo > 1) { // x[lo] < p < x[hi]
            int mid = (lo + hi) >>> 1;
            if (x[mid] <= p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double span = x[hi] - x[lo];
        return span <= 0 ? y[hi] : y[lo] + (y[hi] - y[lo]) * (p - x[lo]) / span;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
