package io.repostream.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScorerEvaluationTest {
    private static final Bootstrap NO_INTERVALS = new Bootstrap(0, 0);

    // validation: the best recall at precision >= 0.5 is reached at 0.6 (2 of 4 flagged failed)
    private static final double[] P_VALIDATION = {0.9, 0.8, 0.7, 0.6, 0.3, 0.2};
    private static final boolean[] FAILED_VALIDATION = {true, false, false, true, false, false};

    // test: on these builds alone the best threshold would be 0.3 (recall 1 at precision 0.5)
    private static final double[] P_TEST = {0.9, 0.65, 0.5, 0.3, 0.2, 0.1};
    private static final boolean[] FAILED_TEST = {false, true, false, true, false, false};

    @Test
    void reportsTheThresholdChosenOnValidationNotTheTestSetsBest() {
        double testsOwnBest = Metrics.bestRecallAtPrecision(P_TEST, FAILED_TEST, 0.5).threshold();
        assertThat(testsOwnBest).isEqualTo(0.3);

        ScorerEvaluation e =
                ScorerEvaluation.evaluate(
                        P_VALIDATION, FAILED_VALIDATION, P_TEST, FAILED_TEST, null, NO_INTERVALS);

        assertThat(e.threshold()).isEqualTo(0.6);
        assertThat(e.pooled().threshold()).isEqualTo(0.6);
        // at 0.6 the test builds flag 0.9 (passed) and 0.65 (failed): precision 1/2, recall 1/2
        assertThat(e.pooled().precisionFailed()).isEqualTo(0.5);
        assertThat(e.pooled().recallFailed()).isEqualTo(0.5);
    }

    @Test
    void reportsEachProjectAtThePooledThresholdAndAveragesTheirRocAuc() {
        List<String> projects = List.of("a", "a", "a", "b", "b", "b");
        ScorerEvaluation e =
                ScorerEvaluation.evaluate(
                        P_VALIDATION,
                        FAILED_VALIDATION,
                        P_TEST,
                        FAILED_TEST,
                        projects,
                        NO_INTERVALS);

        assertThat(e.perProject()).containsOnlyKeys("a", "b");
        // a: failure 0.65 vs passes 0.9, 0.5 -> 1 of 2 pairs; b: failure 0.3 above 0.2, 0.1 -> 1
        assertThat(e.perProject().get("a").rocAuc()).isEqualTo(0.5);
        assertThat(e.perProject().get("b").rocAuc()).isEqualTo(1.0);
        assertThat(e.meanProjectRocAuc()).isEqualTo(0.75);
        assertThat(e.perProject().get("b").threshold()).isEqualTo(0.6);
        assertThat(e.perProject().get("b").recallFailed()).isZero();
    }
}
