package io.repostream.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.RepoMetrics;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class OpenItemsGaugeTest {

    @Test
    void countsOpenItemsPerPriorityAndKeepsNoStateOnceNoneAreOpen() throws Exception {
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new OpenItemsGauge()),
                        new MetricSignals.SeriesKey(),
                        Types.STRING)) {
            harness.open();
            harness.processElement(delta("P1", +1), 1);
            harness.processElement(delta("P1", +1), 2);
            harness.processElement(delta("P0", +1), 3);
            harness.processElement(delta("P1", -1), 4);

            assertThat(harness.extractOutputValues())
                    .extracting(m -> m.labels().get("priority") + "=" + (long) m.value())
                    .containsExactly("P1=1", "P1=2", "P0=1", "P1=1");
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

            harness.processElement(delta("P1", -1), 5);
            harness.processElement(delta("P0", -1), 6);
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    private static RepoMetrics delta(String priority, int d) {
        Instant at = Instant.parse("2026-03-02T09:00:00Z");
        return new RepoMetrics(
                "o/r", OpenItemsGauge.DELTA_METRIC, Map.of("priority", priority), d, at, at);
    }
}
