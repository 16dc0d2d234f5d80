package io.repostream.flink;

import static io.repostream.flink.UpgradeScenario.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.governors.ActionRateGovernor;
import io.repostream.flink.governors.GovernorInput;
import io.repostream.flink.governors.GovernorSignals;
import io.repostream.flink.governors.InstallationRateGovernor;
import io.repostream.flink.governors.InstallationRateLimitsOperator;
import io.repostream.flink.rules.Policies;
import io.repostream.flink.rules.Rule;
import io.repostream.flink.rules.RuleFields;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.flink.rules.ci.CiFailure;
import io.repostream.flink.rules.ci.CiFailureClassifierFunction;
import io.repostream.flink.rules.ci.CiRetryPlanner;
import io.repostream.flink.rules.ci.FailureClass;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job of this tree restores a savepoint that the job of main at 4c5c21f took ({@link
 * UpgradeSavepointGenerator}, {@link UpgradeScenario}) with every operator's state claimed ({@code
 * allowNonRestoredState=false}), and that state carries on.
 *
 * <p>The whole job, from Kafka: the SLA deadline pending in the savepoint fires and breaches, and
 * new input is handled as before. Processing-time TTL would expire parts of an old savepoint's
 * state as it ages (a day for the governors and the re-run counter), so what those operators hold
 * is checked on each operator's own state taken from the same savepoint, with the TTL clock set to
 * the time the savepoint was taken ({@link SavepointOperatorState}).
 */
class UpgradeFromSavepointTest {
    static final Path SAVEPOINT = Path.of(UpgradeSavepointGenerator.DEFAULT_OUT);
    private static final RuleFields PROJECTION = new RuleFields();

