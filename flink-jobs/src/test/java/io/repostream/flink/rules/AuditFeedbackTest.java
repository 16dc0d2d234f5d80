package io.repostream.flink.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.Audits;
import io.repostream.flink.Events;
import io.repostream.flink.governors.ActionDrops;
import io.repostream.flink.governors.DroppedAudits;
import io.repostream.flink.prediction.CiSuccessPredictor;
import io.repostream.flink.rules.AuditFeedback.Unrouted;
import io.repostream.flink.rules.ci.CiRetryPlanner;
import io.repostream.flink.rules.merge.MergeEligibilityFunction;
import io.repostream.flink.rules.triage.TriageLabelFunction;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.TypedTarget;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which audit records reach which rule, and as what: the edge from {@code github.audit.v1} back to
 * the rules that declare {@code learnsFromItsAudits}.
 */
class AuditFeedbackTest {
    private static final String REPO = "octo-org/widgets";
    private static final String SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    private static final Instant AT = Events.T0.plusSeconds(30);

    /** A merge as merge-eligibility@1 asks for it ({@code producedBy} may be another version). */
    private static ActionRecord merge(String producedBy) {
        return new ActionRecord(
                producedBy + ":" + REPO + "#2:" + SHA + ":merge",
                REPO,
                2,
                ActionType.MERGE_PULL_REQUEST,
                JsonNodeFactory.instance
                        .objectNode()
                        .put("head_sha", SHA)
                        .put("merge_method", "squash"),
                REPO + "#2 meets every condition",
                List.of("event pull_request-3: check_run.completed"),
                1.0,
                producedBy,
                List.of("check_run-3"),
                42L,
                Events.T0,
                null,
                null,
                false);
    }

    private static ActionRecord action(String producedBy, ActionType type, TypedTarget target) {
        return new ActionRecord(
                        producedBy + ":" + REPO + ":" + type.wireName(),
                        REPO,
                        target.legacyTarget(),
                        type,
                        JsonNodeFactory.instance.objectNode(),
                        "a reason",
                        List.of(),
                        1.0,
                        producedBy,
                        List.of("e-1"),
                        42L,
                        Events.T0,
                        null,
                        null,
                        false)
                .withTypedTarget(target);
    }

    private static AuditRecord applied(ActionRecord action) {
        return Audits.of(action, AuditOutcome.APPLIED, null, 200, null, AT);
    }

