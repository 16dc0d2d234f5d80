package io.repostream.flink.state;

import io.repostream.flink.metrics.MetricWindowAggregate;
import io.repostream.flink.prediction.OutcomeStats;
import io.repostream.flink.prediction.PendingBuild;
import io.repostream.flink.prediction.PullRequestInfo;
import io.repostream.flink.prediction.RepoHistory;
import io.repostream.flink.rules.ci.CiWorkflowState;
import io.repostream.flink.rules.sla.SlaState;
import io.repostream.flink.serialization.SampleRecords;
import io.repostream.schemas.RepoMetrics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** State values as the functions keep them, every optional field both set and unset. */
public final class StateSamples {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00.123456789Z");

    private StateSamples() {}

    public static List<SlaState> slaStates() {
        return List.of(
                new SlaState(
                        "octo-org/widgets",
                        12,
                        "octocat",
                        false,
                        "issues-opened-octo-org/widgets#12",
                        T0,
                        "P2",
                        null,
                        false,
                        false,
                        false,
                        false,
                        List.of(T0.plusSeconds(7200).toEpochMilli()),
                        null),
                new SlaState(
                        "octo-org/gadgets",
                        7,
                        "ünïcødé-😀",
                        true,
                        "pull_request-opened-" + SampleRecords.UNICODE,
                        T0.plusSeconds(5),
                        "P0",
                        T0.plusSeconds(60),
                        true,
                        true,
                        true,
                        true,
                        List.of(1L, 2L, 3L),
                        42L),
                new SlaState(
                        "octo-org/widgets",
                        13,
                        null,
                        false,
                        null,
                        null,
                        null,
                        null,
                        true,
                        false,
                        true,
                        false,
                        List.of(),
                        7L));
    }

    public static List<CiWorkflowState> ciWorkflowStates() {
        Map<String, String> jobs = new LinkedHashMap<>();
        jobs.put("build", "transient");
        jobs.put("test ✓", "permanent");
        Map<String, Integer> shas = new LinkedHashMap<>();
        shas.put("abc", 2);
        shas.put("def", 1);
        return List.of(
                new CiWorkflowState(null, null, null, null),
                new CiWorkflowState(jobs, shas, Map.of("900", "flaky"), List.of(900L, 901L)),
                new CiWorkflowState(Map.of(), Map.of("x", 3), jobs, List.of(1L)));
    }

    public static List<OutcomeStats> outcomeStats() {
        return List.of(
                OutcomeStats.NONE,
                OutcomeStats.NONE.plus(false).plus(true).plus(false),
                new OutcomeStats(Long.MAX_VALUE, 3, 0b1010, 10));
    }

    public static List<RepoHistory> repoHistories() {
        return List.of(
                RepoHistory.NONE,
                RepoHistory.NONE.plus(false, T0, "octocat"),
                new RepoHistory(null, T0.plusSeconds(1), true, null));
    }

    public static List<PullRequestInfo> pullRequests() {
        return List.of(
                PullRequestInfo.NONE,
                new PullRequestInfo(T0, "deadbeef", 4, 50, 7, 3, 2, T0.plusSeconds(3600)),
                new PullRequestInfo(null, "cafe", null, 1, null, 2, 0, null));
    }

    public static List<PendingBuild> pendingBuilds() {
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("repo_failure_rate", 0.25);
        features.put("author_failure_rate", Double.NaN);
        features.put("changed_files", 12.0);
        return List.of(
                new PendingBuild(
                        "ci-success@1:octo-org/widgets:run-900:attempt-1",
                        "workflow_run",
                        900,
                        "deadbeef",
                        1,
                        features,
                        T0,
                        T0.plusSeconds(86_400),
                        List.of("delivery-1")),
                new PendingBuild(
                        "ci-success@1:octo-org/widgets#5@cafe",
                        "pull_request",
                        5,
                        null,
                        null,
                        Map.of(),
                        T0.plusSeconds(1),
                        null,
                        List.of()),
                new PendingBuild("p-3", null, 1, "x", 2, null, null, T0, null));
    }

    public static List<MetricWindowAggregate.Acc> accumulators() {
        RepoMetrics sample =
                new RepoMetrics(
                        "octo-org/widgets", "events", Map.of("type", "issues.opened"), 1, T0, T0);
        RepoMetrics gauge =
                new RepoMetrics(
                        "octo-org/widgets",
                        "open_items",
                        Map.of("priority", "P1 ✓"),
                        3,
                        T0.plusSeconds(1),
                        T0.plusSeconds(1));
        return List.of(
                new MetricWindowAggregate().createAccumulator(),
                new MetricWindowAggregate.Acc(sample, 17, 1, 17, sample),
                new MetricWindowAggregate.Acc(gauge, -2.5, 3, 4, null));
    }
}
