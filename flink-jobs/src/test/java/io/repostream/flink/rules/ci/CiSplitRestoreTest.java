package io.repostream.flink.rules.ci;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.Events;
import io.repostream.flink.rules.Policies;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * The CI failure classifier restores the state of the operator it was split from. The snapshot is
 * the {@code ci-retry-planner} operator of the job before the split (commit e7d146b, whose
 * CiRetryPlanner is main's acc9374), written by {@link OperatorSnapshotUtil} after, for {@code
 * octo-org/widgets|CI}: run 10's job {@code build} failed at step "Download dependencies: 503
 * Service Unavailable" (run 10 not completed yet), and run 11 timed out on head SHA {@code aaa}
 * (attempt 1, PR 5), which planned a re-run.
 */
class CiSplitRestoreTest {
    private static final String SNAPSHOT =
            "src/test/resources/savepoints/ci-retry-planner-before-split.snapshot";
    private static final String REPO = "octo-org/widgets";

    @Test
    void theClassifierKeepsTheFlakeHistoryAndPendingJobsOfTheRetryPlannerItWasSplitFrom()
            throws Exception {
        try (var classifier = restoredClassifier();
                var retry = RuleHarness.consuming(Rules.CI_RETRY)) {
            // run 11's re-run passes on the SHA that failed: a flake the restored state knows of
            send(
                    classifier,
                    Events.workflowRun(REPO, "CI", 11, "aaa", "success", 2, 5, T0.plusSeconds(60)));
            assertThat(signals(classifier, "ci_flaky_runs")).singleElement().isEqualTo(1.0);
            assertThat(signals(classifier, "flake_rate_ratio")).containsExactly(1.0);

            // run 10 fails: classified by the job text the restored state held
            send(
                    classifier,
                    Events.workflowRun(REPO, "CI", 10, "bbb", "failure", 1, 0, T0.plusSeconds(90)));
            RuleHarness.forward(classifier, CiFailure.TAG, retry);

            assertThat(retry.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            rerun -> {
                                assertThat(rerun.type()).isEqualTo(ActionType.RERUN_FAILED_JOBS);
                                assertThat(rerun.actionId())
                                        .isEqualTo("ci-retry@1:octo-org/widgets:run-10:attempt-2");
                                assertThat(rerun.params().get("failure_class").asText())
                                        .isEqualTo(FailureClass.DEPENDENCY.wireName());
                            });
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            restoredClassifier() throws Exception {
        var harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                Rules.CI_CLASSIFIER.newFunction(), List.of(Policies.DESCRIPTOR)),
                        new CiEvents.Key(),
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setup();
        harness.initializeState(OperatorSnapshotUtil.readStateHandle(SNAPSHOT));
        harness.open();
        return harness;
    }

    private static void send(
            KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord> h,
            GitHubEvent event)
            throws Exception {
        h.processElement(event, event.occurredAt().toEpochMilli());
    }

    private static List<Double> signals(
            KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord> h,
            String name) {
        return h.getSideOutput(CiFailureClassifierFunction.SIGNALS).stream()
                .map(StreamRecord::getValue)
                .filter(m -> m.metric().equals(name))
                .map(RepoMetrics::value)
                .toList();
    }
}
