package io.repostream.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final boolean[] FAILED = {true, false, true, false, false};

    @Test
    void rocAucIsOneWhenEveryFailureScoresAboveEveryPass() {
        assertThat(Metrics.rocAuc(new double[] {0.9, 0.1, 0.8, 0.2, 0.3}, FAILED)).isEqualTo(1.0);
    }

    @Test
    void rocAucIsZeroWhenTheScoresAreBackwards() {
        assertThat(Metrics.rocAuc(new double[] {0.1, 0.9, 0.2, 0.8, 0.7}, FAILED)).isEqualTo(0.0);
    }

    @Test
    void rocAucCountsTiesAsHalfSoAConstantScoreIsChance() {
        assertThat(Metrics.rocAuc(new double[5], FAILED)).isEqualTo(0.5);
        // failures {0.9, 0.3}, passes {0.3, 0.1, 0.5}: wins 3 + 1 + 0.5 (tie) of 6 pairs
        assertThat(Metrics.rocAuc(new double[] {0.9, 0.3, 0.3, 0.1, 0.5}, FAILED))
                .isCloseTo(4.5 / 6, within(1e-12));
    }

    @Test
    void rocAucIsUndefinedWithOneClass() {
        assertThat(Metrics.rocAuc(new double[] {0.1, 0.2}, new boolean[] {true, true})).isNaN();
    }

    @Test
    void confusionCountsPredictionsAtTheThreshold() {
        Metrics.Confusion c =
                Metrics.confusion(new double[] {0.9, 0.6, 0.4, 0.1, 0.7}, FAILED, 0.5);
        assertThat(c).isEqualTo(new Metrics.Confusion(1, 2, 1, 1));
        assertThat(c.precision()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(c.recall()).isEqualTo(0.5);
        assertThat(c.accuracy()).isEqualTo(0.4);
        assertThat(c.f1()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void precisionIsZeroWhenNothingIsPredictedToFail() {
        Metrics.Confusion c = Metrics.confusion(new double[5], FAILED, 0.5);
        assertThat(c.precision()).isZero();
        assertThat(c.recall()).isZero();
        assertThat(c.accuracy()).isEqualTo(0.6);
    }

    @Test
    void bestRecallAtPrecisionPicksTheLowestThresholdThatKeepsPrecision() {
        // sorted by score: F(0.9) P(0.8) F(0.7) P(0.6) P(0.5)
        double[] scores = {0.9, 0.8, 0.7, 0.6, 0.5};
        boolean[] failed = {true, false, true, false, false};
        Metrics.OperatingPoint p = Metrics.bestRecallAtPrecision(scores, failed, 0.6);
        assertThat(p.recall()).isEqualTo(1.0);
        assertThat(p.threshold()).isEqualTo(0.7);
        assertThat(p.precision()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(Metrics.bestRecallAtPrecision(scores, failed, 0.99).recall()).isEqualTo(0.5);
    }

    @Test
    void calibrationComparesPredictedAndObservedFailureRatesPerBin() {
        double[] p = {0.05, 0.08, 0.92, 0.95, 0.97};
        boolean[] failed = {false, true, true, true, false};
        List<Metrics.CalibrationBin> bins = Metrics.calibration(p, failed, 10);
        assertThat(bins).hasSize(2);
        assertThat(bins.get(0).count()).isEqualTo(2);
        assertThat(bins.get(0).meanPredicted()).isCloseTo(0.065, within(1e-12));
        assertThat(bins.get(0).observedFailureRate()).isEqualTo(0.5);
        assertThat(bins.get(1).from()).isEqualTo(0.9);
        assertThat(bins.get(1).observedFailureRate()).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void averagePrecisionOfAKnownRankingIsTheMeanPrecisionAtEachFailure() {
        // ranked 0.9 F, 0.8 P, 0.7 F, 0.2 P, 0.1 P: precision 1/1 at the first failure, 2/3 at the
        // second
        double ap =
                Metrics.averagePrecision(
                        new double[] {0.9, 0.8, 0.7, 0.2, 0.1},
                        new boolean[] {true, false, true, false, false});
        assertThat(ap).isCloseTo((1 + 2 / 3.0) / 2, within(1e-12));
    }

    @Test
    void averagePrecisionOfAConstantScoreIsTheFailureRate() {
        assertThat(Metrics.averagePrecision(new double[5], FAILED)).isCloseTo(0.4, within(1e-12));
        assertThat(Metrics.averagePrecision(new double[] {0.3}, new boolean[] {false})).isNaN();
    }

    @Test
    void brierIsTheMeanSquaredErrorOfTheProbability() {
        // (0.2)^2 + (0.4)^2 + (0.5)^2 = 0.04 + 0.16 + 0.25
        assertThat(Metrics.brier(new double[] {0.8, 0.4, 0.5}, new boolean[] {true, false, false}))
                .isCloseTo(0.45 / 3, within(1e-12));
    }

    @Test
    void calibrationErrorIsZeroWhenEveryBinPredictsItsObservedRate() {
        // 0.25 predicted for 4 builds of which 1 failed; 0.75 for 4 of which 3 failed
        double[] p = {0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75};
        boolean[] failed = {true, false, false, false, true, true, true, false};
        assertThat(Metrics.expectedCalibrationError(p, failed)).isCloseTo(0, within(1e-12));
    }

    @Test
    void calibrationErrorWeighsEachBinsGapByItsShareOfBuilds() {
        // bin [0.1,0.2): 3 builds predicted 0.1, none failed: gap 0.1; bin [0.9,1.0]: 1 build
        // predicted 1.0 (the last bin holds 1.0), it passed: gap 1.0 -> (3 * 0.1 + 1 * 1.0) / 4
        double[] p = {0.1, 0.1, 0.1, 1.0};
        boolean[] failed = {false, false, false, false};
        assertThat(Metrics.expectedCalibrationError(p, failed)).isCloseTo(1.3 / 4, within(1e-12));
    }

    @Test
    void choosesTheBestRecallThresholdAtPrecisionHalfElseTheBestF1() {
        // at 0.7: 2 of 3 flagged failed (precision 0.67, recall 1.0)
        double[] p = {0.9, 0.8, 0.7, 0.2};
        assertThat(Metrics.chooseThreshold(p, new boolean[] {true, false, true, false}, 0.5))
                .isEqualTo(0.7);
        // precision never reaches 0.9: best F1 is flagging the top two (1 of 2 failed, recall 1)
        assertThat(Metrics.chooseThreshold(p, new boolean[] {false, true, false, false}, 0.9))
                .isEqualTo(0.8);
        assertThat(Metrics.chooseThreshold(p, new boolean[4], 0.5)).isInfinite();
    }
}
