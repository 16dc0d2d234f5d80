package io.repostream.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlattScalingTest {

    /** Builds whose true failure probability is sigmoid(a * logit(p) + b) of the score p. */
    private static boolean[] outcomes(double[] p, double a, double b, Random r) {
        boolean[] failed = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            double z = a * Math.log(p[i] / (1 - p[i])) + b;
            failed[i] = r.nextDouble() < 1 / (1 + Math.exp(-z));
        }
        return failed;
    }

    private static double[] scores(int n, Random r) {
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.02 + 0.96 * r.nextDouble();
        }
        return p;
    }

    @Test
    void recoversTheSlopeAndOffsetOfAMiscalibratedScore() {
        Random r = new Random(1);
        double[] p = scores(20_000, r);
        PlattScaling fitted = PlattScaling.fit(p, outcomes(p, 0.5, -1.5, r));
        assertThat(fitted.a()).isCloseTo(0.5, within(0.05));
        assertThat(fitted.b()).isCloseTo(-1.5, within(0.08));
    }

    @Test
    void fittedOnValidationItBringsTheTestCalibrationErrorDown() {
        Random r = new Random(2);
        // a balanced-training model on a 10 %-failure world: it overstates failures
        double[] pValidation = scores(2_000, r);
        boolean[] failedValidation = outcomes(pValidation, 1, -2.2, r);
        double[] pTest = scores(2_000, r);
        boolean[] failedTest = outcomes(pTest, 1, -2.2, r);

        PlattScaling platt = PlattScaling.fit(pValidation, failedValidation);
        double before = Metrics.expectedCalibrationError(pTest, failedTest);
        double after = Metrics.expectedCalibrationError(platt.apply(pTest), failedTest);

        assertThat(before).isGreaterThan(0.2);
        assertThat(after).isLessThan(0.03);
        assertThat(Metrics.rocAuc(platt.apply(pTest), failedTest))
                .as("a monotone map keeps the ranking")
                .isCloseTo(Metrics.rocAuc(pTest, failedTest), within(1e-12));
    }

    @Test
    void leavesAWellCalibratedScoreAlmostAsItIs() {
        Random r = new Random(3);
        double[] p = scores(20_000, r);
        PlattScaling fitted = PlattScaling.fit(p, outcomes(p, 1, 0, r));
        assertThat(fitted.apply(0.3)).isCloseTo(0.3, within(0.02));
    }
}
