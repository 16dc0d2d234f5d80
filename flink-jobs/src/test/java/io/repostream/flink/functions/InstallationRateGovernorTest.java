package io.repostream.flink.functions;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstallationRateGovernorTest {
    private static final long NOW = T0.toEpochMilli();

    private KeyedOneInputStreamOperatorTestHarness<String, GovernorInput, ActionRecord> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new InstallationRateGovernor()),
                        (KeySelector<GovernorInput, String>) GovernorInput::installationKey,
                        Types.STRING);
        harness.open();
        harness.setProcessingTime(NOW);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void spacesCommentsAcrossTheInstallationsReposToGitHubsLimitOf80PerMinute() throws Exception {
        for (int i = 0; i < 81; i++) {
            // one installation, many repositories: the limit is the token's
            propose(comment("o/repo-" + (i % 7), "c-" + i, 5L));
        }

        List<ActionRecord> out = harness.extractOutputValues();
        assertThat(out.subList(0, 80)).allSatisfy(a -> assertThat(a.notBefore()).isNull());
        assertThat(out.get(80).notBefore()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void keepsContentCreationTo500PerHour() throws Exception {
        // 80 a minute for six minutes and 20 more: 500 within the hour
        for (int i = 0; i < InstallationRateGovernor.CONTENT_PER_HOUR + 1; i++) {
            propose(comment("o/a", "c-" + i, 5L));
        }

        List<ActionRecord> out = harness.extractOutputValues();
        assertThat(out.get(InstallationRateGovernor.CONTENT_PER_HOUR - 1).notBefore())
                .isEqualTo(T0.plus(Duration.ofMinutes(6)));
        // the 501st waits until the first minute's comments have left the hour
        assertThat(out.get(InstallationRateGovernor.CONTENT_PER_HOUR).notBefore())
                .isEqualTo(T0.plus(Duration.ofHours(1)));
        long perHourMax =
                out.stream()
                        .map(a -> a.notBefore() == null ? T0 : a.notBefore())
                        .filter(t -> t.isBefore(T0.plus(Duration.ofHours(1))))
                        .count();
        assertThat(perHourMax).isEqualTo(InstallationRateGovernor.CONTENT_PER_HOUR);
    }

    @Test
    void keepsInstallationsApart() throws Exception {
        for (int i = 0; i < 80; i++) {
            propose(comment("o/a", "a-" + i, 5L));
        }
        propose(comment("o/b", "b", 6L));

        assertThat(harness.extractOutputValues().get(80).notBefore()).isNull();
    }

    @Test
    void waitsForTheQuotaResetWhenGitHubReportsFewRequestsLeft() throws Exception {
        Instant reset = T0.plus(Duration.ofMinutes(20));
        harness.processElement(
                new GovernorInput(null, audit("o/a", 12, reset), "installation:5"), NOW);

        propose(comment("o/b", "c", 5L));

        assertThat(harness.extractOutputValues().get(0).notBefore()).isEqualTo(reset);
    }

    @Test
    void dropsACommentWhoseDelayPassesItsExpiry() throws Exception {
        for (int i = 0; i < 80; i++) {
            propose(comment("o/a", "a-" + i, 5L));
        }
        ActionRecord c = comment("o/a", "late", 5L);
        propose(
                new ActionRecord(
                        c.actionId(),
                        c.repo(),
                        c.target(),
                        c.type(),
                        c.params(),
                        c.reason(),
                        c.evidence(),
                        1,
                        c.producedBy(),
                        c.causedBy(),
                        5L,
                        c.createdAt(),
                        null,
                        T0.plusSeconds(10),
                        false));

        assertThat(harness.extractOutputValues()).hasSize(80);
        assertThat(harness.getSideOutput(GovernorSignals.TAG))
                .extracting(r -> r.getValue().metric())
                .containsExactly("actions_dropped");
    }

    private void propose(ActionRecord action) throws Exception {
        harness.processElement(GovernorInput.of(action), NOW);
    }

    private static ActionRecord comment(String repo, String id, Long installation) {
        return new ActionRecord(
                id,
                repo,
                1,
                ActionType.CREATE_COMMENT,
                JsonNodeFactory.instance.objectNode().put("body", "hi"),
                "test",
                List.of(),
                1,
                "sla-monitor@1",
                List.of("ev"),
                installation,
                T0,
                null,
                null,
                false);
    }

    private static AuditRecord audit(String repo, int remaining, Instant reset) {
        return new AuditRecord(
                "audit-1",
                "a-1",
                repo,
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
