package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.executor.rollback.RollbackResult;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.executor.support.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several {@code add_labels} actions for one item that are ready together go to GitHub as one
 * {@code POST /repos/{owner}/{repo}/issues/{issue_number}/labels} (the simulator's route is checked
 * against GitHub's OpenAPI description in testkit's conformance test); each action keeps its own
 * snapshot, audit and ledger entry, and its undo removes only its own labels.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoalescedLabelsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.removeLimits();
        topics = new KafkaTopics(kafka);
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    @Test
    void threeLabelActionsForOneIssueBecomeOneRequestWithThreeAuditsAndEachUndoesOnlyItsOwn() {
        String repo = "acme/coalesce-" + UUID.randomUUID().toString().substring(0, 8);
        github.createRepo(repo);
        topics.send(Policies.everyActionType(repo, 1000));
        int issue = github.createIssue(repo, "Crash on start", "", "alice", "p2");
        ActionRecord bug = Actions.addLabels(repo, issue, "bug");
        ActionRecord crash = Actions.addLabels(repo, issue, "crash", "triage");
        ActionRecord p1 = Actions.addLabels(repo, issue, "p1");
        // written before the executor reads them: ready together
        topics.send(bug);
        topics.send(crash);
        topics.send(p1);
        List<ActionRecord> actions = List.of(bug, crash, p1);

        try (ActionExecutor executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(
                                kafka, github, "coalesce-" + UUID.randomUUID()))) {
            for (ActionRecord action : actions) {
                topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);
            }
            String post = "POST /repos/" + repo + "/issues/" + issue + "/labels";
            assertThat(github.requests()).filteredOn(r -> r.startsWith(post)).hasSize(1);
            assertThat(github.labels(repo, issue))
                    .containsExactlyInAnyOrder("bug", "crash", "triage", "p1", "p2");
            assertThat(executor.metrics().scrape())
                    .contains("repostream_executor_requests_saved_by_coalescing_total 2.0");

            topics.drain(Duration.ofMillis(500));
            for (ActionRecord action : actions) {
                List<AuditRecord> audits = topics.audits(action.actionId());
                assertThat(audits).hasSize(1);
                AuditRecord audit = audits.get(0);
                assertThat(audit.before().labels()).containsExactly("p2");
                assertThat(audit.error()).contains("coalesced with");
                for (ActionRecord other : actions) {
                    if (other != action) {
                        assertThat(audit.error()).contains(other.actionId());
                    }
                }
                await().atMost(WAIT)
                        .until(() -> executor.ledger().applied(action.actionId()).isPresent());
            }
            assertThat(topics.audits(crash.actionId()).get(0).after().labels())
                    .containsExactly("crash", "p2", "triage");

            RollbackResult undone = executor.rollbacks().rollback(crash.actionId(), false);

            assertThat(undone.status()).isEqualTo(RollbackResult.Status.ROLLED_BACK);
            assertThat(github.labels(repo, issue)).containsExactlyInAnyOrder("bug", "p1", "p2");
        }
    }

    @Test
    void labelActionsForOneIssueBecomeOneRequestWhateverOtherTargetsActionsLieBetweenThem() {
        String repo = "acme/interleaved-" + UUID.randomUUID().toString().substring(0, 8);
        github.createRepo(repo);
        topics.send(Policies.everyActionType(repo, 1000));
        int x = github.createIssue(repo, "Crash on start", "", "alice");
        int y = github.createIssue(repo, "Slow build", "", "bob");
        ActionRecord bug = Actions.addLabels(repo, x, "bug");
        ActionRecord p1 = Actions.addLabels(repo, y, "p1");
        ActionRecord crash = Actions.addLabels(repo, x, "crash");
        ActionRecord comment =
                Actions.of(
                        ActionType.CREATE_COMMENT,
                        repo,
                        y,
                        Actions.params().put("body", "Looking into it"));
        ActionRecord triage = Actions.addLabels(repo, x, "triage");
        List<ActionRecord> actions = List.of(bug, p1, crash, comment, triage);
        // one partition (one repo), written before the executor reads them
        actions.forEach(topics::send);

        try (ActionExecutor executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(
                                kafka, github, "interleaved-" + UUID.randomUUID()))) {
            for (ActionRecord action : actions) {
                topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);
            }
            String postX = "POST /repos/" + repo + "/issues/" + x + "/labels";
            assertThat(github.requests()).filteredOn(r -> r.startsWith(postX)).hasSize(1);
            assertThat(github.labels(repo, x)).containsExactlyInAnyOrder("bug", "crash", "triage");
            assertThat(github.labels(repo, y)).containsExactly("p1");
            assertThat(topics.audits(crash.actionId()).get(0).error())
                    .contains(bug.actionId())
                    .contains(triage.actionId());
        }
    }

    @Test
    void anotherActionOnTheSameItemBetweenTwoLabelActionsKeepsThemApartAndInOrder() {
        String repo = "acme/apart-" + UUID.randomUUID().toString().substring(0, 8);
        github.createRepo(repo);
        topics.send(Policies.everyActionType(repo, 1000));
        int x = github.createIssue(repo, "Crash on start", "", "alice");
        ActionRecord add = Actions.addLabels(repo, x, "needs-info");
        ActionRecord remove =
                Actions.of(
                        ActionType.REMOVE_LABEL,
                        repo,
                        x,
                        Actions.params().put("label", "needs-info"));
        ActionRecord bug = Actions.addLabels(repo, x, "bug");
        List<ActionRecord> actions = List.of(add, remove, bug);
        actions.forEach(topics::send);

        try (ActionExecutor executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(
                                kafka, github, "apart-" + UUID.randomUUID()))) {
            for (ActionRecord action : actions) {
                topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);
            }
            // the label added first was removed by the action after it, before bug was added
            assertThat(github.labels(repo, x)).containsExactly("bug");
            String post = "POST /repos/" + repo + "/issues/" + x + "/labels";
            assertThat(github.requests()).filteredOn(r -> r.startsWith(post)).hasSize(2);
        }
    }
}
