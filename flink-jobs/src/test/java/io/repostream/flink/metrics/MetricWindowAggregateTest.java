package io.repostream.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.RepoMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class MetricWindowAggregateTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void sumsCountersAveragesRatiosAndKeepsTheLatestLevelPerSeriesAndMinute() throws Exception {
        try (var harness = harness()) {
            harness.open();
            send(harness, sample("events", 1, 1));
            send(harness, sample("events", 1, 2));
            send(harness, sample("sla_compliance_ratio", 1, 3));
            send(harness, sample("sla_compliance_ratio", 0, 4));
            send(harness, sample("open_items", 5, 5));
            send(harness, sample("open_items", 3, 6));
            send(harness, sample("action_budget_used", 7, 7));
            send(harness, sample("action_budget_used", 4, 8));
            send(harness, sample("events", 1, 61)); // next window

            harness.processWatermark(T0.plus(Duration.ofMinutes(1)).toEpochMilli());

            List<RepoMetrics> out = harness.extractOutputValues();
            assertThat(out)
                    .extracting(m -> m.metric() + "=" + m.value())
                    .containsExactlyInAnyOrder(
                            "events=2.0",
                            "sla_compliance_ratio=0.5",
                            "open_items=3.0",
                            "action_budget_used=7.0");
            assertThat(out)
                    .allSatisfy(
                            m -> {
                                assertThat(m.windowStart()).isEqualTo(T0);
                                assertThat(m.windowEnd()).isEqualTo(T0.plusSeconds(60));
                            });
        }
    }

    /**
     * An action emitted from a processing-time timer (an SLA deadline settled on the wall clock)
     * has no record timestamp, and the governors' signals about it carry none either: the window
     * takes the sample's own time. Flink's event-time windows fail the job on such a record
     * ("Record has Long.MIN_VALUE timestamp"), which restarted it from its last checkpoint.
     */
    @Test
    void aSampleWithoutARecordTimestampIsCountedInTheWindowOfItsOwnTime() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(new StreamRecord<>(sample("actions_proposed", 1, 10)));
            harness.processElement(
                    new StreamRecord<>(sample("actions_proposed", 1, 20), Long.MIN_VALUE));
            send(harness, sample("actions_proposed", 1, 30));

            harness.processWatermark(T0.plus(Duration.ofMinutes(1)).toEpochMilli());

            assertThat(harness.extractOutputValues())
                    .extracting(m -> m.metric() + "=" + m.value() + "@" + m.windowStart())
                    .containsExactly("actions_proposed=3.0@" + T0);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RepoMetrics, RepoMetrics>
            harness() throws Exception {
        OneInputStreamOperator<RepoMetrics, RepoMetrics> operator =
                new WindowOperatorBuilder<RepoMetrics, String, TimeWindow>(
                                MetricWindows.of(Duration.ofMinutes(1)),
                                EventTimeTrigger.create(),
                                new ExecutionConfig(),
                                JsonTypeInfo.of(RepoMetrics.class),
                                new MetricSignals.SeriesKey(),
                                Types.STRING)
                        .aggregate(
                                new MetricWindowAggregate(),
                                new MetricWindowAggregate.ToMetric(),
                                JsonTypeInfo.of(MetricWindowAggregate.Acc.class));
        return new KeyedOneInputStreamOperatorTestHarness<>(
                operator, new MetricSignals.SeriesKey(), Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, RepoMetrics, RepoMetrics> harness,
            RepoMetrics m)
            throws Exception {
        harness.processElement(m, m.windowStart().toEpochMilli());
    }

    private static RepoMetrics sample(String metric, double value, int second) {
        Instant at = T0.plusSeconds(second);
        return new RepoMetrics("o/r", metric, Map.of(), value, at, at);
    }
}
