package io.repostream.ml.eval;

import io.repostream.model.ProbabilityCalibration;
import io.repostream.schemas.ModelVersion;

/**
 * Picks Platt scaling or isotonic calibration on the validation builds and fits the pick on all of
 * them. Each method is judged by two-fold cross-fitting on validation (fitted on the even builds,
 * scored on the odd ones, and the other way round, by Brier score), so isotonic's freedom to fit
 * the very builds it is judged on does not win by itself; a tie goes to Platt (two parameters).
 *
 * @param chosen the calibration to publish, fitted on every validation build
 * @param platt Platt scaling fitted on every validation build (reported either way)
 * @param plattBrier Platt's cross-fitted validation Brier score
 * @param isotonicBrier isotonic's cross-fitted validation Brier score
 */
public record CalibrationChoice(
        ModelVersion.Calibration chosen,
        PlattScaling platt,
        double plattBrier,
        double isotonicBrier) {

    public static CalibrationChoice choose(double[] pValidation, boolean[] failedValidation) {
        int n = pValidation.length;
        PlattScaling platt = PlattScaling.fit(pValidation, failedValidation);
        double plattBrier = Double.NaN;
        double isotonicBrier = Double.NaN;
        if (n >= 4) {
            double[] plattOut = new double[n];
            double[] isotonicOut = new double[n];
            for (int fold = 0; fold < 2; fold++) {
                int f = fold;
                int[] fit =
                        java.util.stream.IntStream.range(0, n).filter(i -> i % 2 == f).toArray();
                int[] held =
                        java.util.stream.IntStream.range(0, n).filter(i -> i % 2 != f).toArray();
                double[] p = pick(pValidation, fit);
                boolean[] y = pick(failedValidation, fit);
                PlattScaling foldPlatt = PlattScaling.fit(p, y);
                ProbabilityCalibration foldIsotonic =
                        ProbabilityCalibration.of(IsotonicCalibration.fit(p, y));
                for (int i : held) {
                    plattOut[i] = foldPlatt.apply(pValidation[i]);
                    isotonicOut[i] = foldIsotonic.failureProbability(pValidation[i]);
                }
            }
            plattBrier = Metrics.brier(plattOut, failedValidation);
            isotonicBrier = Metrics.brier(isotonicOut, failedValidation);
        }
        ModelVersion.Calibration chosen =
                isotonicBrier < plattBrier
                        ? IsotonicCalibration.fit(pValidation, failedValidation)
                        : ModelVersion.Calibration.platt(platt.a(), platt.b());
        return new CalibrationChoice(chosen, platt, plattBrier, isotonicBrier);
    }

    /** The chosen calibration applied to failure probabilities. */
    public double[] apply(double[] pFailure) {
        ProbabilityCalibration c = ProbabilityCalibration.of(chosen);
        double[] out = new double[pFailure.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.failureProbability(pFailure[i]);
        }
        return out;
    }

    private static double[] pick(double[] a, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    private static boolean[] pick(boolean[] a, int[] idx) {
        boolean[] out = new boolean[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }
}
