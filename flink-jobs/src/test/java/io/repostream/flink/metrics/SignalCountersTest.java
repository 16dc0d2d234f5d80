package io.repostream.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.RepoMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SignalCountersTest {

    @Test
    void countsEverySignalIntoItsSeriesAndPassesRecordsThrough() throws Exception {
        SignalCounters counters = new SignalCounters();
        try (var harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(counters))) {
            harness.open();
            List<RepoMetrics> in =
                    List.of(
                            signal("sla_breaches", Map.of("kind", "response", "priority", "P1"), 1),
                            signal("sla_breaches", Map.of("kind", "response", "priority", "P0"), 1),
                            signal(
                                    "sla_breaches",
                                    Map.of("kind", "resolution", "priority", "P2"),
                                    1),
                            signal("sla_warnings", Map.of("kind", "response", "priority", "P1"), 1),
                            signal("sla_items_closed", Map.of("priority", "P1", "met", "true"), 1),
                            signal("sla_items_closed", Map.of("priority", "P1", "met", "false"), 1),
                            signal("sla_compliance_ratio", Map.of("priority", "P1"), 0.5),
                            signal("ci_success_ratio", Map.of("workflow", "ci"), 1),
                            signal("ci_success_ratio", Map.of("workflow", "ci"), 0),
                            signal("ci_success_ratio", Map.of("workflow", "ci"), 0),
                            signal(
                                    "ci_failures",
                                    Map.of("workflow", "ci", "class", "transient"),
                                    1),
                            signal(
                                    "ci_failures",
                                    Map.of("workflow", "ci", "class", "permanent"),
                                    1),
                            signal("ci_flaky_runs", Map.of("workflow", "ci"), 1),
                            signal("actions_proposed", Map.of("action_type", "add_labels"), 1),
                            signal("actions_proposed", Map.of("action_type", "add_labels"), 1),
                            signal("actions_delayed", Map.of("action_type", "add_labels"), 1),
                            signal("actions_dropped", Map.of("action_type", "create_comment"), 1),
                            signal("lifecycle_items", Map.of("step", "stale"), 1),
                            signal("lifecycle_items", Map.of("step", "stale"), 1),
                            signal("lifecycle_items", Map.of("step", "closed-rotten"), 1),
                            signal("lifecycle_exemptions", Map.of("reason", "label"), 1));
            long t = 0;
            for (RepoMetrics m : in) {
                harness.processElement(m, ++t);
            }

            assertThat(harness.extractOutputValues()).containsExactlyElementsOf(in);
            assertThat(counters.count(SignalCounters.SLA_BREACHES, "response")).isEqualTo(2);
            assertThat(counters.count(SignalCounters.SLA_BREACHES, "resolution")).isEqualTo(1);
            assertThat(counters.count(SignalCounters.SLA_WARNINGS, "response")).isEqualTo(1);
            assertThat(counters.count(SignalCounters.SLA_WARNINGS, "resolution")).isZero();
            assertThat(counters.count(SignalCounters.SLA_ITEMS_CLOSED, "true")).isEqualTo(1);
            assertThat(counters.count(SignalCounters.SLA_ITEMS_CLOSED, "false")).isEqualTo(1);
            assertThat(counters.count(SignalCounters.CI_RUNS, "success")).isEqualTo(1);
            assertThat(counters.count(SignalCounters.CI_RUNS, "failure")).isEqualTo(2);
            assertThat(counters.count(SignalCounters.CI_FAILURES, "transient")).isEqualTo(1);
            assertThat(counters.count(SignalCounters.CI_FAILURES, "permanent")).isEqualTo(1);
            assertThat(counters.count(SignalCounters.CI_FAILURES, "flaky")).isZero();
            assertThat(counters.count(SignalCounters.CI_FLAKY_RUNS, null)).isEqualTo(1);
            assertThat(counters.count(SignalCounters.ACTIONS_PROPOSED, "add_labels")).isEqualTo(2);
            assertThat(counters.count(SignalCounters.ACTIONS_DELAYED, "add_labels")).isEqualTo(1);
            assertThat(counters.count(SignalCounters.ACTIONS_DROPPED, "create_comment"))
                    .isEqualTo(1);
            assertThat(counters.count(SignalCounters.ACTIONS_DROPPED, "add_labels")).isZero();
            assertThat(counters.count(SignalCounters.LIFECYCLE_ITEMS, "stale")).isEqualTo(2);
            assertThat(counters.count(SignalCounters.LIFECYCLE_ITEMS, "closed-rotten"))
                    .isEqualTo(1);
            assertThat(counters.count(SignalCounters.LIFECYCLE_ITEMS, "rotten")).isZero();
            assertThat(counters.count(SignalCounters.LIFECYCLE_EXEMPTIONS, "label")).isEqualTo(1);
        }
    }

    private static RepoMetrics signal(String metric, Map<String, String> labels, double value) {
        Instant at = Instant.parse("2026-03-02T09:00:00Z");
        return new RepoMetrics("o/r", metric, labels, value, at, at);
    }
}
