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
}
