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
    void findsTheLabelValuesOfEqualityMatchersAndLiteralAlternatives() {
        String expr =
                "sum(rate(a_total{outcome=\"failed\", pod!=\"x\"}[5m]))"
                        + " / sum(rate(b_total{outcome=~\"kafka_unavailable|overloaded\"}[5m]))"
                        + " + c{kind=~\"warn.*\", reason!~\"y|z\"}";

        assertThat(PromQl.labelValues(expr))
                .containsExactly(
                        "a_total|outcome|failed",
                        "b_total|outcome|kafka_unavailable",
                        "b_total|outcome|overloaded");
    }

    @Test
    void findsHistogramBucketsAndBareGauges() {
        String expr =
                "histogram_quantile(0.99, sum by (le) (rate(lat_seconds_bucket[5m]))) or min(quota)";

        assertThat(PromQl.metricNames(expr)).containsExactly("lat_seconds_bucket", "quota");
    }
}
