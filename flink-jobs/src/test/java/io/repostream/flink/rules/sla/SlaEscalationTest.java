package io.repostream.flink.rules.sla;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.flink.KeyedStates;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.EscalationLevel;
import io.repostream.schemas.RepoPolicy.Sla;
import io.repostream.schemas.TargetKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Escalation of an SLA breach on event time (issue 17): a breach opens an incident and tells the
 * first level; each further level is told when the one before was neither acknowledged (a
 * maintainer's comment, review or label) nor resolved within its wait; the item's response or end
 * resolves it at every level told; and nothing of it is left in state or timers afterwards.
 */
class SlaEscalationTest {
    private static final String REPO = "octo-org/widgets";

    /** P1: first response within 30 min, so the response breach is due at T0 + 30 min. */
    private static final Instant DUE = T0.plus(Duration.ofMinutes(30));

    private final SlaDeadlineFunction function = new SlaDeadlineFunction();
    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = RuleHarness.of(Rules.SLA, function);
        harness.processBroadcastElement(twoLevels(), 0);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    /** Level 1: Slack for 15 min (the default wait); level 2: Slack and PagerDuty. */
    private static RepoPolicy twoLevels() {
        return RepoPolicy.builder(REPO)
                .actionBudgetPerHour(300)
                .sla(
                        Sla.builder()
                                .warnFraction(0.0)
                                .escalationLevels(
                                        List.of(
                                                new EscalationLevel("#sla-oncall", null, null),
                                                new EscalationLevel(
                                                        "#eng-leads",
                                                        "team-oncall",
                                                        Duration.ofMinutes(30))))
                                .build())
                .updatedAt(T0)
                .build();
    }

    private List<ActionRecord> notifications() {
        return harness.extractOutputValues().stream().filter(a -> a.type().notification()).toList();
    }

    @Test
    void aBreachOpensAnIncidentAndTellsTheFirstLevelInSlack() throws Exception {
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));

        watermark(DUE);

        assertThat(notifications())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.type()).isEqualTo(ActionType.NOTIFY_SLACK);
                            assertThat(a.params().get("channel").asText()).isEqualTo("#sla-oncall");
                            assertThat(a.params().get("text").asText())
                                    .contains("octo-org/widgets#7")
                                    .contains("level 1 of 2");
                            assertThat(a.typedTarget().kind()).isEqualTo(TargetKind.NOTIFICATION);
                            assertThat(a.typedTarget().id())
                                    .isEqualTo(
                                            "sla:octo-org/widgets#7@2026-03-02T09:00:00Z:response/L0");
                            assertThat(a.createdAt()).isEqualTo(DUE);
                        });
    }

    @Test
    void escalatesToTheNextLevelWhenNobodyAcknowledgesWithinTheWait() throws Exception {
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        watermark(DUE);

        watermark(DUE.plus(Duration.ofMinutes(15)).minusMillis(1));
        assertThat(notifications()).hasSize(1);
        watermark(DUE.plus(Duration.ofMinutes(15)));

        List<ActionRecord> told = notifications();
        assertThat(told)
                .extracting(ActionRecord::type)
                .containsExactly(
                        ActionType.NOTIFY_SLACK,
                        ActionType.NOTIFY_SLACK,
                        ActionType.PAGERDUTY_EVENT);
        ActionRecord page = told.get(2);
        assertThat(page.params().get("routing_key").asText()).isEqualTo("team-oncall");
        assertThat(page.params().get("event_action").asText()).isEqualTo("trigger");
        assertThat(page.params().get("severity").asText()).isEqualTo("error");
        assertThat(page.typedTarget().id())
                .isEqualTo("sla:octo-org/widgets#7@2026-03-02T09:00:00Z:response");
        assertThat(told.get(1).params().get("channel").asText()).isEqualTo("#eng-leads");
        // the last level: nothing further is armed
        watermark(DUE.plus(Duration.ofDays(1)));
        assertThat(notifications()).hasSize(3);
    }

    @Test
    void aMaintainersLabelAcknowledgesTheIncidentAndStopsTheEscalation() throws Exception {
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        watermark(DUE);

        send(labeledBy(7, "P1", "maintainer", "User", DUE.plus(Duration.ofMinutes(5))));
        watermark(DUE.plus(Duration.ofHours(2)));

        List<ActionRecord> told = notifications();
        assertThat(told).hasSize(2);
        ActionRecord ack = told.get(1);
        assertThat(ack.type()).isEqualTo(ActionType.NOTIFY_SLACK);
        // the same dedup key: the executor edits the level's message
        assertThat(ack.typedTarget()).isEqualTo(told.get(0).typedTarget());
        assertThat(ack.params().get("text").asText()).contains("acknowledged by @maintainer");
    }

    @Test
    void aBotsLabelDoesNotAcknowledge() throws Exception {
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        watermark(DUE);

        send(labeledBy(7, "P1", "repostream[bot]", "Bot", DUE.plus(Duration.ofMinutes(1))));
        watermark(DUE.plus(Duration.ofMinutes(15)));

        assertThat(notifications()).hasSize(3); // level 1, then level 2: Slack and the page
    }

    @Test
    void theResponseResolvesTheIncidentAtEveryLevelToldAndLeavesNothingBehind() throws Exception {
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        watermark(DUE.plus(Duration.ofMinutes(15)));
        assertThat(notifications()).hasSize(3);

        send(Events.comment(REPO, 7, "helper", "User", DUE.plus(Duration.ofMinutes(20))));

        List<ActionRecord> resolved = notifications().subList(3, notifications().size());
        assertThat(resolved)
                .extracting(ActionRecord::type)
                .containsExactly(
                        ActionType.NOTIFY_SLACK,
                        ActionType.NOTIFY_SLACK,
                        ActionType.PAGERDUTY_EVENT);
        assertThat(resolved.get(2).params().get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolved.get(2).params().get("routing_key").asText()).isEqualTo("team-oncall");
        assertThat(resolved.get(0).params().get("text").asText()).contains("resolved (answered)");
        assertThat(KeyedStates.entries(harness, "sla-incident")).isZero();
    }

    @Test
    void closingTheItemResolvesItsIncidentAndClearsEveryStateAndTimer() throws Exception {
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        watermark(DUE);

        send(Events.issue("closed", REPO, 7, List.of("P1"), DUE.plus(Duration.ofMinutes(3))));

        assertThat(notifications()).hasSize(2);
        assertThat(notifications().get(1).params().get("text").asText())
                .contains("resolved (closed)");
        assertThat(KeyedStates.entries(harness, "sla-item", "sla-incident")).isZero();
        // only the end's memory timer stays (SlaDeadlineFunction.END_MEMORY)
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        watermark(DUE.plus(Duration.ofDays(8)));
        assertThat(notifications()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aLiveStreamTellsTheNextLevelOnTheWallClockNotWhenTheWatermarkPasses() throws Exception {
        live(T0);
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        live(DUE);
        assertThat(notifications()).hasSize(1);
        Instant next = DUE.plus(Duration.ofMinutes(15));

        live(next.minusMillis(1));
        assertThat(notifications()).hasSize(1);
        // the wall clock reaches the level's time; the watermark is 30 s behind, as a caught-up
        // source's is
        live(next);

        List<ActionRecord> told = notifications();
        assertThat(told)
                .extracting(ActionRecord::type)
                .containsExactly(
                        ActionType.NOTIFY_SLACK,
                        ActionType.NOTIFY_SLACK,
                        ActionType.PAGERDUTY_EVENT);
        assertThat(told.get(2).createdAt()).isEqualTo(next);
        // settled once: the watermark passing the level's time tells nobody again
        watermark(next.plusSeconds(60));
        assertThat(notifications()).hasSize(3);
    }

    @Test
    void aLevelDueWhileTheJobIsAFewMinutesBehindIsToldOnceItHasCaughtUp() throws Exception {
        live(T0);
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        live(DUE);
        Instant next = DUE.plus(Duration.ofMinutes(15));
        // at the level's time the job is 2 min behind (a burst it has not read yet)
        watermark(next.minus(Duration.ofMinutes(2)));
        harness.setProcessingTime(next.toEpochMilli());
        assertThat(notifications()).hasSize(1);

        watermark(next.minusSeconds(25));
        harness.setProcessingTime(next.plusSeconds(5).toEpochMilli());

        assertThat(notifications()).hasSize(3);
        assertThat(notifications().get(1).createdAt()).isEqualTo(next);
    }

    @Test
    void aReplayStillTellsLevelsOnEventTime() throws Exception {
        // a day-old backlog: the wall clock is far past every level, the watermark is not
        harness.setProcessingTime(T0.plus(Duration.ofDays(1)).toEpochMilli());
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        watermark(DUE);
        harness.setProcessingTime(T0.plus(Duration.ofDays(1)).plusSeconds(1).toEpochMilli());
        assertThat(notifications()).hasSize(1);

        send(labeledBy(7, "P1", "maintainer", "User", DUE.plus(Duration.ofMinutes(5))));
        watermark(DUE.plus(Duration.ofHours(2)));

        assertThat(notifications()).hasSize(2); // told, then acknowledged: no second level
    }

    @Test
    void closingALiveIncidentsItemLeavesNoTimerOfEitherKind() throws Exception {
        live(T0);
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        live(DUE);
        assertThat(notifications()).hasSize(1);

        send(Events.issue("closed", REPO, 7, List.of("P1"), DUE.plus(Duration.ofMinutes(3))));

        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(KeyedStates.entries(harness, "sla-item", "sla-incident")).isZero();
    }

    @Test
    void aResolvedIncidentsReportGoesOnTheMetricsTopicAndAsACommentWhereThePolicySaysSo()
            throws Exception {
        harness.processBroadcastElement(
                twoLevels().toBuilder()
                        .sla(twoLevels().sla().toBuilder().incidentReportComment(true).build())
                        .updatedAt(T0.plusSeconds(1))
                        .build(),
                0);
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        watermark(DUE.plus(Duration.ofMinutes(15)));
        send(labeledBy(7, "P1", "maintainer", "User", DUE.plus(Duration.ofMinutes(20))));

        send(Events.comment(REPO, 7, "helper", "User", DUE.plus(Duration.ofMinutes(25))));

        RepoMetrics report = reportSignal();
        assertThat(report.repo()).isEqualTo(REPO);
        assertThat(report.value()).isEqualTo(1500);
        assertThat(report.labels())
                .containsEntry("item", REPO + "#7")
                .containsEntry("kind", "response")
                .containsEntry("priority", "P1")
                .containsEntry("resolved", "answered")
                .containsEntry("acknowledged_by", "maintainer")
                .containsEntry("time_to_acknowledge_s", "1200")
                .containsEntry("time_to_resolve_s", "1500");
        assertThat(report.labels().get("report"))
                .startsWith("### SLA incident report: octo-org/widgets#7 (P1, response target)")
                .contains(
                        "| acknowledged | 2026-03-02T09:50:00Z by @maintainer, after 20m |",
                        "| resolved | 2026-03-02T09:55:00Z (answered), after 25m |",
                        "| levels told | 2 of 2 |",
                        "- 2026-03-02T09:30:00Z: response target missed: incident opened\n"
                                + "- 2026-03-02T09:30:00Z: level 1 of 2 told: Slack #sla-oncall\n"
                                + "- 2026-03-02T09:45:00Z: level 2 of 2 told: Slack #eng-leads"
                                + " PagerDuty team-oncall (error)\n"
                                + "- 2026-03-02T09:50:00Z: acknowledged by @maintainer\n"
                                + "- 2026-03-02T09:55:00Z: resolved (answered)\n");
        assertThat(harness.extractOutputValues())
                .filteredOn(a -> a.type() == ActionType.CREATE_COMMENT)
                .filteredOn(a -> a.actionId().endsWith(":response-incident:report"))
                .singleElement()
                .satisfies(
                        a ->
                                assertThat(a.params().get("body").asText())
                                        .isEqualTo(report.labels().get("report")));
    }

    @Test
    void anUnacknowledgedIncidentsReportSaysSoAndIsNoCommentByDefault() throws Exception {
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        watermark(DUE);

        send(Events.issue("closed", REPO, 7, List.of("P1"), DUE.plus(Duration.ofMinutes(3))));

        RepoMetrics report = reportSignal();
        assertThat(report.labels())
                .containsEntry("resolved", "closed")
                .containsEntry("time_to_resolve_s", "180")
                .doesNotContainKeys("acknowledged_by", "time_to_acknowledge_s");
        assertThat(report.labels().get("report"))
                .contains("| acknowledged | not acknowledged |", "| levels told | 1 of 2 |");
        assertThat(harness.extractOutputValues())
                .noneMatch(a -> a.actionId().endsWith("-incident:report"));
    }

    private RepoMetrics reportSignal() {
        var signals = harness.getSideOutput(SlaDeadlineFunction.SIGNALS);
        assertThat(signals).isNotNull();
        List<RepoMetrics> reports =
                signals.stream()
                        .map(r -> r.getValue())
                        .filter(m -> m.metric().equals(SlaDeadlineFunction.INCIDENT_REPORT_METRIC))
                        .toList();
        assertThat(reports).hasSize(1);
        return reports.get(0);
    }

    static Stream<Arguments> severities() {
        return Stream.of(
                Arguments.of("P0", "critical"),
                Arguments.of("P1", "error"),
                Arguments.of("P2", "warning"),
                Arguments.of("P3", "info"));
    }

    @ParameterizedTest(name = "{0} pages as {1}")
    @MethodSource("severities")
    void pagesWithTheSeverityOfThePriority(String priority, String severity) throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(300)
                        .sla(
                                Sla.builder()
                                        .warnFraction(0.0)
                                        .escalationLevels(
                                                List.of(
                                                        new EscalationLevel(
                                                                null, "team-oncall", null)))
                                        .build())
                        .updatedAt(T0.plusSeconds(1))
                        .build(),
                0);
        send(Events.issue("opened", REPO, 9, List.of(priority), T0));

        watermark(T0.plus(Duration.ofDays(1)));

        assertThat(notifications())
                .first()
                .satisfies(
                        a -> assertThat(a.params().get("severity").asText()).isEqualTo(severity));
    }

    private static GitHubEvent labeledBy(
            long number, String label, String login, String type, Instant at) {
        GitHubEvent labeled = Events.issue("labeled", REPO, number, List.of(label), at);
        ObjectNode payload = labeled.payload().deepCopy();
        ObjectNode sender = payload.putObject("sender");
        sender.put("login", login).put("type", type);
        payload.putObject("label").put("name", label);
        return new GitHubEvent(
                labeled.eventId() + "-" + login,
                labeled.source(),
                labeled.type(),
                labeled.action(),
                labeled.repo(),
                labeled.org(),
                labeled.installationId(),
                at,
                at,
                payload);
    }

    private void send(GitHubEvent event) throws Exception {
        harness.processElement(event, event.occurredAt().toEpochMilli());
    }

    private void watermark(Instant at) throws Exception {
        harness.watermark(at.toEpochMilli());
    }

    /**
     * A live stream at {@code now}: the watermark 30 s behind the wall clock, as a caught-up
     * source's is.
     */
    private void live(Instant now) throws Exception {
        watermark(now.minusSeconds(30));
        harness.setProcessingTime(now.toEpochMilli());
    }
}