    @TempDir Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void theJobRestoresMainsSavepointAndItsPendingSlaDeadlineBreachesAfterTheRestore()
            throws Exception {
        Instant eventsAt = scenarioTime("events_at");
        Instant urgentOpenedAt =
                UpgradeScenario.eventsBeforeSavepoint(eventsAt).get(2).occurredAt();
        assertThat(Instant.now())
                .as("the savepoint's P0 deadline has passed (it was taken less than that ago)")
                .isAfter(urgentOpenedAt.plus(UpgradeScenario.URGENT_RESPONSE));

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(broker.producerProps())) {
            broker.createTopics(Topics.all());
            JobClient job =
                    UpgradeScenario.start(broker, dir, "upgrade-" + System.nanoTime(), SAVEPOINT);
            try {
                breachesAfterTheRestore(broker, producer, urgentOpenedAt);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void breachesAfterTheRestore(
            EmbeddedKafkaBroker broker,
            KafkaProducer<String, String> producer,
            Instant urgentOpenedAt)
            throws Exception {
        // new input after the upgrade (fewer records than the savepoint's offsets: the source
        // starts the fresh topic from its beginning)
        GitHubEvent opened =
                Events.issue(
                        "opened",
                        REPO,
                        4,
                        List.of(),
                        Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(1));
        UpgradeScenario.sendEvent(producer, opened);

        String breach = UpgradeScenario.sla(UpgradeScenario.URGENT, urgentOpenedAt);
        List<String> expected =
                List.of(
                        UpgradeScenario.triage(4),
                        breach + ":response-breach:label",
                        breach + ":response-breach:comment");
        List<ConsumerRecord<String, ActionRecord>> actions =
                CommittedRecords.await(
                        broker,
                        Topics.ACTIONS,
                        all -> ids(all).containsAll(expected),
                        Duration.ofSeconds(180));
        assertThat(actions)
                .extracting(ConsumerRecord::value)
                .filteredOn(a -> a.actionId().equals(breach + ":response-breach:comment"))
                .singleElement()
                .satisfies(a -> assertThat(a.target()).isEqualTo(UpgradeScenario.URGENT));
    }

    @Test
    void triageRemembersTheItemsItLabelled() throws Exception {
        GitHubEvent first = UpgradeScenario.eventsBeforeSavepoint(scenarioTime("events_at")).get(0);
        try (var triage = restored("triage-label", Rules.TRIAGE.newFunction(), Rules.TRIAGE)) {
            send(triage, Events.redelivered(first, "poll-" + first.eventId()));
            send(triage, Events.issue("opened", REPO, 4, List.of(), takenAt()));

            assertThat(triage.extractOutputValues())
                    .extracting(ActionRecord::actionId)
                    .containsExactly(UpgradeScenario.triage(4));
        }
    }

    @Test
    void theClassifierKnowsTheRunThatFailedOnTheShaThatNowPasses() throws Exception {
        try (var classifier =
                restored(
                        "ci-retry-planner",
                        Rules.CI_CLASSIFIER.newFunction(),
                        Rules.CI_CLASSIFIER)) {
            send(
                    classifier,
                    Events.workflowRun(
                            REPO,
                            UpgradeScenario.WORKFLOW,
                            UpgradeScenario.TIMED_OUT_RUN,
                            UpgradeScenario.FLAKY_SHA,
                            "success",
                            2,
                            5,
                            takenAt()));

            assertThat(classifier.getSideOutput(CiFailureClassifierFunction.SIGNALS))
                    .extracting(StreamRecord::getValue)
                    .filteredOn(m -> m.metric().equals("ci_flaky_runs"))
                    .extracting(RepoMetrics::value)
                    .containsExactly(1.0);
        }
    }

    @Test
    void theRetryRuleCountsTheReRunsOfTheHourBeforeTheUpgrade() throws Exception {
        Instant at = scenarioTime("events_at").plus(Duration.ofMinutes(1));
        try (var retry =
                restored("ci-retry", Rules.CI_RETRY.newFunction(), Rules.CI_RETRY.input().key())) {
            for (int run = 100; run < 100 + CiRetryPlanner.MAX_RERUNS_PER_HOUR; run++) {
                retry.processElement(
                        new CiFailure(
                                REPO,
                                UpgradeScenario.WORKFLOW,
                                run,
                                1,
                                FailureClass.TRANSIENT,
                                "timed out",
                                "run-" + run,
                                42L,
                                at),
                        at.toEpochMilli());
            }

            // two of the hour's 20 were planned before the upgrade
            assertThat(retry.extractOutputValues()).hasSize(CiRetryPlanner.MAX_RERUNS_PER_HOUR - 2);
        }
    }

    @Test
    void theRepoGovernorCountsTheActionsSentBeforeTheUpgradeInItsBudget() throws Exception {
        try (var governor =
                restored(
                        "action-rate-governor",
                        new ActionRateGovernor(),
                        (KeySelector<GovernorInput, String>) GovernorInput::repo)) {
            governor.processElement(GovernorInput.of(newTriageAction()), takenAt().toEpochMilli());

            // triage of #1 and #2 and two re-runs before, this one now
            assertThat(governor.getSideOutput(GovernorSignals.TAG))
                    .extracting(StreamRecord::getValue)
                    .filteredOn(m -> m.metric().equals("action_budget_used"))
                    .extracting(RepoMetrics::value)
                    .containsExactly(5.0);
        }
    }

    @Test
    void theInstallationGovernorWaitsForTheQuotaResetGitHubReportedBeforeTheUpgrade()
            throws Exception {
        SavepointOperatorState saved =
                SavepointOperatorState.of(SAVEPOINT, "installation-rate-governor");
        Instant reset =
                Instant.ofEpochSecond(
                        scenarioTime("events_at")
                                .plus(UpgradeScenario.QUOTA_RESET)
                                .getEpochSecond());
        try (var governor =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new InstallationRateLimitsOperator(new InstallationRateGovernor()),
                        (KeySelector<GovernorInput, String>) GovernorInput::installationKey,
                        Types.STRING,
                        saved.maxParallelism(),
                        1,
                        0)) {
            governor.setup();
            governor.setStateTtlProcessingTime(takenAt().toEpochMilli());
            governor.setProcessingTime(takenAt().toEpochMilli());
            governor.initializeState(saved.state());
            governor.open();

            governor.processElement(GovernorInput.of(newTriageAction()), takenAt().toEpochMilli());
            assertThat(governor.extractOutputValues()).isEmpty();
            governor.setStateTtlProcessingTime(reset.toEpochMilli());
            governor.setProcessingTime(reset.toEpochMilli());

            assertThat(governor.extractOutputValues())
                    .extracting(ActionRecord::notBefore)
                    .containsExactly(reset);
        }
    }

    /** Triage of a new issue #5, as the rule proposes it. */
    private static ActionRecord newTriageAction() throws Exception {
        try (var triage = RuleHarness.of(Rules.TRIAGE)) {
            GitHubEvent opened = Events.issue("opened", REPO, 5, List.of(), takenAt());
            triage.processElement(opened, opened.occurredAt().toEpochMilli());
            return triage.extractOutputValues().get(0);
        }
    }

    /**
     * A harness of {@code function} restored from the savepoint's operator {@code uid}, its
     * processing time and TTL clock at the time the savepoint was taken.
     */
    private static <IN, OUT>
            KeyedBroadcastOperatorTestHarness<String, IN, RepoPolicy, OUT> restored(
                    String uid,
                    KeyedBroadcastProcessFunction<String, IN, RepoPolicy, OUT> function,
                    KeySelector<IN, String> key)
                    throws Exception {
        SavepointOperatorState saved = SavepointOperatorState.of(SAVEPOINT, uid);
        var harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(function, List.of(Policies.DESCRIPTOR)),
                        key,
                        Types.STRING,
                        saved.maxParallelism(),
                        1,
                        0);
        harness.setup();
        harness.setStateTtlProcessingTime(takenAt().toEpochMilli());
        harness.setProcessingTime(takenAt().toEpochMilli());
        harness.initializeState(saved.state());
        harness.open();
        return harness;
    }

    /** A rule over events, restored: events go through the job's projection, as in the job. */
    private static KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            restored(
                    String uid,
                    KeyedBroadcastProcessFunction<String, GitHubEvent, RepoPolicy, ActionRecord>
                            function,
                    Rule<GitHubEvent> rule)
                    throws Exception {
        return restored(uid, function, rule.input().key());
    }

    private static void send(
            KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord> h,
            GitHubEvent event)
            throws Exception {
        h.processElement(PROJECTION.map(event), event.occurredAt().toEpochMilli());
    }

    private static Instant takenAt() throws Exception {
        return scenarioTime("savepoint_taken_at");
    }

    private static List<String> ids(List<ConsumerRecord<String, ActionRecord>> all) {
        return all.stream().map(r -> r.value().actionId()).collect(Collectors.toList());
    }

    static Instant scenarioTime(String key) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(SAVEPOINT.resolve("scenario.properties"))) {
            p.load(in);
        }
        return Instant.parse(p.getProperty(key));
    }
}
