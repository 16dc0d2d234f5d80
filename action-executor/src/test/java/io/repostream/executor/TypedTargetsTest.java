package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.executor.support.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetKind;
import io.repostream.schemas.TypedTarget;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Actions on targets that are not issues, through the broker: a workflow run and an issue of the
 * same number are two lanes, a typed run is the run acted on, and a target its type does not act on
 * is refused.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TypedTargetsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;
    private static ActionExecutor executor;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.removeLimits();
        topics = new KafkaTopics(kafka);
        executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(kafka, github, "typed-" + UUID.randomUUID()));
        await().atMost(WAIT).until(executor::ready);
    }

    @AfterAll
    static void stop() {
        executor.close();
        topics.close();
    }

    private static String newRepo() {
        String repo = "acme/typed-" + UUID.randomUUID().toString().substring(0, 8);
        github.createRepo(repo);
        topics.send(Policies.everyActionType(repo, 1000));
        return repo;
    }

    /** A failed run of {@code repo} and an open issue whose number is the run's id. */
    private static long runWithAnIssueOfItsNumber(String repo) {
        long run = github.createWorkflowRun(repo, 7, SHA, "completed", "failure");
        assertThat(run).as("run ids of a fresh simulator stay small").isLessThan(10_000);
        int number;
        do {
            number = github.createIssue(repo, "Issue", "", "alice");
        } while (number < run);
        assertThat((long) number).isEqualTo(run);
        return run;
    }

    private static ActionRecord rerun(String repo, long run, boolean typed, Instant notBefore) {
        Actions.Builder rerun =
                Actions.builder(ActionType.RERUN_FAILED_JOBS, repo, run, Actions.params())
                        .notBefore(notBefore);
        return (typed ? rerun.on(TypedTarget.workflowRun(run)) : rerun).build();
    }

    @ParameterizedTest(name = "typed_target on the rerun: {0}")
    @ValueSource(booleans = {true, false})
    void aRerunDeferredTenMinutesDoesNotHoldUpALabelOnTheIssueOfTheSameNumber(boolean typed) {
        String repo = newRepo();
        long run = runWithAnIssueOfItsNumber(repo);
        ActionRecord deferred = rerun(repo, run, typed, Instant.now().plus(Duration.ofMinutes(10)));
        ActionRecord label = Actions.addLabels(repo, run, "sla-breached");

        topics.send(deferred);
        Instant sent = Instant.now();
        topics.send(label);

        AuditRecord applied = topics.awaitAudit(label.actionId(), AuditOutcome.APPLIED, WAIT);
        assertThat(Duration.between(sent, applied.startedAt())).isLessThan(Duration.ofSeconds(1));
        assertThat(github.labels(repo, (int) run)).containsExactly("sla-breached");
        assertThat(topics.audits(deferred.actionId())).isEmpty();
        assertThat(github.workflowRun(repo, run).runAttempt()).isEqualTo(1);
    }

    @Test
    void aRerunWithATypedTargetReRunsTheRunItNames() {
        String repo = newRepo();
        long run = github.createWorkflowRun(repo, 7, SHA, "completed", "failure");
        ActionRecord rerun = rerun(repo, run, true, null);
        assertThat(rerun.declaredTarget()).isEqualTo(TypedTarget.workflowRun(run));

        topics.send(rerun);

        AuditRecord audit = topics.awaitAudit(rerun.actionId(), AuditOutcome.APPLIED, WAIT);
        assertThat(audit.target()).isEqualTo(run);
        assertThat(audit.after().runAttempt()).isEqualTo(2);
        assertThat(github.workflowRun(repo, run).runAttempt()).isEqualTo(2);
    }

    @Test
    void anActionOnAKindOfTargetItsTypeDoesNotActOnIsAuditedFailedAndNothingIsSent() {
        String repo = newRepo();
        int issue = github.createIssue(repo, "Issue", "", "alice");
        long run = github.createWorkflowRun(repo, 7, SHA, "completed", "failure");
        List<ActionRecord> refused =
                List.of(
                        Actions.builder(
                                        ActionType.ADD_LABELS,
                                        repo,
                                        1,
                                        Actions.names("labels", "x"))
                                .on(TypedTarget.ref("refs/heads/main"))
                                .build(),
                        Actions.builder(
                                        ActionType.ADD_LABELS,
                                        repo,
                                        1,
                                        Actions.names("labels", "x"))
                                .on(new TypedTarget(TargetKind.of("discussion"), "" + issue))
                                .build(),
                        Actions.builder(ActionType.RERUN_FAILED_JOBS, repo, 1, Actions.params())
                                .on(TypedTarget.issue(run))
                                .build());

        refused.forEach(topics::send);

        List<String> errors =
                refused.stream()
                        .map(a -> topics.awaitAudit(a.actionId(), AuditOutcome.FAILED, WAIT))
                        .map(AuditRecord::error)
                        .toList();
        assertThat(errors)
                .containsExactly(
                        "invalid action: add_labels does not act on a target of kind ref: "
                                + repo
                                + " ref refs/heads/main",
                        "invalid action: add_labels does not act on a target of kind"
                                + " discussion (a kind this executor does not know): "
                                + repo
                                + " discussion "
                                + issue,
                        "invalid action: rerun_failed_jobs does not act on a target of kind issue: "
                                + repo
                                + "#"
                                + run);
        assertThat(github.mutations()).noneMatch(m -> m.startsWith(repo));
        assertThat(github.labels(repo, issue)).isEmpty();
        assertThat(github.workflowRun(repo, run).runAttempt()).isEqualTo(1);
    }
}
