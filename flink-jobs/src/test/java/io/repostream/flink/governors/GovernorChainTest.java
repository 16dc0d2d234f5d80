package io.repostream.flink.governors;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.CapturedLogs;
import io.repostream.flink.rules.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TypedTarget;
import io.repostream.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both governors in a row, as the job chains them: what leaves the repo governor enters the other.
 */
class GovernorChainTest {
    private static final String REPO = "octo-org/widgets";
    private static final long NOW = T0.toEpochMilli();

    private KeyedBroadcastOperatorTestHarness<String, GovernorInput, RepoPolicy, GovernorInput>
            perRepo;
    private KeyedOneInputStreamOperatorTestHarness<String, GovernorInput, ActionRecord>
            perInstallation;
    private final ActionRateGovernor repoGovernor = new ActionRateGovernor();
    private final InstallationRateGovernor installationGovernor = new InstallationRateGovernor();

    @BeforeEach
    void openHarnesses() throws Exception {
        perRepo =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        repoGovernor,
                        (KeySelector<GovernorInput, String>) GovernorInput::repo,
                        Types.STRING,
                        Policies.DESCRIPTOR);
        perRepo.setProcessingTime(NOW);
        perInstallation =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(installationGovernor),
                        (KeySelector<GovernorInput, String>) GovernorInput::installationKey,
                        Types.STRING);
        perInstallation.open();
        perInstallation.setProcessingTime(NOW);
    }

    @AfterEach
    void closeHarnesses() throws Exception {
        perRepo.close();
        perInstallation.close();
    }

    @Test
    void countsACommentDelayedByBothGovernorsOnce() throws Exception {
        budget(1);
        // GitHub reported the installation's quota nearly spent until T0 + 2 h
        Instant reset = T0.plus(Duration.ofHours(2));
        perInstallation.processElement(
                new GovernorInput(null, audit(10, reset), "installation:5"), NOW);

        propose(comment("first")); // the quota holds it until the reset
        propose(comment("second")); // the repo budget holds it an hour, then the quota too
        runUntil(reset.plusSeconds(10));

        // the next write slot after the reset's
        assertThat(governed())
                .extracting(ActionRecord::actionId, ActionRecord::notBefore)
                .containsExactly(
                        tuple("first", reset),
                        tuple(
                                "second",
                                reset.plus(InstallationRateGovernor.DEFAULT_WRITE_SPACING)));
        assertThat(signals("actions_delayed"))
                .hasSize(2)
                .allSatisfy(
                        m -> assertThat(m.labels()).containsEntry("action_type", "create_comment"));
    }

    @Test
    void countsAnActionOnlyTheInstallationGovernorMovesOnce() throws Exception {
        propose(comment("c-0"));
        propose(comment("c-1")); // the installation's next write slot

        assertThat(governed())
                .extracting(ActionRecord::actionId, ActionRecord::notBefore)
                .containsExactly(
                        tuple("c-0", T0),
                        tuple("c-1", T0.plus(InstallationRateGovernor.DEFAULT_WRITE_SPACING)));
        assertThat(signals("actions_delayed"))
                .singleElement()
                .satisfies(m -> assertThat(m.repo()).isEqualTo(REPO));
    }

    @Test
    void aRerunThatOnlyWaitsForItsBackoffIsNeverCountedDelayed() throws Exception {
        Instant backoff = T0.plus(Duration.ofMinutes(3));
        ActionRecord rerun =
                GovernorSignals.withNotBefore(
                        action("rerun", ActionType.RERUN_FAILED_JOBS, "ci-retry@1"),
                        backoff.toEpochMilli());
        propose(rerun);
        runUntil(backoff);

        assertThat(governed())
                .singleElement()
                .satisfies(a -> assertThat(a.notBefore()).isEqualTo(backoff));
        assertThat(signals("actions_delayed")).isEmpty();
    }

    /** One row per way an action is dropped: what leads to it, then the action dropped. */
    static Stream<Arguments> drops() {
        Instant soon = T0.plus(Duration.ofMinutes(10));
        return Stream.of(
                Arguments.of(
                        ActionDrops.Reason.ACTION_TYPE_DISABLED,
                        (Setup)
                                t ->
                                        t.policy(
                                                RepoPolicy.builder(REPO)
                                                        .enabledActions(
                                                                Set.of(ActionType.CREATE_COMMENT))
                                                        .actionBudgetPerHour(300)
                                                        .updatedAt(T0)
                                                        .build()),
                        action("label", ActionType.ADD_LABELS, "triage-label@1")
                                .withTypedTarget(TypedTarget.issue(1))),
                Arguments.of(
                        ActionDrops.Reason.ACTION_TYPE_DISABLED,
                        (Setup)
                                t ->
                                        t.policy(
                                                RepoPolicy.builder(REPO)
                                                        .enabledActions(
                                                                Set.of(ActionType.CREATE_COMMENT))
                                                        .dryRun(true)
                                                        .actionBudgetPerHour(300)
                                                        .updatedAt(T0)
                                                        .build()),
                        dryRun(
                                action("dry", ActionType.ADD_LABELS, "triage-label@1")
                                        .withTypedTarget(TypedTarget.issue(1)))),
                Arguments.of(
                        ActionDrops.Reason.REPO_BUDGET_ZERO,
                        (Setup) t -> t.budget(0),
                        comment("zero")),
                Arguments.of(
                        ActionDrops.Reason.REPO_BUDGET_EXHAUSTED,
                        (Setup)
                                t -> {
                                    t.budget(1);
                                    t.propose(comment("first"));
                                },
                        expiring(comment("second"), soon)),
                Arguments.of(
                        ActionDrops.Reason.INSTALLATION_LIMIT_EXHAUSTED,
                        // GitHub reported the installation's quota nearly spent for 2 h
                        (Setup)
                                t ->
                                        t.perInstallation.processElement(
                                                new GovernorInput(
                                                        null,
                                                        audit(10, T0.plus(Duration.ofHours(2))),
                                                        "installation:5"),
                                                NOW),
                        expiring(comment("quota"), soon)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drops")
    void aDroppedActionIsLoggedCountedAndAuditedWithItsReason(
            ActionDrops.Reason reason, Setup setup, ActionRecord dropped) throws Exception {
        setup.run(this);
        try (CapturedLogs logs = CapturedLogs.capture()) {
            propose(dropped);

            assertThat(logs.lines())
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            // the policy leaving a type off is no problem
                                            .startsWith(
                                                    reason
                                                                    == ActionDrops.Reason
                                                                            .ACTION_TYPE_DISABLED
                                                            ? "INFO"
                                                            : "WARN")
                                            .contains(dropped.producedBy())
                                            .contains(REPO + "#" + dropped.target())
                                            .contains(dropped.actionId())
                                            .contains(reason.label()));
        }
        assertThat(governed())
                .extracting(ActionRecord::actionId)
                .doesNotContain(dropped.actionId());
        assertThat(dropAudits())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.actionId()).isEqualTo(dropped.actionId());
                            assertThat(a.outcome()).isEqualTo(AuditOutcome.DROPPED);
                            assertThat(a.success()).isFalse();
                            assertThat(a.repo()).isEqualTo(REPO);
                            assertThat(a.target()).isEqualTo(dropped.target());
                            // what the action acts on, typed, as the executor's audits say it
                            assertThat(a.declaredTarget())
                                    .isNotNull()
                                    .isEqualTo(dropped.declaredTarget());
                            assertThat(a.actionType()).isEqualTo(dropped.type());
                            assertThat(a.producedBy()).isEqualTo(dropped.producedBy());
                            assertThat(a.causedBy()).isEqualTo(dropped.causedBy());
                            assertThat(a.error()).startsWith(reason.label() + ": ");
                            // a valid record of the audit topic
                            assertThat(
                                            Topics.AUDIT
                                                    .valueCodec()
                                                    .decode(Topics.AUDIT.valueCodec().encode(a)))
                                    .isEqualTo(a);
                        });
        assertThat(repoGovernor.drops().count(reason) + installationGovernor.drops().count(reason))
                .isEqualTo(1);
        // the series of the RepostreamActionsDropped alert: drops for want of room only
        assertThat(signals("actions_dropped"))
                .hasSize(reason == ActionDrops.Reason.ACTION_TYPE_DISABLED ? 0 : 1);
    }

    /** What happens before the action of a row is proposed. */
    @FunctionalInterface
    interface Setup {
        void run(GovernorChainTest test) throws Exception;
    }

    private List<AuditRecord> dropAudits() {
        List<AuditRecord> all = new ArrayList<>();
        collect(perRepo.getSideOutput(ActionDrops.AUDITS), all);
        collect(perInstallation.getSideOutput(ActionDrops.AUDITS), all);
        return all;
    }

    private void policy(RepoPolicy policy) throws Exception {
        perRepo.processBroadcastElement(policy, 0);
    }

    private static ActionRecord expiring(ActionRecord a, Instant expiresAt) {
        return a.withExpiresAt(expiresAt);
    }

    private static ActionRecord dryRun(ActionRecord a) {
        return a.asDryRun();
    }

    private void budget(int perHour) throws Exception {
        perRepo.processBroadcastElement(
                RepoPolicy.builder(REPO).actionBudgetPerHour(perHour).updatedAt(T0).build(), 0);
    }

    /** Through the repo governor, then whatever it let pass through the installation governor. */
    private void propose(ActionRecord action) throws Exception {
        int before = perRepo.extractOutputValues().size();
        perRepo.processElement(GovernorInput.of(action), NOW);
        List<GovernorInput> passed = perRepo.extractOutputValues();
        for (GovernorInput input : passed.subList(before, passed.size())) {
            perInstallation.processElement(input, NOW);
        }
    }

    /** Moves the installation governor's processing-time clock, a quarter second at a time. */
    private void runUntil(Instant until) throws Exception {
        for (long t = NOW; t < until.toEpochMilli(); ) {
            t = Math.min(until.toEpochMilli(), t + 250);
            perInstallation.setProcessingTime(t);
        }
    }

    private List<ActionRecord> governed() {
        return perInstallation.extractOutputValues();
    }

    private List<RepoMetrics> signals(String metric) {
        List<RepoMetrics> all = new ArrayList<>();
        collect(perRepo.getSideOutput(GovernorSignals.TAG), all);
        collect(perInstallation.getSideOutput(GovernorSignals.TAG), all);
        return all.stream().filter(m -> m.metric().equals(metric)).toList();
    }

    private static <T> void collect(Collection<StreamRecord<T>> records, List<T> into) {
        if (records != null) { // a harness without side output yet
            records.stream().map(StreamRecord::getValue).forEach(into::add);
        }
    }

    private static AuditRecord audit(int remaining, Instant reset) {
        return new AuditRecord(
                "audit-1",
                "a-1",
                REPO,
                1,
                ActionType.ADD_LABELS,
                AuditOutcome.APPLIED,
                null,
                null,
                200,
                new RateLimit(
                        5000, remaining, 5000 - remaining, reset.getEpochSecond(), "core", null),
                null,
                "triage-label@1",
                List.of(),
                null,
                T0,
                T0);
    }

    private static ActionRecord comment(String id) {
        return action(id, ActionType.CREATE_COMMENT, "sla-monitor@1")
                .withTypedTarget(TypedTarget.pullRequest(1));
    }

    private static ActionRecord action(String id, ActionType type, String producedBy) {
        return new ActionRecord(
                id,
                REPO,
                1,
                type,
                JsonNodeFactory.instance.objectNode().put("body", "hi"),
                "test",
                List.of(),
                1,
                producedBy,
                List.of("ev"),
                5L,
                T0,
                null,
                null,
                false);
    }
}
