package io.repostream.ml.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.ml.data.BuildTable;
import io.repostream.ml.data.LabeledBuild;
import io.repostream.ml.eval.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    /** Builds whose failure probability is sigmoid(2x - 1) of their one feature x ~ N(0, 1). */
    private static BuildTable builds(int n, long seed) {
        Random r = new Random(seed);
        List<LabeledBuild> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian();
            boolean failed = r.nextDouble() < 1 / (1 + Math.exp(-(2 * x - 1)));
            out.add(new LabeledBuild("b" + i, null, null, !failed, new double[] {x}, List.of()));
        }
        return new BuildTable("generated", List.of("x"), List.of(), out);
    }

    @Test
    void learnsAFailureProbabilityThatRanksAndIsCalibratedOnNewBuilds() {
        LogisticRegression lr = LogisticRegression.fit(builds(1000, 1), 1);
        BuildTable test = builds(1000, 2);
        double[] p = lr.failureProbabilities(test);

        // the true probabilities reach ROC-AUC ~0.8 on such data; a fitted model comes close
        assertThat(Metrics.rocAuc(p, test.failed())).isGreaterThan(0.75);
        assertThat(Metrics.expectedCalibrationError(p, test.failed())).isLessThan(0.06);
    }
}
