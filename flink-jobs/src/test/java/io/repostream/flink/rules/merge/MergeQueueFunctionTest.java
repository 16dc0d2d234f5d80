package io.repostream.flink.rules.merge;

import static io.repostream.flink.rules.merge.PullRequestScenario.REPO;
import static io.repostream.flink.rules.merge.PullRequestScenario.SHA_1;
import static io.repostream.flink.rules.merge.PullRequestScenario.SHA_2;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.flink.rules.AuditFeedback;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionMetadata;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.MergeQueue;
import io.repostream.schemas.MergeQueue.Branch;
import io.repostream.schemas.MergeQueueState;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.TypedTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rule {@code merge-queue@1} in its operator, fed as the job feeds it: the eligibility rule's
 * verdicts (its harness beside, its side output forwarded), pushes and CI on candidate branches,
 * and the audit records of its own steps as the router makes them ({@link AuditFeedback}), each
 * answered the way GitHub answers the step.
 */
class MergeQueueFunctionTest {
    private static final Branch MAIN =
            Branch.builder("main").requiredChecks("build").queue(true).build();
    private static final String BASE = "a0".repeat(20);
    private static final String MERGED_1 = "b1".repeat(20);
    private static final String MERGED_2 = "b2".repeat(20);
    private static final String ID = "merge-queue@1:" + REPO + "|main:";

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            eligibility;
    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord> queue;
    private Instant clock = Events.T0.plusSeconds(600);
    private int sequence;
    private final List<MergeQueueState> published = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        eligibility = RuleHarness.of(Rules.MERGE_ELIGIBILITY);
        queue = RuleHarness.of(Rules.MERGE_QUEUE);
        policy(eligibility);
        policy(queue);
    }

    @AfterEach
    void close() throws Exception {
        eligibility.close();
        queue.close();
    }

    private static void policy(
            KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord> h)
            throws Exception {
        h.processBroadcastElement(
                RepoPolicy.builder(REPO).mergeQueue(MergeQueue.on(MAIN)).build(), 0);
    }

    @Test
    void aPullRequestThatBecomesEligibleIsTestedOnACandidateAndLandsWhenItPasses()
            throws Exception {
        queueReads(push(BASE));
        List<ActionRecord> build = judged(ready(2, SHA_1));

        assertThat(eligibility.extractOutputValues())
                .as("with queue: true the eligibility rule merges nothing itself")
                .extracting(ActionRecord::type)
                .containsOnly(ActionType.CREATE_CHECK_RUN);
        assertThat(build)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.actionId()).isEqualTo(ID + "c1:build");
                            assertThat(a.type()).isEqualTo(ActionType.CREATE_REF);
                            assertThat(a.typedTarget())
                                    .isEqualTo(
                                            TypedTarget.ref("refs/heads/repostream/build/main/1"));
                            assertThat(a.params().path("sha").asText()).isEqualTo(BASE);
                        });
        List<ActionRecord> merge = answered(build.get(0), BASE);
        assertThat(merge)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.type()).isEqualTo(ActionType.MERGE_BRANCH);
                            assertThat(a.params().path("head").asText()).isEqualTo(SHA_1);
                        });
        List<ActionRecord> publish = answered(merge.get(0), MERGED_1);
        assertThat(publish)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.type()).isEqualTo(ActionType.CREATE_REF);
                            assertThat(a.typedTarget())
                                    .isEqualTo(
                                            TypedTarget.ref("refs/heads/repostream/queue/main/1"));
                            assertThat(a.params().path("sha").asText()).isEqualTo(MERGED_1);
                        });
        assertThat(answered(publish.get(0), MERGED_1))
                .extracting(ActionRecord::type, a -> a.typedTarget().id())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                ActionType.DELETE_REF, "refs/heads/repostream/build/main/1"));

        List<ActionRecord> land = queueReads(ci(MERGED_1, 1, 101, "success", 1));

        assertThat(land)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.actionId()).isEqualTo(ID + "c1:land");
                            assertThat(a.type()).isEqualTo(ActionType.UPDATE_REF);
                            assertThat(a.typedTarget())
                                    .isEqualTo(TypedTarget.ref("refs/heads/main"));
                            assertThat(a.params().path("sha").asText()).isEqualTo(MERGED_1);
                            assertThat(a.params().path("force").isBoolean()).isTrue();
                            assertThat(a.params().path("force").asBoolean()).isFalse();
                        });
        assertThat(answered(land.get(0), MERGED_1))
                .extracting(a -> a.typedTarget().id())
                .containsExactly("refs/heads/repostream/queue/main/1");
        assertThat(notices()).anyMatch(n -> n.startsWith("landed #2: after"));
    }

    @Test
    void aFailingBatchIsBisected() throws Exception {
        judged(ready(2, SHA_1));
        judged(ready(3, SHA_2));
        List<ActionRecord> build = queueReads(push(BASE));
        assertThat(build)
                .singleElement()
                .extracting(a -> a.typedTarget().id())
                .isEqualTo("refs/heads/repostream/build/main/1");
        ActionRecord merge2 = answered(build.get(0), BASE).get(0);
        ActionRecord merge3 = answered(merge2, MERGED_1).get(0);
        assertThat(merge3.params().path("head").asText()).isEqualTo(SHA_2);
        ActionRecord publish = answered(merge3, MERGED_2).get(0);
        answered(publish, MERGED_2);

        List<ActionRecord> after = queueReads(ci(MERGED_2, 1, 101, "failure", 1));

        assertThat(after)
                .extracting(ActionRecord::type)
                .doesNotContain(ActionType.RERUN_FAILED_JOBS);
        assertThat(after)
                .extracting(ActionRecord::type, a -> a.typedTarget().id())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                ActionType.DELETE_REF, "refs/heads/repostream/queue/main/1"),
                        org.assertj.core.groups.Tuple.tuple(
                                ActionType.CREATE_REF, "refs/heads/repostream/build/main/2"));
        assertThat(notices()).anyMatch(n -> n.startsWith("bisected #0") && n.contains("[2] | [3]"));
    }

    @Test
    void aFlakyFailureIsRerunOnceNotBisectedAndTheBatchLandsWhenTheRerunPasses() throws Exception {
        queueReads(push(BASE));
        testing(2, SHA_1, MERGED_1);

        List<ActionRecord> rerun = queueReads(ci(MERGED_1, 1, 101, "timed_out", 1));

        assertThat(rerun)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.type()).isEqualTo(ActionType.RERUN_FAILED_JOBS);
                            assertThat(a.typedTarget()).isEqualTo(TypedTarget.workflowRun(101));
                        });
        assertThat(notices())
                .noneMatch(n -> n.startsWith("bisected"))
                .anyMatch(n -> n.startsWith("rerun"));
        assertThat(queueReads(ci(MERGED_1, 1, 101, "success", 2)))
                .singleElement()
                .extracting(ActionRecord::type)
                .isEqualTo(ActionType.UPDATE_REF);
    }

    @Test
    void aPullRequestThatBecomesIneligibleLeavesTheQueueAndItsCandidateIsTakenDown()
            throws Exception {
        queueReads(push(BASE));
        PullRequestScenario pr = ready(2, SHA_1);
        ActionRecord build = judged(pr).get(0);
        answered(build, BASE);
        notices();

        pr.labels.remove("automerge");
        List<ActionRecord> after = judged(pr.pullRequest("unlabeled"));

        assertThat(after)
                .extracting(ActionRecord::type, a -> a.typedTarget().id())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                ActionType.DELETE_REF, "refs/heads/repostream/build/main/1"));
        assertThat(notices()).singleElement().asString().startsWith("left #2: no longer eligible");
        assertThat(queueReads(push("c0".repeat(20)))).as("an empty queue starts nothing").isEmpty();
    }

    @Test
    void theQueueSurvivesASnapshotAndRestoreInRocksDbAndLandsUnderTheSameIds() throws Exception {
        queue.close();
        queue = RuleHarness.onRocksDb(Rules.MERGE_QUEUE, null);
        policy(queue);
        queueReads(push(BASE));
        testing(2, SHA_1, MERGED_1);
        OperatorSubtaskState snapshot = queue.snapshot(1, 1);
        queue.close();

        queue = RuleHarness.onRocksDb(Rules.MERGE_QUEUE, snapshot);
        List<ActionRecord> land = queueReads(ci(MERGED_1, 1, 101, "success", 1));

        assertThat(land)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.actionId()).isEqualTo(ID + "c1:land");
                            assertThat(a.params().path("sha").asText()).isEqualTo(MERGED_1);
                        });
    }

    @Test
    void eachChangeOfTheQueueIsPublishedWithPositionsLanesAndCandidates() throws Exception {
        queueReads(push(BASE));
        judged(ready(2, SHA_1));
        judged(ready(3, SHA_2));
        notices();

        MergeQueueState last = published.get(published.size() - 1);
        assertThat(last.key()).isEqualTo(REPO + "|main");
        assertThat(last.baseSha()).isEqualTo(BASE);
        assertThat(last.pausedBecause()).isNull();
        assertThat(last.pullRequests())
                .extracting(
                        MergeQueueState.PullRequest::number,
                        MergeQueueState.PullRequest::status,
                        MergeQueueState.PullRequest::position,
                        MergeQueueState.PullRequest::lane)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3L, "waiting", 1, "normal"),
                        org.assertj.core.groups.Tuple.tuple(2L, "testing", 0, "normal"));
        assertThat(last.candidates())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.number()).isEqualTo(1);
                            assertThat(c.phase()).isEqualTo("building");
                            assertThat(c.pullRequests()).containsExactly(2L);
                        });
        assertThat(last.changes())
                .extracting(MergeQueueState.Change::kind)
                .containsExactly("queued");
    }

    // ---- the world around the rule --------------------------------------------------------

    /** Pull request {@code number} at {@code head}, opened with the label, approved, green. */
    private PullRequestScenario ready(long number, String head) {
        PullRequestScenario pr = new PullRequestScenario();
        pr.number = number;
        pr.head = head;
        pr.clock = clock;
        return pr;
    }

    private List<ActionRecord> judged(PullRequestScenario pr) throws Exception {
        return judged(
                pr.pullRequest("opened"),
                pr.review("alice", "approved", pr.number),
                pr.checkRun("build", "success", null));
    }

    /** Events through the eligibility rule, its verdicts on to the queue: the queue's actions. */
    private List<ActionRecord> judged(GitHubEvent... events) throws Exception {
        for (GitHubEvent e : events) {
            clock = clock.isAfter(e.occurredAt()) ? clock : e.occurredAt();
            eligibility.processElement(e, e.occurredAt().toEpochMilli());
        }
        RuleHarness.forward(eligibility, MergeEligibilityFunction.QUEUE_EVENTS, queue);
        return drain();
    }

    /** Builds the candidate of one pull request until it is under test. */
    private void testing(long number, String head, String merged) throws Exception {
        ActionRecord build = judged(ready(number, head)).get(0);
        ActionRecord merge = answered(build, BASE).get(0);
        ActionRecord publish = answered(merge, merged).get(0);
        answered(publish, merged);
        notices();
    }

    private List<ActionRecord> queueReads(GitHubEvent event) throws Exception {
        queue.processElement(event, event.occurredAt().toEpochMilli());
        return drain();
    }

    private List<ActionRecord> drain() {
        List<ActionRecord> actions = List.copyOf(queue.extractOutputValues());
        queue.getOutput().clear();
        return actions;
    }

    /** The notices since the last call, as {@code kind #pull: detail}. */
    private List<String> notices() {
        List<String> out = new ArrayList<>();
        var records = queue.getSideOutput(MergeQueueFunction.STATES);
        if (records != null) {
            for (var r = records.poll(); r != null; r = records.poll()) {
                published.add(r.getValue());
                for (MergeQueueState.Change n : r.getValue().changes()) {
                    out.add(n.kind() + " #" + n.pullRequest() + ": " + n.detail());
                }
            }
        }
        return out;
    }

    /** The executor applied {@code action}; the ref it acted on is at {@code sha} after it. */
    private List<ActionRecord> answered(ActionRecord action, String sha) throws Exception {
        clock = clock.plusSeconds(2);
        TargetState after =
                new TargetState(
                        "ref", "present", null, null, null, null, sha, null, null, null, null, null,
                        null);
        AuditRecord audit =
                new AuditRecord(
                        action.actionId() + "/applied/1",
                        action.actionId(),
                        action.repo(),
                        action.target(),
                        action.typedTarget(),
                        action.type(),
                        AuditOutcome.APPLIED,
                        null,
                        after,
                        201,
                        null,
                        null,
                        action.producedBy(),
                        action.causedBy(),
                        ActionMetadata.of(action),
                        clock.minusMillis(200),
                        clock,
                        null);
        GitHubEvent event = AuditFeedback.forRule(Rules.MERGE_QUEUE, audit).event();
        assertThat(event).as("routed to merge-queue: " + audit.actionId()).isNotNull();
        return queueReads(event);
    }

    private GitHubEvent push(String after) {
        clock = clock.plusSeconds(1);
        ObjectNode payload = Events.example("push", null);
        payload.put("ref", "refs/heads/main");
        payload.put("after", after);
        payload.put("deleted", false);
        ((ObjectNode) payload.get("repository")).put("full_name", REPO);
        return new GitHubEvent(
                "push-" + (++sequence),
                EventSource.WEBHOOK,
                "push",
                null,
                REPO,
                null,
                42L,
                clock,
                clock,
                payload);
    }

    /** The required check {@code build} as a workflow run on candidate {@code candidate}. */
    private GitHubEvent ci(String sha, int candidate, long runId, String conclusion, int attempt) {
        clock = clock.plusSeconds(60);
        GitHubEvent run =
                Events.workflowRun(REPO, "build", runId, sha, conclusion, attempt, 0, clock);
        ((ObjectNode) run.payload().get("workflow_run"))
                .put("head_branch", "repostream/queue/main/" + candidate);
        return run;
    }
}
