package io.repostream.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.ModelVersion;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class CalibrationChoiceTest {

    private static double[] scores(int n, Random r) {
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.02 + 0.96 * r.nextDouble();
        }
        return p;
    }

    private static boolean[] outcomes(double[] p, DoubleUnaryOperator trueRate, Random r) {
        boolean[] failed = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            failed[i] = r.nextDouble() < trueRate.applyAsDouble(p[i]);
        }
        return failed;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void aMiscalibratedModelsCalibratedProbabilitiesHaveLowerErrorOnHeldOutBuilds() {
        Random r = new Random(11);
        // a balanced-training model in a 10 %-failure world: it overstates failures
        DoubleUnaryOperator truth = p -> sigmoid(Math.log(p / (1 - p)) - 2.2);
        double[] pValidation = scores(1_500, r);
        boolean[] failedValidation = outcomes(pValidation, truth, r);
        double[] pTest = scores(1_500, r);
        boolean[] failedTest = outcomes(pTest, truth, r);

        CalibrationChoice choice = CalibrationChoice.choose(pValidation, failedValidation);
        double before = Metrics.expectedCalibrationError(pTest, failedTest);
        double after = Metrics.expectedCalibrationError(choice.apply(pTest), failedTest);

        assertThat(before).isGreaterThan(0.2);
        assertThat(after).isLessThan(0.04).isLessThan(before / 5);
        assertThat(choice.chosen().method())
                .as("the truth is a Platt curve, so Platt fits it at least as well")
                .isEqualTo(ModelVersion.Calibration.PLATT);
    }

    @Test
    void picksIsotonicWhenTheMiscalibrationIsNotAPlattCurve() {
        Random r = new Random(12);
        // failure rate flat at 5 % below 0.6 and 60 % above: no sigmoid of logit(p) fits a step
        DoubleUnaryOperator truth = p -> p < 0.6 ? 0.05 : 0.6;
        double[] pValidation = scores(2_000, r);
        boolean[] failedValidation = outcomes(pValidation, truth, r);
        double[] pTest = scores(2_000, r);
        boolean[] failedTest = outcomes(pTest, truth, r);

        CalibrationChoice choice = CalibrationChoice.choose(pValidation, failedValidation);
        PlattScaling platt = choice.platt();

        assertThat(choice.chosen().method()).isEqualTo(ModelVersion.Calibration.ISOTONIC);
        assertThat(choice.isotonicBrier()).isLessThan(choice.plattBrier());
        assertThat(Metrics.expectedCalibrationError(choice.apply(pTest), failedTest))
                .isLessThan(Metrics.expectedCalibrationError(platt.apply(pTest), failedTest))
                .isLessThan(0.05);
    }
}
