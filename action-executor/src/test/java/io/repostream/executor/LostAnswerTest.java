package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * At most once without a crash: GitHub applied the write, and its answer was lost on the way back
 * (a 502 from a proxy, or the connection dropped). The executor must not send a write that is not
 * idempotent again without first looking whether it took effect, and must audit what happened as
 * applied, with exactly one mutation on GitHub.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LostAnswerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REPO = "acme/lost";
    private static final String SHA = "f".repeat(40);

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;
    private static ActionExecutor executor;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.removeLimits();
        github.createRepo(REPO);
        topics = new KafkaTopics(kafka);
        topics.send(Policies.everyActionType(REPO, 1000));
        executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(kafka, github, "lost-answers")
                                .withRetries(4, Duration.ofMillis(20), Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        executor.close();
        topics.close();
    }

    /** A target, the action, and the one mutation GitHub must have recorded. */
    record Case(
            String name,
            ToLongFunction<GitHubSimulator> target,
            ActionType type,
            ObjectNode params,
            String mutation) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case(
                        "create_comment",
                        g -> g.createIssue(REPO, "Comment", "", "alice"),
                        ActionType.CREATE_COMMENT,
                        Actions.params().put("body", "Thanks!"),
                        "+comment:"),
                new Case(
                        "merge_pull_request",
                        g -> g.createPullRequest(REPO, "Merge", "", "alice", "merge-me", SHA),
                        ActionType.MERGE_PULL_REQUEST,
                        Actions.params().put("head_sha", SHA),
                        "merged"),
                new Case(
                        "rerun_workflow",
                        g -> g.createWorkflowRun(REPO, 7, SHA, "completed", "failure"),
                        ActionType.RERUN_WORKFLOW,
                        Actions.params(),
                        "rerun"),
                new Case(
                        "rerun_failed_jobs",
                        g -> g.createWorkflowRun(REPO, 7, SHA, "completed", "failure"),
                        ActionType.RERUN_FAILED_JOBS,
                        Actions.params(),
                        "rerun-failed-jobs"),
                new Case(
                        "cancel_workflow_run",
                        g -> g.createWorkflowRun(REPO, 7, SHA, "in_progress", null),
                        ActionType.CANCEL_WORKFLOW_RUN,
                        Actions.params(),
                        "cancel"),
                new Case(
                        "remove_label",
                        g -> g.createIssue(REPO, "Label", "", "alice", "stale"),
                        ActionType.REMOVE_LABEL,
                        Actions.params().put("label", "stale"),
                        "-label:stale"),
                new Case(
                        "add_labels",
                        g -> g.createIssue(REPO, "Label", "", "alice"),
                        ActionType.ADD_LABELS,
                        Actions.names("labels", "bug"),
                        "+label:bug"),
                new Case(
                        "close_issue",
                        g -> g.createIssue(REPO, "Close", "", "alice"),
                        ActionType.CLOSE_ISSUE,
                        Actions.params(),
                        "state:closed"));
    }

    static Stream<Arguments> lostAnswers() {
        // 502: a proxy failed on the way back; 0: the connection dropped without an answer
        return Stream.of(502, 0)
                .flatMap(status -> cases().stream().map(c -> Arguments.of(c, status)));
    }

    @ParameterizedTest(name = "{0} answered {1}")
    @MethodSource("lostAnswers")
    void appliesOnceAndAuditsAppliedWhenGitHubsAnswerIsLost(Case c, int status) {
        long target = c.target().applyAsLong(github);
        ActionRecord action = Actions.of(c.type(), REPO, target, c.params());
        String prefix =
                c.type().wireName().contains("run")
                        ? REPO + "#run/" + target + ":"
                        : REPO + "#" + target + ":";
        github.setFailNextWritesAfterApplying(status, 1);
        topics.send(action);

        AuditRecord audit =
                topics.awaitAudit(
                        action.actionId(),
                        a -> a.outcome() != AuditOutcome.SKIPPED_DUPLICATE,
                        WAIT);
        github.setFailNextWritesAfterApplying(status, 0);
        assertThat(audit.outcome())
                .as(audit.error() == null ? "" : audit.error())
                .isEqualTo(AuditOutcome.APPLIED);
        List<String> mutations =
                github.mutations().stream().filter(m -> m.startsWith(prefix)).toList();
        if (c.type() == ActionType.CREATE_COMMENT) {
            assertThat(mutations)
                    .containsExactly(prefix + c.mutation() + audit.after().commentId());
            assertThat(github.comments(REPO, (int) target)).hasSize(1);
        } else {
            assertThat(mutations).containsExactly(prefix + c.mutation());
        }
    }

    @Test
    void rollsACommentBackOnceWhenTheAnswerToItsDeletionIsLost() {
        int number = github.createIssue(REPO, "Undo", "", "alice");
        ActionRecord action =
                Actions.of(
                        ActionType.CREATE_COMMENT,
                        REPO,
                        number,
                        Actions.params().put("body", "Oops"));
        topics.send(action);
        long commentId =
                topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT)
                        .after()
                        .commentId();
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> executor.ledger().applied(action.actionId()).isPresent());

        github.setFailNextWritesAfterApplying(502, 1);
        RollbackResult result = executor.rollbacks().rollback(action.actionId(), false);

        // deleting again would be a 404, which reads as "somebody changed it": a conflict
        assertThat(result.status())
                .as(result.detail())
                .isEqualTo(RollbackResult.Status.ROLLED_BACK);
        assertThat(github.comments(REPO, number)).isEmpty();
        assertThat(github.mutations())
                .filteredOn(m -> m.startsWith(REPO + "#" + number + ":"))
                .containsExactly(
                        REPO + "#" + number + ":+comment:" + commentId,
                        REPO + "#" + number + ":-comment:" + commentId);
    }
}
