package io.repostream.flink.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.CollectingSink;
import io.repostream.flink.FiniteSource;
import io.repostream.flink.RepostreamJob;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TrainingExample;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job with predictions on a MiniCluster: a repo whose policy asks for {@code
 * ci_risk.label_high_risk} gets {@code ci/high-risk} label actions through the rate governor on the
 * actions stream; a repo that does not ask gets none, at the same predicted risk.
 */
class HighRiskLabelJobTest {
    private static final String ASKS = "octo-org/asks";
    private static final String QUIET = "octo-org/quiet";

    @TempDir Path checkpoints;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void labelsHighRiskPullRequestsOnlyWhereThePolicyAsks() throws Exception {
        // recent: label actions expire six hours after the trigger, and the governor drops
        // expired actions
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // The paced source splits the list in halves, one per reader: each half starts with a
        // two seconds of pull requests of a third repo, so that the policies (on their own source)
        // are in place before the first pull request of the two repos under test is scored.
        List<GitHubEvent> events = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            for (int n = 1; n <= 100; n++) {
                long number = 1000L * half + n;
                Instant at = now.plusMillis(number);
                events.add(
                        BuildEvents.pullRequest(
                                "opened",
                                "octo-org/warm-up",
                                number,
                                "w" + number,
                                "hubot",
                                1,
                                1,
                                at,
                                at));
            }
            for (int n = 1; n <= 75; n++) {
                long number = 75L * half + n;
                Instant at = now.plusMillis(10L * number);
                for (String repo : List.of(ASKS, QUIET)) {
                    events.add(
                            BuildEvents.pullRequest(
                                    "opened", repo, number, "sha" + number, "hubot", 1, 1, at, at));
                }
            }
        }
        List<RepoPolicy> policies =
                List.of(
                        policy(ASKS, new RepoPolicy.CiRisk(null, null, null, true), now),
                        policy(QUIET, null, now));
        ModelVersion model = TestModels.constant("v1", now.minusSeconds(3600), -3); // CRITICAL

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        RepostreamJob.localConfiguration(checkpoints, Duration.ofMillis(500)));
        env.setParallelism(2);
        CollectingSink<ActionRecord> actions = new CollectingSink<>();
        CollectingSink<Prediction> predictions = new CollectingSink<>();
        new RepostreamJob(
                        PredictionPipelineTest.paced(events),
                        FiniteSource.of(RepoPolicy.class, policies),
                        actions)
                .withPredictions(
                        new RepostreamJob.PredictionIo(
                                FiniteSource.of(ModelVersion.class, List.of(model)),
                                predictions,
                                new CollectingSink<TrainingExample>()))
                .build(env);
        env.execute("high-risk-label-job-test");

        List<Prediction> scored =
                predictions.collected().stream()
                        .filter(p -> p.successProbability() != null)
                        .toList();
        assertThat(scored).extracting(Prediction::repo).contains(ASKS, QUIET);
        List<ActionRecord> labels =
                actions.collected().stream()
                        .filter(a -> a.producedBy().equals(CiSuccessPredictor.PRODUCED_BY))
                        .toList();
        assertThat(labels)
                .isNotEmpty()
                .allSatisfy(
                        a -> {
                            assertThat(a.repo()).isEqualTo(ASKS);
                            assertThat(a.type()).isEqualTo(ActionType.ADD_LABELS);
                            assertThat(a.params().get("labels").get(0).asText())
                                    .isEqualTo(CiSuccessPredictor.HIGH_RISK_LABEL);
                        })
                .extracting(ActionRecord::actionId)
                .doesNotHaveDuplicates();
        // at most one label per scored pull request of the repo that asks; the policy and the
        // model are separate broadcast inputs, so a pull request scored before the policy arrived
        // was scored under the default policy, which does not label
        long scoredAsks = scored.stream().filter(p -> p.repo().equals(ASKS)).count();
        assertThat((long) labels.size()).isLessThanOrEqualTo(scoredAsks);
        assertThat((long) labels.size()).isGreaterThanOrEqualTo(scoredAsks * 9 / 10).isPositive();
    }

    /** Big budgets, so that the governor delays nothing; {@code risk} null: the defaults. */
    private static RepoPolicy policy(String repo, RepoPolicy.CiRisk risk, Instant now) {
        return RepoPolicy.builder(repo)
                .actionBudgetPerHour(100_000)
                .ci(RepoPolicy.Ci.builder().risk(risk).build())
                .updatedAt(now.minusSeconds(60))
                .build();
    }
}
