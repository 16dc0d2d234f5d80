package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {
    @Test
    void findsTheMetricsOfARatioOfRatesAndIgnoresFunctionsLabelsAndGroupings() {
        String expr =
                "sum by (outcome) (rate(a_total{outcome=~\"x|y_total\"}[10m]))"
                        + " / clamp_min(sum without (pod) (rate(b_total[5m] offset 1h)), 1e-9) > 0.05";

        assertThat(PromQl.metricNames(expr)).containsExactly("a_total", "b_total");
    }

    @Test
    void findsHistogramBucketsAndBareGauges() {
        String expr =
                "histogram_quantile(0.99, sum by (le) (rate(lat_seconds_bucket[5m]))) or min(quota)";

        assertThat(PromQl.metricNames(expr)).containsExactly("lat_seconds_bucket", "quota");
    }
}
