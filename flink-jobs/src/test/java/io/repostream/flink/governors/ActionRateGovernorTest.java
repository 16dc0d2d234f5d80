package io.repostream.flink.governors;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.rules.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActionRateGovernorTest {
    private static final String REPO = "octo-org/widgets";
    private static final long NOW = T0.toEpochMilli();

    private KeyedBroadcastOperatorTestHarness<String, GovernorInput, RepoPolicy, GovernorInput>
            harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new ActionRateGovernor(),
                        (KeySelector<GovernorInput, String>) GovernorInput::repo,
                        Types.STRING,
                        Policies.DESCRIPTOR);
        harness.setProcessingTime(NOW);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void passesActionsThroughUntouchedWhileWithinBudget() throws Exception {
        for (int i = 0; i < 3; i++) {
            propose(action("label-" + i, ActionType.ADD_LABELS, "triage-label@1", null));
        }

        assertThat(actions()).hasSize(3).allSatisfy(a -> assertThat(a.notBefore()).isNull());
    }

    @Test
    void delaysInsteadOfDroppingWhenTheRepoBudgetIsSpent() throws Exception {
        budget(10); // routine actions may fill 7 of 10
        for (int i = 0; i < 8; i++) {
            propose(action("label-" + i, ActionType.ADD_LABELS, "triage-label@1", null));
        }

        List<ActionRecord> out = actions();
        assertThat(out).hasSize(8);
        assertThat(out.subList(0, 7)).allSatisfy(a -> assertThat(a.notBefore()).isNull());
        assertThat(out.get(7).notBefore()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(metrics("actions_dropped")).isEmpty();
    }

    @Test
    void aRerunWaitingForItsBackoffIsNotCountedDelayed() throws Exception {
        Instant backoff = T0.plus(Duration.ofMinutes(5));
        propose(
                withNotBefore(
                        action("rerun", ActionType.RERUN_FAILED_JOBS, "ci-retry@1", null),
                        backoff));

        assertThat(actions())
                .singleElement()
                .satisfies(a -> assertThat(a.notBefore()).isEqualTo(backoff));
        assertThat(metrics("actions_delayed")).isEmpty();
        assertThat(harness.extractOutputValues())
                .allSatisfy(i -> assertThat(i.delayed()).isFalse());
    }

    @Test
    void leavesCountingDelaysToTheInstallationGovernorAndMarksWhatItMoved() throws Exception {
        budget(1);
        propose(action("first", ActionType.ADD_LABELS, "triage-label@1", null));
        propose(action("second", ActionType.ADD_LABELS, "triage-label@1", null));

        assertThat(harness.extractOutputValues())
                .extracting(GovernorInput::delayed)
                .containsExactly(false, true);
        // counted once, where the action leaves the last governor
        assertThat(metrics("actions_delayed")).isEmpty();
    }

    @Test
    void keepsBudgetHeadroomForSlaBreaches() throws Exception {
        budget(10);
        for (int i = 0; i < 8; i++) {
            propose(action("label-" + i, ActionType.ADD_LABELS, "triage-label@1", null));
        }
        propose(action("breach", ActionType.ADD_LABELS, "sla-monitor@1", null));

        ActionRecord breach = actions().get(8);
        assertThat(breach.actionId()).isEqualTo("breach");
        assertThat(breach.notBefore()).isNull();
    }

    @Test
    void rerunsTakePrecedenceOverLabelsAndBreachesOverBoth() throws Exception {
        budget(10); // labels may fill 7, reruns 8, SLA breaches all 10
        for (int i = 0; i < 8; i++) {
            propose(action("label-" + i, ActionType.ADD_LABELS, "triage-label@1", null));
        }
        propose(action("rerun-1", ActionType.RERUN_FAILED_JOBS, "ci-retry@1", null));
        propose(action("rerun-2", ActionType.RERUN_FAILED_JOBS, "ci-retry@1", null));
        propose(action("breach", ActionType.ADD_LABELS, "sla-monitor@1", null));

        assertThat(actions())
                .filteredOn(a -> a.notBefore() != null)
                .extracting(ActionRecord::actionId)
                .containsExactly("label-7", "rerun-2");
    }

    @Test
    void reportsTheBudgetUsedInTheHourEachActionIsSentIn() throws Exception {
        budget(2);
        for (int i = 0; i < 3; i++) {
            propose(action("breach-" + i, ActionType.ADD_LABELS, "sla-monitor@1", null));
        }
        // an hour later the first two have left the window; the third is in it
        harness.setProcessingTime(NOW + Duration.ofMinutes(61).toMillis());
        harness.processElement(
                GovernorInput.of(action("breach-3", ActionType.ADD_LABELS, "sla-monitor@1", null)),
                NOW);

        assertThat(actions())
                .extracting(ActionRecord::notBefore)
                .containsExactly(null, null, T0.plus(Duration.ofHours(1)), null);
        assertThat(metrics("action_budget_used"))
                .allSatisfy(m -> assertThat(m.labels()).containsEntry("budget_per_hour", "2"))
                .extracting(RepoMetrics::value)
                .containsExactly(1.0, 2.0, 1.0, 2.0);
    }

    @Test
    void followsABudgetChangedMidStream() throws Exception {
        for (int i = 0; i < 3; i++) {
            propose(action("before-" + i, ActionType.ADD_LABELS, "triage-label@1", null));
        }
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(2)
                        .updatedAt(T0.plusSeconds(1))
                        .build(),
                0);
        propose(action("after", ActionType.ADD_LABELS, "triage-label@1", null));

        assertThat(actions())
                .extracting(ActionRecord::notBefore)
                .containsExactly(null, null, null, T0.plus(Duration.ofHours(1)));
        assertThat(metrics("action_budget_used"))
                .last()
                .satisfies(m -> assertThat(m.labels()).containsEntry("budget_per_hour", "2"));
    }

    @Test
    void dropsAnActionOnlyWhenItsDelayWouldPassItsExpiry() throws Exception {
        budget(1);
        propose(action("first", ActionType.ADD_LABELS, "triage-label@1", null));
        propose(action("expiring", ActionType.ADD_LABELS, "triage-label@1", T0.plusSeconds(600)));
        propose(action("patient", ActionType.ADD_LABELS, "triage-label@1", null));

        assertThat(actions())
                .extracting(ActionRecord::actionId)
                .containsExactly("first", "patient");
        assertThat(metrics("actions_dropped"))
                .singleElement()
                .satisfies(m -> assertThat(m.labels()).containsEntry("action_type", "add_labels"));
    }

    @Test
    void letsDryRunActionsPassWithoutSpendingBudget() throws Exception {
        budget(1);
        ActionRecord dry = action("dry", ActionType.ADD_LABELS, "triage-label@1", null);
        dry =
                new ActionRecord(
                        dry.actionId(),
                        dry.repo(),
                        dry.target(),
                        dry.type(),
                        dry.params(),
                        dry.reason(),
                        dry.evidence(),
                        1,
                        dry.producedBy(),
                        dry.causedBy(),
                        null,
                        dry.createdAt(),
                        null,
                        null,
                        true);
        propose(dry);
        propose(action("real", ActionType.ADD_LABELS, "triage-label@1", null));

        assertThat(actions()).allSatisfy(a -> assertThat(a.notBefore()).isNull()).hasSize(2);
    }

    @Test
    void forwardsRateLimitFeedbackToTheInstallationItsActionsBelongTo() throws Exception {
        ActionRecord withInstallation =
                new ActionRecord(
                        "a",
                        REPO,
                        1,
                        ActionType.ADD_LABELS,
                        JsonNodeFactory.instance.objectNode(),
                        "test",
                        List.of(),
                        1,
                        "triage-label@1",
                        List.of("ev"),
                        99L,
                        T0,
                        null,
                        null,
                        false);
        propose(withInstallation);
        harness.processElement(GovernorInput.of(audit(12, T0.plusSeconds(600))), NOW);

        List<GovernorInput> out = harness.extractOutputValues();
        assertThat(out.get(0).installationKey()).isEqualTo("installation:99");
        assertThat(out.get(1).audit()).isNotNull();
        assertThat(out.get(1).installationKey()).isEqualTo("installation:99");
    }

    private List<ActionRecord> actions() {
        return harness.extractOutputValues().stream()
                .filter(i -> i.action() != null)
                .map(GovernorInput::action)
                .toList();
    }

    private void propose(ActionRecord action) throws Exception {
        harness.processElement(GovernorInput.of(action), NOW);
    }

    private void budget(int perHour) throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO).actionBudgetPerHour(perHour).updatedAt(T0).build(), 0);
    }

    private List<RepoMetrics> metrics(String name) {
        return harness.getSideOutput(GovernorSignals.TAG).stream()
                .map(StreamRecord::getValue)
                .filter(m -> m.metric().equals(name))
                .toList();
    }

    private static ActionRecord action(
            String id, ActionType type, String producedBy, Instant expiresAt) {
        return new ActionRecord(
                id,
                REPO,
                1,
                type,
                JsonNodeFactory.instance.objectNode(),
                "test",
                List.of(),
                1,
                producedBy,
                List.of("ev"),
                null,
                T0,
                null,
                expiresAt,
                false);
    }

    static ActionRecord withNotBefore(ActionRecord a, Instant notBefore) {
        return GovernorSignals.withNotBefore(a, notBefore.toEpochMilli());
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
}
