package io.repostream.flink.rules.merge;

import static io.repostream.flink.rules.merge.PullRequestScenario.REPO;
import static io.repostream.flink.rules.merge.PullRequestScenario.SHA_1;
import static io.repostream.flink.rules.merge.PullRequestScenario.SHA_2;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.Audits;
import io.repostream.flink.Events;
import io.repostream.flink.governors.ActionDrops;
import io.repostream.flink.governors.DroppedAudits;
import io.repostream.flink.rules.AuditFeedback;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.MergeQueue;
import io.repostream.schemas.MergeQueue.Branch;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.TypedTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule {@code merge-eligibility@1} learning the outcome of its own merges from their audit records,
 * as the executor and the governors write them and the job routes them ({@link AuditFeedback}).
 */
class MergeAuditsTest {
    private static final Branch MAIN = Branch.builder("main").requiredChecks("build").build();

    /** After the scenario's first events: when the executor audits the merge. */
    private static final Instant AT = Events.T0.plusSeconds(60);

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;
    private PullRequestScenario pr;

    @BeforeEach
    void open() throws Exception {
        harness = RuleHarness.of(Rules.MERGE_ELIGIBILITY);
        pr = new PullRequestScenario();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void policy(Mode mode) throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO).mergeQueue(new MergeQueue(mode, List.of(MAIN))).build(),
                0);
    }

    private List<ActionRecord> send(GitHubEvent... events) throws Exception {
        for (GitHubEvent e : events) {
            harness.processElement(e, e.occurredAt().toEpochMilli());
        }
        List<ActionRecord> actions = List.copyOf(harness.extractOutputValues());
        harness.getOutput().clear();
        return actions;
    }

    /** The audit as the job gives it to the rule. */
    private List<ActionRecord> learn(AuditRecord audit) throws Exception {
        GitHubEvent event = AuditFeedback.forRule(Rules.MERGE_ELIGIBILITY, audit).event();
        assertThat(event).as("routed to merge-eligibility: " + audit.auditId()).isNotNull();
        return send(event);
    }

    /** Opened with the label, approved, green: the merge at {@link PullRequestScenario#SHA_1}. */
    private ActionRecord readyAndMerged() throws Exception {
        List<ActionRecord> merges =
                ofType(
                        send(
                                pr.pullRequest("opened"),
                                pr.review("alice", "approved", 1),
                                pr.checkRun("build", "success", null)),
                        ActionType.MERGE_PULL_REQUEST);
        assertThat(merges).hasSize(1);
        return merges.get(0);
    }

    private AuditRecord failed(ActionRecord merge, Integer status, String error) {
        return Audits.of(
                merge,
                AuditOutcome.FAILED,
                Audits.openPullRequest(SHA_1),
                status,
                error,
                pr.clock.plusSeconds(2));
    }

    private static List<ActionRecord> ofType(List<ActionRecord> actions, ActionType type) {
        return actions.stream().filter(a -> a.type() == type).toList();
    }

    record Row(
            String name, Function<ActionRecord, AuditRecord> audit, String title, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> refusals() {
        Instant at = AT;
        return Stream.of(
                        new Row(
                                "409: the head moved",
                                m ->
                                        Audits.of(
                                                m,
                                                AuditOutcome.FAILED,
                                                Audits.openPullRequest(SHA_1),
                                                409,
                                                Audits.mergeRefused(m, 409),
                                                at),
                                "Merge refused: the head moved",
                                "head_moved"),
                        new Row(
                                "the executor saw the head move before sending",
                                m ->
                                        Audits.of(
                                                m,
                                                AuditOutcome.FAILED,
                                                Audits.openPullRequest(SHA_2),
                                                null,
                                                Audits.headMovedBeforeSending(m, SHA_2),
                                                at),
                                "Merge refused: the head moved",
                                "head_moved"),
                        new Row(
                                "405: not mergeable",
                                m ->
                                        Audits.of(
                                                m,
                                                AuditOutcome.FAILED,
                                                Audits.openPullRequest(SHA_1),
                                                405,
                                                Audits.mergeRefused(m, 405),
                                                at),
                                "Merge refused: not mergeable",
                                "not_mergeable"),
                        new Row(
                                "422: invalid",
                                m ->
                                        Audits.of(
                                                m,
                                                AuditOutcome.FAILED,
                                                Audits.openPullRequest(SHA_1),
                                                422,
                                                Audits.mergeRefused(m, 422),
                                                at),
                                "Merge refused: invalid request",
                                "invalid"),
                        new Row(
                                "502: another failure",
                                m ->
                                        Audits.of(
                                                m,
                                                AuditOutcome.FAILED,
                                                Audits.openPullRequest(SHA_1),
                                                502,
                                                Audits.mergeRefused(m, 502),
                                                at),
                                "Merge failed",
                                "failed"),
                        new Row(
                                "dropped by the governors",
                                m ->
                                        DroppedAudits.of(
                                                m,
                                                ActionDrops.Reason.ACTION_TYPE_DISABLED,
                                                "merge_pull_request is not enabled for " + REPO,
                                                at),
                                "Merge not sent",
                                "not_sent"))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void aRefusedMergeIsSaidOnceOnTheCheckRunAndNotAskedAgainAtThatHead(Row row) throws Exception {
        policy(Mode.ON);
        ActionRecord merge = readyAndMerged();
        AuditRecord audit = row.audit().apply(merge);

        List<ActionRecord> reports = learn(audit);

        assertThat(reports).hasSize(1);
        ActionRecord report = reports.get(0);
        assertThat(report.type()).isEqualTo(ActionType.CREATE_CHECK_RUN);
        assertThat(report.typedTarget()).isEqualTo(TypedTarget.commit(SHA_1));
        assertThat(report.actionId())
                .isEqualTo("merge-eligibility@1:" + REPO + "#2:" + SHA_1 + ":merge-refused");
        assertThat(report.params().path("name").asText()).isEqualTo("repostream/merge");
        assertThat(report.params().path("conclusion").asText()).isEqualTo("action_required");
        assertThat(report.params().path("title").asText()).isEqualTo(row.title());
        assertThat(report.params().path("summary").asText()).contains("(" + row.reason());
        if (audit.error() != null) {
            assertThat(report.params().path("summary").asText()).contains(audit.error());
        }
        assertThat(report.installationId()).isEqualTo(42L);
        assertThat(report.causedBy()).containsExactly("audit:" + audit.auditId());

        // once: the same record read again (a replay) says nothing more
        assertThat(learn(audit)).isEmpty();
        // no loop: eligible again at the same head, reported, never merged again
        send(pr.checkRun("build", "failure", null));
        List<ActionRecord> again = send(pr.checkRun("build", "success", null));
        assertThat(ofType(again, ActionType.MERGE_PULL_REQUEST)).isEmpty();
        assertThat(ofType(again, ActionType.CREATE_CHECK_RUN))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.params().path("conclusion").asText())
                                    .isEqualTo("action_required");
                            assertThat(c.params().path("title").asText())
                                    .isEqualTo("Eligible, not merged (" + row.reason() + ")");
                        });
        // a new head starts over: merged at that head once green
        pr.head = SHA_2;
        send(pr.pullRequest("synchronize"));
        List<ActionRecord> merged =
                ofType(send(pr.checkRun("build", "success", null)), ActionType.MERGE_PULL_REQUEST);
        assertThat(merged).singleElement();
        assertThat(merged.get(0).params().path("head_sha").asText()).isEqualTo(SHA_2);
    }

    @Test
    void whenTheHeadMovedTheMergePinnedToItIsForgotten() throws Exception {
        policy(Mode.ON);
        ActionRecord merge = readyAndMerged();
        assertThat(state().mergeRequestedSha).isEqualTo(SHA_1);

        learn(failed(merge, 409, Audits.mergeRefused(merge, 409)));

        PullRequestState held = state();
        assertThat(held.mergeRequestedSha).isNull();
        assertThat(held.mergeRefusedSha).isEqualTo(SHA_1);
        assertThat(held.mergeRefusal).isEqualTo("head_moved");
        // the push's event: nothing of the old head's refusal stays
        pr.head = SHA_2;
        send(pr.pullRequest("synchronize"));
        assertThat(state().mergeRefusedSha).isNull();
        assertThat(state().mergeRefusal).isNull();
    }

    static Stream<Arguments> nothingToLearn() {
        return Stream.of(AuditOutcome.APPLIED, AuditOutcome.SKIPPED_DUPLICATE, AuditOutcome.DRY_RUN)
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("nothingToLearn")
    void anAppliedADuplicateOrADryRunMergeChangesNothing(AuditOutcome outcome) throws Exception {
        policy(Mode.ON);
        ActionRecord merge = readyAndMerged();
        String before = MergeStateCodec.write(state());

        assertThat(
                        learn(
                                Audits.of(
                                        merge,
                                        outcome,
                                        Audits.openPullRequest(SHA_1),
                                        outcome == AuditOutcome.APPLIED ? 200 : null,
                                        null,
                                        pr.clock.plusSeconds(2))))
                .isEmpty();
        assertThat(MergeStateCodec.write(state())).isEqualTo(before);
    }

    @Test
    void anAuditAboutAnotherHeadOrAMergeTheRuleIsNotWaitingForIsIgnored() throws Exception {
        policy(Mode.ON);
        ActionRecord merge = readyAndMerged();
        AuditRecord refused = failed(merge, 405, Audits.mergeRefused(merge, 405));

        // the rule saw the push before the audit came: the refusal is about an old head
        pr.head = SHA_2;
        send(pr.pullRequest("synchronize"));
        assertThat(learn(refused)).isEmpty();
        assertThat(state().mergeRefusedSha).isNull();

        // a pull request the rule does not track (closed since, or from before its state)
        send(pr.pullRequest("closed"));
        assertThat(learn(refused)).isEmpty();
    }

    @Test
    void anAuditWrittenBeforeTheRuleAskedForThatMergeIsIgnored() throws Exception {
        policy(Mode.ON);
        // an audit of a merge of #2 at SHA_1 read from the topic's start, before this rule's
        // state asked for any merge of it (its label came later)
        pr.labels.clear();
        send(
                pr.pullRequest("opened"),
                pr.review("alice", "approved", 1),
                pr.checkRun("build", "success", null));
        assertThat(state().mergeRequestedSha).isNull();
        ActionRecord earlier = merge(SHA_1);

        assertThat(learn(failed(earlier, 405, Audits.mergeRefused(earlier, 405)))).isEmpty();

        // and the merge it asks for once labelled is asked as if nothing had been read
        pr.labels.add("automerge");
        assertThat(ofType(send(pr.pullRequest("labeled")), ActionType.MERGE_PULL_REQUEST))
                .hasSize(1);
    }

    @Test
    void inShadowModeTheDryRunsAuditIsNoRefusal() throws Exception {
        policy(Mode.SHADOW);
        ActionRecord merge = readyAndMerged();
        assertThat(merge.dryRun()).isTrue();

        assertThat(
                        learn(
                                Audits.of(
                                        merge,
                                        AuditOutcome.DRY_RUN,
                                        Audits.openPullRequest(SHA_1),
                                        null,
                                        "the action is a dry run; nothing was sent",
                                        pr.clock.plusSeconds(2))))
                .isEmpty();
    }

    /** A merge of #2 at {@code sha} with the rule's own id, as an earlier run asked for it. */
    private ActionRecord merge(String sha) {
        return new ActionRecord(
                MergeEligibilityFunction.RULE + ":" + REPO + "#2:" + sha + ":merge",
                REPO,
                2,
                ActionType.MERGE_PULL_REQUEST,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .objectNode()
                        .put("head_sha", sha),
                "an earlier run",
                List.of(),
                1.0,
                MergeEligibilityFunction.RULE,
                List.of("e-0"),
                42L,
                pr.clock,
                null,
                null,
                false);
    }

    /** The rule's state of pull request #2. */
    private PullRequestState state() throws Exception {
        @SuppressWarnings("unchecked")
        KeyedStateBackend<Object> backend =
                (KeyedStateBackend<Object>)
                        ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        backend.setCurrentKey(REPO);
        MapStateDescriptor<Long, String> pulls =
                new MapStateDescriptor<>("pull-requests", Types.LONG, Types.STRING);
        pulls.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(30)).build());
        MapState<Long, String> state =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, pulls);
        return MergeStateCodec.read(state.get(2L), PullRequestState.class);
    }
}
