package io.repostream.flink.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.repostream.flink.rules.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RiskLevel;
import io.repostream.schemas.TrainingExample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CiSuccessPredictorTest {
    private static final String REPO = "octo-org/widgets";
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final KeySelector<BuildSignal, String> BY_REPO = BuildSignal::repo;

    private KeyedBroadcastOperatorTestHarness<String, BuildSignal, PredictionControl, Prediction>
            harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = newHarness();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void predictsUnknownUntilAModelArrivesThenScoresWithEachNewModelWithoutLosingAnEvent()
            throws Exception {
        send(BuildEvents.started(REPO, 1, "s1", "mona", 0, T0));
        publish(TestModels.constant("v1", T0, 3));
        send(BuildEvents.started(REPO, 2, "s2", "mona", 0, T0.plusSeconds(10)));
        publish(TestModels.constant("v2", T0.plusSeconds(60), -3));
        send(BuildEvents.started(REPO, 3, "s3", "mona", 0, T0.plusSeconds(20)));

        List<Prediction> p = harness.extractOutputValues();
        assertThat(p).extracting(Prediction::subjectId).containsExactly(1L, 2L, 3L);
        assertThat(p.get(0).risk()).isEqualTo(RiskLevel.UNKNOWN);
        assertThat(p.get(0).successProbability()).isNull();
        assertThat(p.get(0).modelVersion()).isNull();
        assertThat(p.get(1).modelVersion()).isEqualTo("v1");
        assertThat(p.get(1).successProbability()).isCloseTo(TestModels.sigmoid(3), within(1e-6));
        assertThat(p.get(1).risk()).isEqualTo(RiskLevel.LOW);
        assertThat(p.get(2).modelVersion()).isEqualTo("v2");
        assertThat(p.get(2).successProbability()).isCloseTo(TestModels.sigmoid(-3), within(1e-6));
        assertThat(p.get(2).risk()).isEqualTo(RiskLevel.CRITICAL);

        // the prediction made without a model still learns its outcome
        send(BuildEvents.completed(REPO, 1, "s1", "mona", 0, "success", T0.plusSeconds(300)));
        assertThat(examples()).extracting(TrainingExample::subjectId).containsExactly(1L);
    }

    @Test
    void bucketsTheCalibratedFailureProbabilityWhenTheModelCarriesACalibration() throws Exception {
        // the network says P(success) = sigmoid(0.5), a failure probability of 0.38: MEDIUM
        publish(TestModels.constant("v1", T0, 0.5));
        send(BuildEvents.started(REPO, 1, "s1", "mona", 0, T0));
        // the same network, calibrated on held-out builds that failed far more often
        publish(
                TestModels.calibrated(
                        TestModels.constant("v2", T0.plusSeconds(60), 0.5),
                        ModelVersion.Calibration.platt(1.0, 2.0)));
        send(BuildEvents.started(REPO, 2, "s2", "mona", 0, T0.plusSeconds(90)));

        List<Prediction> p = harness.extractOutputValues();
        assertThat(p.get(0).successProbability()).isCloseTo(TestModels.sigmoid(0.5), within(1e-6));
        assertThat(p.get(0).risk()).isEqualTo(RiskLevel.MEDIUM);
        // failure logit -0.5 becomes 1.0 * -0.5 + 2.0 = 1.5
        assertThat(p.get(1).modelVersion()).isEqualTo("v2");
        assertThat(p.get(1).successProbability())
                .isCloseTo(1 - TestModels.sigmoid(1.5), within(1e-6));
        assertThat(p.get(1).risk()).isEqualTo(RiskLevel.CRITICAL);
    }

    @Test
    void keepsTheRunningModelWhenAnOlderForeignOrCorruptModelArrives() throws Exception {
        publish(TestModels.constant("v2", T0.plusSeconds(60), -3));
        publish(TestModels.constant("v1-replayed", T0, 3));
        publish(TestModels.ofFeatureSet("travistorrent-v1", "v3-other", T0.plusSeconds(120)));
        publish(TestModels.tampered(TestModels.constant("v4-corrupt", T0.plusSeconds(180), 3)));
        send(BuildEvents.started(REPO, 1, "s1", "mona", 0, T0));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .extracting(Prediction::modelVersion)
                .isEqualTo("v2");
    }

    @Test
    void aFeatureCannotSeeItsOwnOutcome() throws Exception {
        Scenario passed = scenario("success");
        Scenario failed = scenario("failure");

        // the build's prediction and its training example hold the same vector, whatever it became
        assertThat(passed.predicted).isEqualTo(failed.predicted);
        assertThat(passed.example.features()).isEqualTo(passed.predicted);
        assertThat(failed.example.features()).isEqualTo(failed.predicted);
        assertThat(passed.example.success()).isTrue();
        assertThat(failed.example.success()).isFalse();
        assertThat(failed.example.conclusion()).isEqualTo("failure");
        assertThat(failed.example.featureSet()).isEqualTo(CiFeatures.FEATURE_SET);
        // ... and the outcome does reach the next build, so the equality above is not vacuous
        assertThat(passed.next).isNotEqualTo(failed.next);
        assertThat(failed.next.get(CiFeatures.PREVIOUS_BUILD_FAILED)).isEqualTo(1.0);
        assertThat(passed.next.get(CiFeatures.PREVIOUS_BUILD_FAILED)).isEqualTo(0.0);
        assertThat(failed.next.get(CiFeatures.REPO_FAILURE_RATE)).isEqualTo(0.5);
    }

    private record Scenario(
            Map<String, Double> predicted, TrainingExample example, Map<String, Double> next) {}

    /** A build after a passing one; its own outcome is also written into its trigger's payload. */
    private Scenario scenario(String conclusion) throws Exception {
        // a fresh operator per scenario; @AfterEach closes the last one
        harness.close();
        harness = newHarness();
        send(BuildEvents.started(REPO, 1, "s1", "mona", 0, T0));
        send(BuildEvents.completed(REPO, 1, "s1", "mona", 0, "success", T0.plusSeconds(600)));
        send(
                BuildEvents.run(
                        "requested",
                        REPO,
                        2,
                        1,
                        "s2",
                        "mona",
                        0,
                        conclusion,
                        T0.plusSeconds(3600)));
        send(BuildEvents.completed(REPO, 2, "s2", "mona", 0, conclusion, T0.plusSeconds(4000)));
        send(BuildEvents.started(REPO, 3, "s3", "mona", 0, T0.plusSeconds(7200)));
        List<Prediction> p = harness.extractOutputValues();
        TrainingExample example =
                examples().stream().filter(e -> e.subjectId() == 2).findFirst().orElseThrow();
        return new Scenario(p.get(1).features(), example, p.get(2).features());
    }

    @Test
    void pendingStateAndTimersGoBackToZeroWhenTheOutcomeArrives() throws Exception {
        send(BuildEvents.started(REPO, 1, "s1", "mona", 0, T0));
        send(
                BuildEvents.pullRequest(
                        "opened", REPO, 12, "s2", "hubot", 10, 1, T0, T0.plusSeconds(5)));
        assertThat(entries(CiSuccessPredictor.PENDING_STATE)).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        send(BuildEvents.completed(REPO, 1, "s1", "mona", 0, "success", T0.plusSeconds(60)));
        // the pull request's CI outcome: the first labelled run of its head commit
        send(BuildEvents.completed(REPO, 2, "s2", "hubot", 12, "failure", T0.plusSeconds(90)));
        send(
                BuildEvents.pullRequest(
                        "closed", REPO, 12, "s2", "hubot", 10, 1, T0, T0.plusSeconds(95)));

        assertThat(examples())
                .extracting(TrainingExample::subjectType, TrainingExample::success)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("workflow_run", true),
                        org.assertj.core.groups.Tuple.tuple("pull_request", false));
        assertThat(entries(CiSuccessPredictor.PENDING_STATE)).isZero();
        assertThat(entries(CiSuccessPredictor.PULL_REQUEST_STATE)).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void dropsAPredictionWhoseOutcomeNeverComesAfterThePendingTtl() throws Exception {
        send(BuildEvents.started(REPO, 1, "s1", "mona", 0, T0));
        harness.watermark(T0.plus(CiSuccessPredictor.DEFAULT_PENDING_TTL).toEpochMilli() - 1);
        assertThat(entries(CiSuccessPredictor.PENDING_STATE)).isEqualTo(1);

        harness.watermark(T0.plus(CiSuccessPredictor.DEFAULT_PENDING_TTL).toEpochMilli());
        assertThat(entries(CiSuccessPredictor.PENDING_STATE)).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        send(
                BuildEvents.completed(
                        REPO, 1, "s1", "mona", 0, "success", T0.plus(Duration.ofDays(2))));
        assertThat(examples()).isEmpty();
    }

    @Test
    void predictsEachBuildOnceWhenRequestedAndInProgressBothArrive() throws Exception {
        send(BuildEvents.run("requested", REPO, 1, 1, "s1", "mona", 0, null, T0));
        send(BuildEvents.run("in_progress", REPO, 1, 1, "s1", "mona", 0, null, T0.plusSeconds(5)));
        // a re-run is another build
        send(BuildEvents.run("requested", REPO, 1, 2, "s1", "mona", 0, null, T0.plusSeconds(500)));

        assertThat(harness.extractOutputValues())
                .extracting(Prediction::predictionId)
                .containsExactly(
                        "ci-success:octo-org/widgets:workflow_run:1:attempt-1",
                        "ci-success:octo-org/widgets:workflow_run:1:attempt-2");
        assertThat(harness.extractOutputValues().get(1).features())
                .containsEntry(CiFeatures.RUN_ATTEMPT, 2.0);
    }

    @Test
    void aCancelledRunTeachesNothingAndLeavesNoState() throws Exception {
        send(BuildEvents.started(REPO, 1, "s1", "mona", 0, T0));
        send(BuildEvents.completed(REPO, 1, "s1", "mona", 0, "cancelled", T0.plusSeconds(30)));
        send(BuildEvents.started(REPO, 2, "s2", "mona", 0, T0.plusSeconds(60)));

        assertThat(examples()).isEmpty();
        assertThat(harness.extractOutputValues().get(1).features())
                .doesNotContainKeys(CiFeatures.REPO_FAILURE_RATE, CiFeatures.PREVIOUS_BUILD_FAILED);
        assertThat(entries(CiSuccessPredictor.REPO_STATE)).isZero();
    }

    @Test
    void readsReviewsAndTimeToApprovalKnownBeforeThePush() throws Exception {
        Instant created = T0.minus(Duration.ofHours(2));
        send(BuildEvents.pullRequest("opened", REPO, 12, "s1", "hubot", 30, 10, created, created));
        send(BuildEvents.review(REPO, 12, "commented", T0));
        send(BuildEvents.review(REPO, 12, "approved", T0.plus(Duration.ofHours(1))));
        send(
                BuildEvents.pullRequest(
                        "synchronize",
                        REPO,
                        12,
                        "s2",
                        "hubot",
                        31,
                        10,
                        created,
                        T0.plus(Duration.ofHours(2))));

        Map<String, Double> opened = harness.extractOutputValues().get(0).features();
        Map<String, Double> pushed = harness.extractOutputValues().get(1).features();
        assertThat(opened).containsEntry(CiFeatures.REVIEW_COUNT, 0.0);
        assertThat(opened).doesNotContainKey(CiFeatures.HOURS_TO_APPROVAL);
        assertThat(pushed).containsEntry(CiFeatures.REVIEW_COUNT, 2.0);
        assertThat(pushed).containsEntry(CiFeatures.HOURS_TO_APPROVAL, 3.0);
        assertThat(pushed).containsEntry(CiFeatures.ADDITIONS, 31.0);
        assertThat(pushed).containsEntry(CiFeatures.LOG_DIFF_SIZE, Math.log1p(41));
        assertThat(pushed).containsEntry(CiFeatures.IS_PULL_REQUEST, 1.0);
        assertThat(pushed).doesNotContainKeys(CiFeatures.RUN_ATTEMPT, CiFeatures.WORKFLOW_ID);
    }

    @Test
    void proposesTheHighRiskLabelOnlyWhereThePolicyAsksForIt() throws Exception {
        publish(TestModels.constant("v1", T0, -3));
        String quiet = "octo-org/quiet";
        String unasked = "octo-org/unasked";
        RepoPolicy.CiRisk label = new RepoPolicy.CiRisk(null, null, null, true);
        policy(REPO, null, label);
        policy(quiet, Set.of(ActionType.CREATE_COMMENT), label);
        send(BuildEvents.pullRequest("opened", unasked, 14, "abcdef9012", "hubot", 1, 1, T0, T0));
        send(BuildEvents.pullRequest("opened", REPO, 12, "abcdef1234", "hubot", 1, 1, T0, T0));
        send(BuildEvents.pullRequest("opened", quiet, 13, "abcdef5678", "hubot", 1, 1, T0, T0));
        send(BuildEvents.started(REPO, 99, "s9", "mona", 0, T0)); // no pull request to label

        List<ActionRecord> labels =
                harness.getSideOutput(CiSuccessPredictor.HIGH_RISK_ACTIONS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        // where labels are disabled (quiet) the repo governor drops it on record
        // (GovernorChainTest)
        assertThat(labels)
                .extracting(ActionRecord::targetRef)
                .containsExactlyInAnyOrder("octo-org/widgets#12", "octo-org/quiet#13");
        assertThat(labels)
                .filteredOn(a -> a.repo().equals(REPO))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.targetRef()).isEqualTo("octo-org/widgets#12");
                            assertThat(a.type()).isEqualTo(ActionType.ADD_LABELS);
                            assertThat(a.params().get("labels").get(0).asText())
                                    .isEqualTo(CiSuccessPredictor.HIGH_RISK_LABEL);
                            assertThat(a.confidence())
                                    .isCloseTo(1 - TestModels.sigmoid(-3), within(1e-6));
                            assertThat(a.reason())
                                    .contains("octo-org/widgets#12")
                                    .contains("CRITICAL");
                        });
    }

    @Test
    void resumesFromACheckpointWithItsModelAndPendingBuilds() throws Exception {
        publish(TestModels.constant("v1", T0, 2));
        send(BuildEvents.started(REPO, 1, "s1", "mona", 0, T0));
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0.toEpochMilli());
        Map<String, Double> predicted = harness.extractOutputValues().get(0).features();
        harness.close();

        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new CiSuccessPredictor(),
                                List.of(CiSuccessPredictor.MODELS, Policies.DESCRIPTOR)),
                        BY_REPO,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setup();
        harness.initializeState(checkpoint);
        harness.open();
        send(BuildEvents.completed(REPO, 1, "s1", "mona", 0, "failure", T0.plusSeconds(60)));
        send(BuildEvents.started(REPO, 2, "s2", "mona", 0, T0.plusSeconds(120)));

        assertThat(examples())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.features()).isEqualTo(predicted);
                            assertThat(e.success()).isFalse();
                        });
        assertThat(harness.extractOutputValues())
                .singleElement()
                .extracting(Prediction::modelVersion)
                .isEqualTo("v1");
    }

    private KeyedBroadcastOperatorTestHarness<String, BuildSignal, PredictionControl, Prediction>
            newHarness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new CiSuccessPredictor(),
                BY_REPO,
                Types.STRING,
                CiSuccessPredictor.MODELS,
                Policies.DESCRIPTOR);
    }

    @Test
    void theHighRiskLabelFollowsTheModeOfTheCiSection() throws Exception {
        publish(TestModels.constant("v1", T0, -3));
        RepoPolicy.CiRisk label = new RepoPolicy.CiRisk(null, null, null, true);
        String off = "octo-org/off";
        String shadow = "octo-org/shadow";
        for (var repoAndMode :
                Map.of(off, RepoPolicy.Mode.OFF, shadow, RepoPolicy.Mode.SHADOW).entrySet()) {
            harness.processBroadcastElement(
                    PredictionControl.of(
                            RepoPolicy.builder(repoAndMode.getKey())
                                    .ci(
                                            RepoPolicy.Ci.builder()
                                                    .mode(repoAndMode.getValue())
                                                    .risk(label)
                                                    .build())
                                    .build()),
                    0);
        }
        send(BuildEvents.pullRequest("opened", off, 12, "abcdef1234", "hubot", 1, 1, T0, T0));
        send(BuildEvents.pullRequest("opened", shadow, 13, "abcdef5678", "hubot", 1, 1, T0, T0));

        assertThat(harness.getSideOutput(CiSuccessPredictor.HIGH_RISK_ACTIONS))
                .extracting(StreamRecord::getValue)
                .extracting(ActionRecord::repo, ActionRecord::dryRun)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(shadow, true));
    }

    @Test
    void readsRiskLevelsFromEachReposPolicy() throws Exception {
        publish(TestModels.constant("v1", T0, 0)); // P(success) 0.5: failure probability 0.5
        String strict = "octo-org/strict";
        policy(strict, null, new RepoPolicy.CiRisk(0.1, 0.2, 0.4, false));

        send(BuildEvents.started(REPO, 1, "s1", "mona", 0, T0));
        send(BuildEvents.started(strict, 2, "s2", "mona", 0, T0));

        assertThat(harness.extractOutputValues())
                .extracting(p -> p.repo() + "=" + p.risk())
                .containsExactly(REPO + "=HIGH", strict + "=CRITICAL");
        // no label without label_high_risk, even at CRITICAL
        assertThat(harness.getSideOutput(CiSuccessPredictor.HIGH_RISK_ACTIONS)).isNullOrEmpty();
    }

    private void policy(String repo, Set<ActionType> enabled, RepoPolicy.CiRisk risk)
            throws Exception {
        harness.processBroadcastElement(
                PredictionControl.of(
                        RepoPolicy.builder(repo)
                                .enabledActions(enabled)
                                .actionBudgetPerHour(300)
                                .ci(RepoPolicy.Ci.builder().risk(risk).build())
                                .updatedAt(T0)
                                .build()),
                0);
    }

    private void send(GitHubEvent event) throws Exception {
        BuildSignal signal = BuildSignals.of(event);
        harness.processElement(signal, event.occurredAt().toEpochMilli());
    }

    private void publish(ModelVersion model) throws Exception {
        harness.processBroadcastElement(PredictionControl.of(model), 0);
    }

    private List<TrainingExample> examples() {
        return harness.getSideOutput(CiSuccessPredictor.TRAINING_EXAMPLES) == null
                ? List.of()
                : harness.getSideOutput(CiSuccessPredictor.TRAINING_EXAMPLES).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    /** Keyed state entries under {@code name}, asked of the state backend. */
    private long entries(String name) throws Exception {
        KeyedStateBackend<Object> backend =
                ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        try (var keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }
}
