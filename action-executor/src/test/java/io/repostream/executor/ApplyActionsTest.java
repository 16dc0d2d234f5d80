package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.handlers.CreateCommentHandler;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.executor.support.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.TypedTarget;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every action type end to end: from the actions topic through the executor to the GitHub
 * simulator, asserting the mutation GitHub saw, the snapshot written before it, and the audit
 * record written after it.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ApplyActionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A repo whose policy enables every type, merges and cancellations included. */
    private static final String REPO = "acme/widgets";

    /** A repo whose policy says dry run. */
    private static final String DRY_REPO = "acme/dry";

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
        github.addToken("ghp_bobsToken000000000000000000000000000", "bob");
        topics = new KafkaTopics(kafka);
        topics.send(Policies.everyActionType(REPO, 1000));
        github.createRepo(DRY_REPO);
        topics.send(RepoPolicy.builder(DRY_REPO).dryRun(true).actionBudgetPerHour(1000).build());
        executor = ActionExecutor.start(config());
    }

    @AfterAll
    static void stop() {
        executor.close();
        topics.close();
    }

    static ExecutorConfig config() {
        return ExecutorConfigs.forSimulator(kafka, github, "apply-" + System.nanoTime());
    }

    private static int issue(String... labels) {
        return github.createIssue(REPO, "Crash on start", "It crashes.", "alice", labels);
    }

    @Test
    void addsTheLabelAfterSnapshottingTheIssueWithoutIt() {
        int number = issue();
        ActionRecord action = Actions.addLabels(REPO, number, "bug");
        topics.send(action);

        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);
        assertThat(github.labels(REPO, number)).containsExactly("bug");
        assertThat(github.mutations()).contains(REPO + "#" + number + ":+label:bug");

        List<Snapshot> snapshots = topics.snapshots(action.actionId());
        assertThat(snapshots).hasSize(1);
        assertThat(snapshots.get(0).before().labels()).isEmpty();
        assertThat(snapshots.get(0).before().state()).isEqualTo("open");
        assertThat(snapshots.get(0).producedBy()).isEqualTo(action.producedBy());

        assertThat(audit.success()).isTrue();
        assertThat(audit.before().labels()).isEmpty();
        assertThat(audit.after().labels()).containsExactly("bug");
        assertThat(audit.githubStatus()).isEqualTo(200);
        assertThat(audit.rateLimit().limit()).isPositive();
        assertThat(audit.rateLimit().remaining()).isNotNull();
        assertThat(audit.metadata().confidence()).isEqualTo(action.confidence());
        assertThat(audit.metadata().reason()).isEqualTo(action.reason());
        assertThat(audit.causedBy()).isEqualTo(action.causedBy());
        assertThat(audit.startedAt()).isBeforeOrEqualTo(audit.finishedAt());
        assertThat(snapshots.get(0).takenAt()).isBetween(audit.startedAt(), audit.finishedAt());
    }

    @Test
    void appliesEachIssuesActionsInOrderWhileIssuesAreAppliedSideBySide() {
        int issues = 6;
        int perIssue = 25;
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < issues; i++) {
            numbers.add(issue());
        }
        // interleaved as rules would emit them; every issue's actions share the repo's partition
        List<ActionRecord> actions = new ArrayList<>();
        for (int k = 0; k < perIssue; k++) {
            for (int number : numbers) {
                actions.add(Actions.addLabels(REPO, number, "step-" + number + "-" + k));
            }
        }
        topics.sendAll(actions);
        topics.awaitAudited(actions.stream().map(ActionRecord::actionId).toList(), WAIT);

        for (int number : numbers) {
            List<String> inOrder = new ArrayList<>();
            for (int k = 0; k < perIssue; k++) {
                inOrder.add("step-" + number + "-" + k);
            }
            // the simulator keeps labels in the order they were added
            assertThat(github.labels(REPO, number)).containsExactlyElementsOf(inOrder);
        }
        for (int a = 0; a < actions.size(); a++) {
            ActionRecord action = actions.get(a);
            int k = a / issues;
            List<String> ownOrder = new ArrayList<>();
            for (int j = 0; j < perIssue; j++) {
                ownOrder.add("step-" + action.target() + "-" + j);
            }
            // applied alone, or with other label actions of its issue in one request (issue 15:
            // what can share one request is coalesced, whatever other issues' actions lie between)
            String note = topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT).error();
            if (note != null) {
                assertThat(note).startsWith("coalesced with");
            }
            // each snapshot was read after the issue's earlier requests, not alongside them: the
            // labels before it (a snapshot keeps them sorted) are a prefix of its issue's own,
            // never a later one's
            assertThat(topics.snapshots(action.actionId()))
                    .singleElement()
                    .satisfies(
                            snapshot -> {
                                List<String> before = snapshot.before().labels();
                                assertThat(before.size()).isLessThanOrEqualTo(k);
                                assertThat(before)
                                        .containsExactlyInAnyOrderElementsOf(
                                                ownOrder.subList(0, before.size()));
                            });
        }
    }

    @Test
    void appliesTheSameActionIdOnlyOnceWhenItIsDeliveredTwice() {
        int number = issue();
        ActionRecord action = Actions.addLabels(REPO, number, "duplicate-me");
        topics.send(action);
        topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);
        github.removeLabelAsHuman(REPO, number, "duplicate-me", "alice");
        topics.send(action);

        AuditRecord duplicate =
                topics.awaitAudit(action.actionId(), AuditOutcome.SKIPPED_DUPLICATE, WAIT);
        assertThat(duplicate.error()).contains(action.actionId());
        assertThat(github.mutations())
                .filteredOn(m -> m.startsWith(REPO + "#" + number + ":"))
                .containsExactly(REPO + "#" + number + ":+label:duplicate-me");
        assertThat(github.labels(REPO, number)).isEmpty();
        assertThat(topics.snapshots(action.actionId())).hasSize(1);
    }

    /** One row per action type: set up a target, the action, the mutation GitHub must record. */
    record Case(
            String name,
            ToLongFunction<GitHubSimulator> target,
            ActionType type,
            ObjectNode params,
            String mutation,
            Consumer<TargetState> before,
            Consumer<TargetState> after) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        String sha = "a".repeat(40);
        return Stream.of(
                        new Case(
                                "add_labels adds every missing label",
                                g -> issue("p1"),
                                ActionType.ADD_LABELS,
                                Actions.names("labels", "bug", "p1"),
                                "+label:bug",
                                b -> assertThat(b.labels()).containsExactly("p1"),
                                a -> assertThat(a.labels()).containsExactly("bug", "p1")),
                        new Case(
                                "remove_label removes the label",
                                g -> issue("stale", "bug"),
                                ActionType.REMOVE_LABEL,
                                Actions.params().put("label", "stale"),
                                "-label:stale",
                                b -> assertThat(b.labels()).containsExactly("bug", "stale"),
                                a -> assertThat(a.labels()).containsExactly("bug")),
                        new Case(
                                "create_comment posts a comment with the hidden marker",
                                g -> issue(),
                                ActionType.CREATE_COMMENT,
                                Actions.params().put("body", "Thanks for the report!"),
                                "+comment:",
                                b -> assertThat(b.commentId()).isNull(),
                                a -> assertThat(a.commentId()).isPositive()),
                        new Case(
                                "close_issue closes with the state reason",
                                g -> issue(),
                                ActionType.CLOSE_ISSUE,
                                Actions.params().put("state_reason", "not_planned"),
                                "state:closed",
                                b -> assertThat(b.state()).isEqualTo("open"),
                                a -> {
                                    assertThat(a.state()).isEqualTo("closed");
                                    assertThat(a.stateReason()).isEqualTo("not_planned");
                                }),
                        new Case(
                                "reopen_issue reopens",
                                g -> {
                                    int n = issue();
                                    g.closeAsHuman(REPO, n, "alice");
                                    return n;
                                },
                                ActionType.REOPEN_ISSUE,
                                Actions.params(),
                                "state:open",
                                b -> assertThat(b.state()).isEqualTo("closed"),
                                a -> assertThat(a.state()).isEqualTo("open")),
                        new Case(
                                "add_assignees assigns",
                                g -> issue(),
                                ActionType.ADD_ASSIGNEES,
                                Actions.names("assignees", "alice"),
                                "+assignee:alice",
                                b -> assertThat(b.assignees()).isEmpty(),
                                a -> assertThat(a.assignees()).containsExactly("alice")),
                        new Case(
                                "remove_assignees unassigns",
                                g -> {
                                    int n = issue();
                                    g.assignAsHuman(REPO, n, "alice", "alice");
                                    return n;
                                },
                                ActionType.REMOVE_ASSIGNEES,
                                Actions.names("assignees", "alice"),
                                "-assignee:alice",
                                b -> assertThat(b.assignees()).containsExactly("alice"),
                                a -> assertThat(a.assignees()).isEmpty()),
                        new Case(
                                "request_reviewers requests a review",
                                g ->
                                        g.createPullRequest(
                                                REPO, "Fix crash", "", "alice", "fix", sha),
                                ActionType.REQUEST_REVIEWERS,
                                Actions.names("reviewers", "bob"),
                                "+reviewer:bob",
                                b -> assertThat(b.requestedReviewers()).isEmpty(),
                                a -> assertThat(a.requestedReviewers()).containsExactly("bob")),
                        new Case(
                                "merge_pull_request merges while the head is unchanged",
                                g -> g.createPullRequest(REPO, "Ready", "", "alice", "ready", sha),
                                ActionType.MERGE_PULL_REQUEST,
                                Actions.params().put("head_sha", sha),
                                "merged",
                                b -> assertThat(b.merged()).isFalse(),
                                a -> assertThat(a.merged()).isTrue()),
                        new Case(
                                "rerun_failed_jobs re-runs the failed jobs",
                                g -> g.createWorkflowRun(REPO, 7, sha, "completed", "failure"),
                                ActionType.RERUN_FAILED_JOBS,
                                Actions.params(),
                                "rerun-failed-jobs",
                                b -> assertThat(b.runAttempt()).isEqualTo(1),
                                a -> assertThat(a.runAttempt()).isEqualTo(2)),
                        new Case(
                                "rerun_workflow re-runs the whole run",
                                g -> g.createWorkflowRun(REPO, 7, sha, "completed", "failure"),
                                ActionType.RERUN_WORKFLOW,
                                Actions.params(),
                                "rerun",
                                b -> assertThat(b.runConclusion()).isEqualTo("failure"),
                                a -> assertThat(a.runAttempt()).isEqualTo(2)),
                        new Case(
                                "cancel_workflow_run cancels a running run",
                                g -> g.createWorkflowRun(REPO, 7, sha, "in_progress", null),
                                ActionType.CANCEL_WORKFLOW_RUN,
                                Actions.params(),
                                "cancel",
                                b -> assertThat(b.runStatus()).isEqualTo("in_progress"),
                                a -> assertThat(a.runConclusion()).isEqualTo("cancelled")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void appliesEachActionTypeWithSnapshotAndAudit(Case c) {
        long target = c.target().applyAsLong(github);
        ActionRecord action = Actions.of(c.type(), REPO, target, c.params());
        topics.send(action);

        AuditRecord audit =
                topics.awaitAudit(
                        action.actionId(),
                        a -> a.outcome() != AuditOutcome.SKIPPED_DUPLICATE,
                        WAIT);
        assertThat(audit.outcome())
                .as(audit.error() == null ? "" : audit.error())
                .isEqualTo(AuditOutcome.APPLIED);
        String prefix =
                c.type().wireName().contains("run")
                        ? REPO + "#run/" + target + ":"
                        : REPO + "#" + target + ":";
        // exactly the one mutation: "rerun" must not pass for "rerun-failed-jobs", and a
        // comment's mutation names the comment the audit records
        String expected =
                c.type() == ActionType.CREATE_COMMENT
                        ? prefix + c.mutation() + audit.after().commentId()
                        : prefix + c.mutation();
        assertThat(github.mutations())
                .filteredOn(m -> m.startsWith(prefix))
                .containsExactly(expected);
        List<Snapshot> snapshots = topics.snapshots(action.actionId());
        assertThat(snapshots).hasSize(1);
        c.before().accept(snapshots.get(0).before());
        c.before().accept(audit.before());
        c.after().accept(audit.after());
        assertThat(audit.githubStatus()).isBetween(200, 299);
        // the action says no typed_target; the executor writes what it acted on, typed
        assertThat(action.declaredTarget()).isNull();
        assertThat(snapshots.get(0).declaredTarget())
                .isEqualTo(audit.declaredTarget())
                .isEqualTo(action.typedTarget())
                .isEqualTo(new TypedTarget(c.type().defaultTargetKind(), Long.toString(target)));
    }

    @Test
    void createsACommentThatCarriesItsActionIdInAHiddenMarker() {
        int number = issue();
        ActionRecord action =
                Actions.of(
                        ActionType.CREATE_COMMENT,
                        REPO,
                        number,
                        Actions.params().put("body", "Looks like a duplicate of #1."));
        topics.send(action);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);
        assertThat(github.comments(REPO, number))
                .singleElement()
                .satisfies(
                        comment -> {
                            assertThat(comment.id()).isEqualTo(audit.after().commentId());
                            assertThat(comment.body())
                                    .startsWith("Looks like a duplicate of #1.")
                                    .contains(CreateCommentHandler.marker(action.actionId()));
                        });
    }

    @Test
    void refusesToMergeWhenTheHeadMovedSinceTheRuleLooked() {
        String old = "b".repeat(40);
        int pr = github.createPullRequest(REPO, "Moving", "", "alice", "moving", old);
        github.pushToPullRequest(REPO, pr, "c".repeat(40));
        ActionRecord merge =
                Actions.of(
                        ActionType.MERGE_PULL_REQUEST,
                        REPO,
                        pr,
                        Actions.params().put("head_sha", old));
        topics.send(merge);
        AuditRecord audit = topics.awaitAudit(merge.actionId(), AuditOutcome.FAILED, WAIT);
        assertThat(audit.error()).contains("moved from " + old).contains(REPO + "#" + pr);
        assertThat(github.issue(REPO, pr).merged()).isFalse();
        assertThat(topics.snapshots(merge.actionId())).isEmpty();
    }

    @Test
    void failsFinallyOnAMissingIssueNamingIt() {
        ActionRecord action = Actions.addLabels(REPO, 99_999, "bug");
        topics.send(action);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.FAILED, WAIT);
        assertThat(audit.githubStatus()).isEqualTo(404);
        assertThat(audit.error()).contains(REPO + "#99999").contains("404");
        assertThat(audit.success()).isFalse();
        long attempts =
                github.requests().stream().filter(r -> r.contains("/issues/99999 ")).count();
        assertThat(attempts).isEqualTo(1);
    }

    @Test
    void failsFinallyOnA422WithGitHubsMessage() {
        int pr =
                github.createPullRequest(
                        REPO, "Conflicting", "", "alice", "conflict", "d".repeat(40));
        github.setMergeable(REPO, pr, false);
        ActionRecord merge =
                Actions.of(
                        ActionType.MERGE_PULL_REQUEST,
                        REPO,
                        pr,
                        Actions.params().put("head_sha", "d".repeat(40)));
        topics.send(merge);
        AuditRecord audit = topics.awaitAudit(merge.actionId(), AuditOutcome.FAILED, WAIT);
        assertThat(audit.githubStatus()).isBetween(400, 499);
        assertThat(audit.error()).contains(REPO + "#" + pr);
        assertThat(github.issue(REPO, pr).merged()).isFalse();
    }

    @Test
    void retriesServerErrorsAndThenApplies() {
        int number = issue();
        ActionRecord action = Actions.addLabels(REPO, number, "after-502");
        github.setFailNext(502, 2);
        topics.send(action);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);
        assertThat(audit.after().labels()).contains("after-502");
        assertThat(executor.metrics().scrape())
                .contains("repostream_executor_github_retries_total{reason=\"server_error\"}");
    }

    @Test
    void previewsADryRunActionWithoutChangingAnything() {
        int number = issue();
        ActionRecord action =
                Actions.builder(
                                ActionType.ADD_LABELS,
                                REPO,
                                number,
                                Actions.names("labels", "maybe"))
                        .dryRun(true)
                        .build();
        topics.send(action);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.DRY_RUN, WAIT);
        assertThat(audit.before().labels()).isEmpty();
        assertThat(audit.after().labels()).containsExactly("maybe");
        assertThat(github.labels(REPO, number)).isEmpty();
        assertThat(github.mutations()).noneMatch(m -> m.startsWith(REPO + "#" + number + ":"));
    }

    @Test
    void auditsTheWouldBeChangeOfARepoInDryRunMode() {
        int number = github.createIssue(DRY_REPO, "Dry", "", "alice");
        ActionRecord action =
                Actions.of(ActionType.CLOSE_ISSUE, DRY_REPO, number, Actions.params());
        topics.send(action);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.DRY_RUN, WAIT);
        assertThat(audit.error()).contains(DRY_REPO + " is in dry-run mode");
        assertThat(audit.before().state()).isEqualTo("open");
        assertThat(audit.after().state()).isEqualTo("closed");
        assertThat(github.issue(DRY_REPO, number).state()).isEqualTo("open");
        assertThat(topics.snapshots(action.actionId())).isEmpty();
    }
}
