package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.rollback.RollbackResult;
import io.repostream.executor.rollback.RollbackResult.Status;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.executor.support.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TypedTarget;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
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
 * The merge queue's steps through Kafka, the executor and the simulator's git: refs created, moved,
 * deleted and merged into, commit statuses and check runs (a status when the executor holds a
 * token, not an App). Each is applied once, also when GitHub's answer to it is lost, and undone as
 * its type says.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class GitAndCheckActionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String QUEUE = "refs/heads/repostream/queue/main/1";

    private static GitHubSimulator github;
    private static KafkaTopics topics;
    private static ActionExecutor executor;

    /**
     * Repos with a policy that enables every type, sent before the executor starts: the merge
     * queue's types are off until a policy names them, and a policy sent just before an action may
     * reach the executor after it.
     */
    private static final java.util.Deque<String> REPOS = new java.util.ArrayDeque<>();

    @BeforeAll
    static void start(EmbeddedKafkaBroker kafka, GitHubSimulator simulator) {
        github = simulator;
        github.removeLimits();
        topics = new KafkaTopics(kafka);
        for (int i = 0; i < 24; i++) {
            String repo = "acme/git-" + i;
            github.createRepo(repo);
            topics.send(Policies.everyActionType(repo, 1000));
            REPOS.add(repo);
        }
        executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(kafka, github, "git-" + UUID.randomUUID())
                                .withRetries(4, Duration.ofMillis(20), Duration.ofSeconds(5)));
        await().atMost(WAIT).until(executor::ready);
    }

    @AfterAll
    static void stop() {
        executor.close();
        topics.close();
    }

    /**
     * One step: the action on a fresh repo, the one mutation GitHub must record (as its prefix),
     * what the rollback answers, and what the repo must look like after it.
     */
    record Case(
            String name,
            Function<String, ActionRecord> action,
            Function<String, String> mutation,
            Status undo,
            BiConsumer<String, AuditRecord> afterUndo) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case(
                        "create_ref",
                        repo -> ref(ActionType.CREATE_REF, QUEUE, shaOfMain(repo)),
                        repo -> repo + "@" + QUEUE + ":created:" + github.branchSha(repo, "main"),
                        Status.ROLLED_BACK,
                        (repo, audit) ->
                                assertThat(github.branchSha(repo, "repostream/queue/main/1"))
                                        .isNull()),
                new Case(
                        "update_ref of a queue branch",
                        repo -> {
                            github.createBranch(repo, "repostream/queue/main/1", "main");
                            return ref(ActionType.UPDATE_REF, QUEUE, featureCommit(repo));
                        },
                        repo ->
                                repo
                                        + "@"
                                        + QUEUE
                                        + ":updated:"
                                        + github.branchSha(repo, "feature"),
                        Status.ROLLED_BACK,
                        (repo, audit) ->
                                assertThat(github.branchSha(repo, "repostream/queue/main/1"))
                                        .isEqualTo(github.branchSha(repo, "main"))),
                new Case(
                        "update_ref fast-forwarding the base",
                        repo -> ref(ActionType.UPDATE_REF, "refs/heads/main", featureCommit(repo)),
                        repo ->
                                repo
                                        + "@refs/heads/main:updated:"
                                        + github.branchSha(repo, "feature"),
                        Status.IRREVERSIBLE,
                        (repo, audit) ->
                                assertThat(github.branchSha(repo, "main"))
                                        .isEqualTo(github.branchSha(repo, "feature"))),
                new Case(
                        "delete_ref",
                        repo -> {
                            github.createBranch(repo, "repostream/queue/main/1", "main");
                            return ref(ActionType.DELETE_REF, QUEUE, null);
                        },
                        repo -> repo + "@" + QUEUE + ":deleted",
                        Status.ROLLED_BACK,
                        (repo, audit) ->
                                assertThat(github.branchSha(repo, "repostream/queue/main/1"))
                                        .isEqualTo(github.branchSha(repo, "main"))),
                new Case(
                        "merge_branch into a queue branch",
                        repo -> {
                            github.createBranch(repo, "repostream/queue/main/1", "main");
                            featureCommit(repo);
                            ObjectNode params =
                                    Actions.params()
                                            .put("head", "feature")
                                            .put("commit_message", "Queue #1");
                            return typed(ActionType.MERGE_BRANCH, TypedTarget.ref(QUEUE), params);
                        },
                        repo -> repo + "@" + QUEUE + ":updated:",
                        Status.ROLLED_BACK,
                        (repo, audit) ->
                                assertThat(github.branchSha(repo, "repostream/queue/main/1"))
                                        .isEqualTo(github.branchSha(repo, "main"))),
                new Case(
                        "create_commit_status",
                        repo ->
                                typed(
                                        ActionType.CREATE_COMMIT_STATUS,
                                        TypedTarget.commit(shaOfMain(repo)),
                                        Actions.params()
                                                .put("state", "success")
                                                .put("context", "repostream/merge")
                                                .put("description", "Ready to merge")),
                        repo ->
                                repo
                                        + "@"
                                        + github.branchSha(repo, "main")
                                        + ":status:repostream/merge=success",
                        Status.ROLLED_BACK,
                        (repo, audit) ->
                                assertThat(github.commitChecks(repo, shaOfMain(repo)))
                                        .last()
                                        .asString()
                                        .startsWith("status:repostream/merge=error Superseded")),
                new Case(
                        "create_check_run with a token",
                        repo ->
                                typed(
                                        ActionType.CREATE_CHECK_RUN,
                                        TypedTarget.commit(shaOfMain(repo)),
                                        Actions.params()
                                                .put("name", "repostream/merge")
                                                .put("status", "completed")
                                                .put("conclusion", "success")
                                                .put("title", "Ready to merge: " + "x".repeat(200))
                                                .put("summary", "All required checks passed")
                                                .put("pull_number", 7)),
                        repo ->
                                repo
                                        + "@"
                                        + github.branchSha(repo, "main")
                                        + ":status:repostream/merge=success",
                        Status.ROLLED_BACK,
                        (repo, audit) -> {
                            // GitHub refuses check runs to tokens: the audit shows a status
                            assertThat(audit.after().kind()).isEqualTo("commit_status");
                            assertThat(audit.after().stateReason()).hasSize(140);
                            assertThat(github.commitChecks(repo, shaOfMain(repo)))
                                    .last()
                                    .asString()
                                    .startsWith("status:repostream/merge=error Superseded");
                        }));
    }

    static Stream<Arguments> steps() {
        // 0: GitHub answers; 502: it applies the write and a proxy loses the answer
        return Stream.of(0, 502).flatMap(lost -> cases().stream().map(c -> Arguments.of(c, lost)));
    }

    @ParameterizedTest(name = "{0}, answer lost: {1}")
    @MethodSource("steps")
    void appliesEachStepOnceAndUndoesItAsItsTypeSays(Case c, int lostAnswer) {
        String repo = newRepo();
        ActionRecord action = c.action().apply(repo);
        // the simulator logs a ref's and a commit's changes as owner/repo@<ref or sha>:...
        String prefix = repo + "@" + action.typedTarget().id() + ":";
        int before = (int) github.mutations().stream().filter(m -> m.startsWith(prefix)).count();
        if (lostAnswer != 0) {
            github.setFailNextWritesAfterApplying(lostAnswer, 1);
        }
        topics.send(action);

        AuditRecord audit = topics.awaitAudit(action.actionId(), a -> true, WAIT);
        github.setFailNextWritesAfterApplying(502, 0);
        assertThat(audit.outcome())
                .as(String.valueOf(audit.error()))
                .isEqualTo(AuditOutcome.APPLIED);
        List<String> mutations =
                github.mutations().stream().filter(m -> m.startsWith(prefix)).skip(before).toList();
        assertThat(mutations).hasSize(1);
        assertThat(mutations.get(0)).startsWith(c.mutation().apply(repo));

        await().atMost(WAIT).until(() -> executor.ledger().applied(action.actionId()).isPresent());
        RollbackResult undo = executor.rollbacks().rollback(action.actionId(), false);
        assertThat(undo.status()).as(undo.detail()).isEqualTo(c.undo());
        c.afterUndo().accept(repo, audit);
    }

    @Test
    void auditsGitHubsRefusalToMergeAConflictingPullRequestAsNotMergeable() {
        String repo = newRepo();
        github.createBranch(repo, "fix", "main");
        String head = github.commit(repo, "fix", "fix", "src/a.java");
        github.commit(repo, "main", "clash", "src/a.java");
        int pull = github.openPullRequest(repo, "Fix", "alice", "fix", "main");
        ActionRecord merge =
                Actions.of(
                        ActionType.MERGE_PULL_REQUEST,
                        repo,
                        pull,
                        Actions.params().put("head_sha", head).put("merge_method", "squash"));
        topics.send(merge);

        AuditRecord audit = topics.awaitAudit(merge.actionId(), a -> true, WAIT);

        assertThat(audit.outcome()).isEqualTo(AuditOutcome.FAILED);
        assertThat(audit.githubStatus()).isEqualTo(405);
        assertThat(audit.error()).contains("not_mergeable");
        assertThat(github.issue(repo, pull).merged()).isFalse();
    }

    @Test
    void auditsAMergeConflictOfBranchesWithGitHubsStatus() {
        String repo = newRepo();
        github.createBranch(repo, "repostream/queue/main/1", "main");
        github.commit(repo, "repostream/queue/main/1", "one", "src/a.java");
        github.createBranch(repo, "feature", "main");
        github.commit(repo, "feature", "two", "src/a.java");
        ActionRecord merge =
                typed(
                        ActionType.MERGE_BRANCH,
                        TypedTarget.ref(QUEUE),
                        Actions.params().put("head", "feature"));
        topics.send(merge);

        AuditRecord audit = topics.awaitAudit(merge.actionId(), a -> true, WAIT);

        assertThat(audit.outcome()).isEqualTo(AuditOutcome.FAILED);
        assertThat(audit.githubStatus()).isEqualTo(409);
        assertThat(audit.error()).contains("Merge conflict");
    }

    @Test
    void auditsAnUpdateThatIsNotAFastForwardWithGitHubsStatus() {
        String repo = newRepo();
        github.createBranch(repo, "feature", "main");
        String side = github.commit(repo, "feature", "side", "src/a.java");
        github.commit(repo, "main", "ahead", "src/b.java");
        ActionRecord update = ref(ActionType.UPDATE_REF, "refs/heads/main", side);
        topics.send(update);

        AuditRecord audit = topics.awaitAudit(update.actionId(), a -> true, WAIT);

        assertThat(audit.outcome()).isEqualTo(AuditOutcome.FAILED);
        assertThat(audit.githubStatus()).isEqualTo(422);
        assertThat(audit.error()).contains("Update is not a fast forward");
    }

    /** The repo of the test running; the actions the cases build are on it. */
    private static String current;

    private static String newRepo() {
        current = REPOS.pop();
        return current;
    }

    private static String shaOfMain(String repo) {
        return github.branchSha(repo, "main");
    }

    /** A commit on branch {@code feature}, made from main, one ahead of it. */
    private static String featureCommit(String repo) {
        github.createBranch(repo, "feature", "main");
        return github.commit(repo, "feature", "feature", "src/feature.java");
    }

    private static ActionRecord ref(ActionType type, String ref, String sha) {
        ObjectNode params = Actions.params();
        if (sha != null) {
            params.put("sha", sha);
        }
        return typed(type, TypedTarget.ref(ref), params);
    }

    private static ActionRecord typed(ActionType type, TypedTarget target, ObjectNode params) {
        return Actions.builder(type, current, target.legacyTarget(), params).on(target).build();
    }
}
