package io.repostream.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static double[] scores(boolean[] failed, long seed) {
        Random r = new Random(seed);
        double[] p = new double[failed.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.min(1, Math.max(0, (failed[i] ? 0.6 : 0.4) + 0.3 * r.nextGaussian()));
        }
        return p;
    }

    private static boolean[] outcomes(int n, long seed) {
        Random r = new Random(seed);
        boolean[] failed = new boolean[n];
        for (int i = 0; i < n; i++) {
            failed[i] = r.nextDouble() < 0.3;
        }
        return failed;
    }

    @Test
    void theIntervalHoldsTheEstimateAndIsRepeatableForASeed() {
        boolean[] failed = outcomes(300, 1);
        double[] p = scores(failed, 2);
        double auc = Metrics.rocAuc(p, failed);

        Bootstrap.Interval ci = new Bootstrap(200, 11).interval(p, failed, Metrics::rocAuc);

        assertThat(ci.low()).isLessThan(auc);
        assertThat(ci.high()).isGreaterThan(auc);
        assertThat(new Bootstrap(200, 11).interval(p, failed, Metrics::rocAuc)).isEqualTo(ci);
        assertThat(new Bootstrap(200, 12).interval(p, failed, Metrics::rocAuc)).isNotEqualTo(ci);
    }

    @Test
    void moreBuildsGiveANarrowerInterval() {
        Bootstrap b = new Bootstrap(200, 3);
        boolean[] few = outcomes(100, 4);
        boolean[] many = outcomes(1600, 4);
        Bootstrap.Interval wide = b.interval(scores(few, 5), few, Metrics::rocAuc);
        Bootstrap.Interval narrow = b.interval(scores(many, 5), many, Metrics::rocAuc);
        assertThat(narrow.high() - narrow.low()).isLessThan((wide.high() - wide.low()) / 2);
    }

    @Test
    void zeroResamplesTurnIntervalsOff() {
        assertThat(
                        new Bootstrap(0, 1)
                                .interval(
                                        new double[] {0.1, 0.9},
                                        new boolean[] {false, true},
                                        Metrics::rocAuc))
                .isNull();
    }
}