    record Row(String name, AuditRecord audit, Unrouted unrouted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> audits() {
        ActionRecord merge = merge(MergeEligibilityFunction.RULE);
        return Stream.of(
                        new Row("an applied merge", applied(merge), null),
                        new Row(
                                "a merge GitHub refused",
                                Audits.of(
                                        merge,
                                        AuditOutcome.FAILED,
                                        Audits.openPullRequest(SHA),
                                        405,
                                        Audits.mergeRefused(merge, 405),
                                        AT),
                                null),
                        new Row(
                                "a merge asked by an earlier version of the rule",
                                applied(merge("merge-eligibility@0")),
                                null),
                        new Row(
                                "a dry run",
                                Audits.of(
                                        merge,
                                        AuditOutcome.DRY_RUN,
                                        Audits.openPullRequest(SHA),
                                        null,
                                        "the action is a dry run; nothing was sent",
                                        AT),
                                null),
                        new Row(
                                "a merge the governors dropped",
                                DroppedAudits.of(
                                        merge,
                                        ActionDrops.Reason.ACTION_TYPE_DISABLED,
                                        "merge_pull_request is not enabled",
                                        AT),
                                null),
                        new Row(
                                "a rollback's audit",
                                Audits.rollback(
                                        applied(merge),
                                        AuditOutcome.ROLLBACK_CONFLICT,
                                        "a merge cannot be undone by the executor",
                                        AT),
                                Unrouted.ROLLBACK),
                        new Row(
                                "an action type the rule does not learn from",
                                applied(
                                        action(
                                                MergeEligibilityFunction.RULE,
                                                ActionType.CREATE_CHECK_RUN,
                                                TypedTarget.commit(SHA))),
                                Unrouted.NOT_LEARNED),
                        new Row(
                                "a rule that does not learn",
                                applied(
                                        action(
                                                TriageLabelFunction.RULE,
                                                ActionType.ADD_LABELS,
                                                TypedTarget.issue(7))),
                                Unrouted.NOT_LEARNED),
                        new Row(
                                "the predictor's label, no rule's",
                                applied(
                                        action(
                                                CiSuccessPredictor.PRODUCED_BY,
                                                ActionType.ADD_LABELS,
                                                TypedTarget.pullRequest(2))),
                                Unrouted.NO_RULE),
                        new Row(
                                "a rule since removed",
                                applied(
                                        action(
                                                "retired-rule@3",
                                                ActionType.ADD_LABELS,
                                                TypedTarget.issue(7))),
                                Unrouted.NO_RULE))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("audits")
    void anAuditReachesTheRuleThatProposedTheActionOrIsCountedWithItsReason(Row row)
            throws Exception {
        AuditFeedback.Router router = router(Rules.REGISTERED);
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(router)) {
            harness.processElement(row.audit(), AT.toEpochMilli());

            var reached = reached(harness, Rules.MERGE_ELIGIBILITY);
            if (row.unrouted() == null) {
                assertThat(reached).hasSize(1);
                GitHubEvent event = reached.get(0);
                assertThat(event.payload().path("audit").path("audit_id").asText())
                        .isEqualTo(row.audit().auditId());
                assertThat(Rules.MERGE_ELIGIBILITY.input().key().getKey(event)).isEqualTo(REPO);
                assertThat(router.routed(Rules.MERGE_ELIGIBILITY.uid())).isEqualTo(1);
            } else {
                assertThat(reached).isEmpty();
                assertThat(router.unrouted(row.unrouted())).isEqualTo(1);
            }
            assertThat(harness.extractOutputValues()).as("nothing on the main output").isEmpty();
        }
    }

    @Test
    void theEventCarriesTheOutcomeAndGitHubsAnswerAndOnlyTheFieldsTheRuleDeclares() {
        ActionRecord merge = merge(MergeEligibilityFunction.RULE);
        AuditRecord audit =
                Audits.of(
                        merge,
                        AuditOutcome.FAILED,
                        Audits.openPullRequest(SHA),
                        409,
                        Audits.mergeRefused(merge, 409),
                        AT);

        GitHubEvent event = AuditFeedback.forRule(Rules.MERGE_ELIGIBILITY, audit).event();

        assertThat(AuditFeedback.isAudit(event)).isTrue();
        assertThat(event.source()).isEqualTo(EventSource.ENRICHMENT);
        assertThat(event.type()).isEqualTo(AuditFeedback.TYPE);
        assertThat(event.action()).isEqualTo("failed");
        assertThat(event.eventId()).isEqualTo("audit:" + audit.auditId());
        assertThat(event.repo()).isEqualTo(REPO);
        assertThat(event.occurredAt()).isEqualTo(AT);
        var a = event.payload().path("audit");
        assertThat(a.path("action_id").asText()).isEqualTo(merge.actionId());
        assertThat(a.path("action_type").asText()).isEqualTo("merge_pull_request");
        assertThat(a.path("outcome").asText()).isEqualTo("failed");
        assertThat(a.path("github_status").asInt()).isEqualTo(409);
        assertThat(a.path("error").asText()).contains("head_moved");
        assertThat(a.path("target").asLong()).isEqualTo(2);
        // merge-eligibility does not declare them: the projection leaves them out
        assertThat(a.has("caused_by")).isFalse();
        assertThat(a.has("before")).isFalse();
        // the whole event, before the projection, has them
        var whole = AuditFeedback.event(audit).payload();
        assertThat(whole.path("audit").path("before").path("head_sha").asText()).isEqualTo(SHA);
        assertThat(whole.path("audit").path("caused_by").get(0).asText()).isEqualTo("check_run-3");
        assertThat(whole.path("pull_request").path("number").asLong()).isEqualTo(2);
    }

    /** An item rule that learns from its labels and its check runs, for the keying below. */
    private static final Rule<GitHubEvent> ITEM_RULE =
            Rule.builder("item-learner", "item-learner@1", Rules.ITEM_EVENTS)
                    .function(TriageLabelFunction::new)
                    .fields("/issue/number", "/pull_request/number", "/audit/outcome")
                    .policySection("triage")
                    .emits(
                            ActionPriority.ROUTINE,
                            ActionType.ADD_LABELS,
                            ActionType.CREATE_CHECK_RUN)
                    .learnsFromItsAudits()
                    .build();

    @Test
    void anItemRuleGetsTheAuditKeyedByItsItemAndNotOneItCannotKey() throws Exception {
        AuditFeedback.Router router = router(List.of(ITEM_RULE));
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(router)) {
            harness.processElement(
                    applied(action("item-learner@1", ActionType.ADD_LABELS, TypedTarget.issue(12))),
                    AT.toEpochMilli());
            harness.processElement(
                    applied(
                            action(
                                    "item-learner@1",
                                    ActionType.CREATE_CHECK_RUN,
                                    TypedTarget.commit(SHA))),
                    AT.toEpochMilli());

            var reached = reached(harness, ITEM_RULE);
            assertThat(reached).hasSize(1);
            assertThat(ITEM_RULE.input().key().getKey(reached.get(0))).isEqualTo(REPO + "#12");
            assertThat(router.unrouted(Unrouted.UNKEYABLE)).isEqualTo(1);
        }
    }

    @Test
    void aRuleLearnsOnlyFromTheAuditsOfTypesItEmitsAndOnlyOverEvents() {
        assertThatThrownBy(
                        () ->
                                Rule.builder("bad", "bad@1", Rules.ITEM_EVENTS)
                                        .function(TriageLabelFunction::new)
                                        .policySection("triage")
                                        .emits(ActionPriority.ROUTINE, ActionType.ADD_LABELS)
                                        .learnsFromItsAudits(ActionType.MERGE_PULL_REQUEST)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("merge_pull_request");
        assertThatThrownBy(
                        () ->
                                Rule.builder("bad", "bad@1", Rules.CI_RETRY.input())
                                        .function(CiRetryPlanner::new)
                                        .policySection("ci")
                                        .emits(ActionPriority.RERUN, ActionType.RERUN_FAILED_JOBS)
                                        .learnsFromItsAudits()
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only a rule over GitHub events");
    }

    private static AuditFeedback.Router router(List<Rule<?>> rules) {
        return new AuditFeedback.Router(
                rules.stream()
                        .filter(Rule::learnsFromItsAudits)
                        .map(AuditFeedback.Learner::of)
                        .toList(),
                rules.stream().map(Rule::producer).distinct().toList());
    }

    private static List<GitHubEvent> reached(
            OneInputStreamOperatorTestHarness<AuditRecord, GitHubEvent> harness, Rule<?> rule) {
        var records = harness.getSideOutput(AuditFeedback.tag(rule.uid()));
        if (records == null) {
            return List.of();
        }
        return records.stream().map(r -> r.getValue()).toList();
    }
}
