package io.repostream.flink.rules.sla;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.flink.KeyedStates;
import io.repostream.flink.metrics.OpenItemsGauge;
import io.repostream.flink.rules.GitHubPayloads;
import io.repostream.flink.rules.ItemKey;
import io.repostream.flink.rules.Policies;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.BusinessCalendar;
import io.repostream.schemas.RepoPolicy.Sla;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlaDeadlineFunctionTest {
    private static final String REPO = "octo-org/widgets";

    private final SlaDeadlineFunction function = new SlaDeadlineFunction();
    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = RuleHarness.of(Rules.SLA, function);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void breachesResponseSlaWhenNoMaintainerAnswersInTime() throws Exception {
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));

        watermark(T0.plus(Duration.ofMinutes(29)));
        assertThat(harness.extractOutputValues()).isEmpty();
        watermark(T0.plus(Duration.ofMinutes(30)));

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactly(
                        "sla-monitor@1:octo-org/widgets#7@2026-03-02T09:00:00Z:response-breach:label",
                        "sla-monitor@1:octo-org/widgets#7@2026-03-02T09:00:00Z:response-breach:comment");
        ActionRecord label = harness.extractOutputValues().get(0);
        assertThat(label.type()).isEqualTo(ActionType.ADD_LABELS);
        assertThat(label.params().get("labels").get(0).asText()).isEqualTo("sla/response-breached");
        assertThat(label.createdAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(harness.extractOutputValues().get(1).type())
                .isEqualTo(ActionType.CREATE_COMMENT);
        assertThat(signals())
                .extracting(RepoMetrics::metric)
                .containsExactly("sla_warnings", "sla_breaches");
    }

    @Test
    void aLiveStreamBreachesOnTheWallClockNotThirtySecondsLaterWhenTheWatermarkPasses()
            throws Exception {
        Instant due = T0.plus(Duration.ofMinutes(30));
        live(T0);
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));

        live(due.minusMillis(1));
        assertThat(harness.extractOutputValues()).isEmpty();
        // the wall clock reaches the deadline; the watermark is 30 s behind, as a caught-up
        // source's is
        live(due);

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactly(
                        "sla-monitor@1:octo-org/widgets#7@2026-03-02T09:00:00Z:response-breach:label",
                        "sla-monitor@1:octo-org/widgets#7@2026-03-02T09:00:00Z:response-breach:comment");
        assertThat(harness.extractOutputValues().get(0).createdAt()).isEqualTo(due);
        // settled once: the event-time timer of that deadline is gone, the watermark adds nothing
        watermark(due.plusSeconds(60));
        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(signals())
                .extracting(RepoMetrics::metric)
                .containsExactly("sla_warnings", "sla_breaches");
    }

    @Test
    void aJobThatFellAFewMinutesBehindBreachesOnTheWallClockOnceItHasCaughtUp() throws Exception {
        Instant due = T0.plus(Duration.ofMinutes(30));
        live(T0);
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        // at the deadline the job is 2 min behind (a burst it has not read yet)
        watermark(due.minus(Duration.ofMinutes(2)));
        harness.setProcessingTime(due.toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();

        // it catches up: the deadline settles within a second, not when the watermark passes it
        watermark(due.minusSeconds(25));
        harness.setProcessingTime(due.plusSeconds(5).toEpochMilli());

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactly(
                        "sla-monitor@1:octo-org/widgets#7@2026-03-02T09:00:00Z:response-breach:label",
                        "sla-monitor@1:octo-org/widgets#7@2026-03-02T09:00:00Z:response-breach:comment");
        watermark(due.plusSeconds(60));
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void aReplayJudgesDeadlinesOnEventTimeSoThatAnAnswerStillInTheBacklogCounts() throws Exception {
        // a day-old backlog: the wall clock is far past the deadline, the watermark is not
        harness.setProcessingTime(T0.plus(Duration.ofDays(1)).toEpochMilli());
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        watermark(T0.plus(Duration.ofMinutes(10)));
        harness.setProcessingTime(T0.plus(Duration.ofDays(1)).plusSeconds(1).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();

        send(Events.comment(REPO, 7, "maintainer", "User", T0.plus(Duration.ofMinutes(20))));
        watermark(T0.plus(Duration.ofHours(2)));

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aLiveBreachRestoredFromACheckpointIsNotProposedAgain() throws Exception {
        Instant due = T0.plus(Duration.ofMinutes(30));
        live(T0);
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        live(due);
        assertThat(harness.extractOutputValues()).hasSize(2);
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        harness.close();

        harness = restored(checkpoint);
        watermark(due.plusSeconds(60));
        live(due.plusSeconds(90));

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aDeadlineCheckpointedBeforeItFiredBreachesAfterARestoreUnderTheSameIds() throws Exception {
        Instant due = T0.plus(Duration.ofMinutes(30));
        live(T0);
        send(Events.issue("opened", REPO, 7, List.of("P1"), T0));
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        live(due);
        List<String> before =
                harness.extractOutputValues().stream().map(ActionRecord::actionId).toList();
        harness.close();

        // the restored job's processing-time timer fires before its sources have read anything
        harness = restored(checkpoint);
        harness.setProcessingTime(due.plusSeconds(5).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
        watermark(due);

        assertThat(before).hasSize(2);
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactlyElementsOf(before);
    }

    @Test
    void clearsBothKindsOfTimersWhenAnItemBreachedOnTheWallClockCloses() throws Exception {
        live(T0);
        send(Events.issue("opened", REPO, 12, List.of("P1"), T0));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(4);
        live(T0.plus(Duration.ofMinutes(30)));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);

        send(Events.issue("closed", REPO, 12, List.of("P1"), T0.plus(Duration.ofMinutes(31))));

        assertThat(harness.numProcessingTimeTimers()).isZero();
        watermark(T0.plus(Duration.ofDays(30)));
        assertThat(KeyedStates.entries(harness, "sla-item", "sla-ended")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void escalatesToThePolicysAssigneesOnceAtTheFirstBreach() throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(300)
                        .sla(
                                Sla.builder()
                                        .warnFraction(0.0)
                                        .businessHoursOnly(false)
                                        .escalateTo(List.of("oncall-lead", "octocat"))
                                        .build())
                        .updatedAt(T0)
                        .build(),
                0);
        send(Events.issue("opened", REPO, 12, List.of("P0"), T0));

        watermark(T0.plus(Duration.ofMinutes(5))); // response breached
        watermark(T0.plus(Duration.ofHours(4))); // resolution breached too

        List<ActionRecord> escalations =
                harness.extractOutputValues().stream()
                        .filter(a -> a.type() == ActionType.ADD_ASSIGNEES)
                        .toList();
        assertThat(escalations)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.actionId())
                                    .isEqualTo(
                                            "sla-monitor@1:octo-org/widgets#12@2026-03-02T09:00:00Z:escalate");
                            assertThat(a.params().get("assignees"))
                                    .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                                    .containsExactly("oncall-lead", "octocat");
                            assertThat(a.reason()).contains("response").contains("oncall-lead");
                        });
        assertThat(harness.extractOutputValues()).hasSize(5); // 2 labels, 2 comments, 1 escalation
    }

    @Test
    void proposesEveryBreachActionWhateverThePolicyEnablesSoThatTheGovernorDropsThemOnRecord()
            throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .enabledActions(java.util.Set.of(ActionType.ADD_LABELS))
                        .actionBudgetPerHour(300)
                        .sla(
                                Sla.builder()
                                        .warnFraction(0.0)
                                        .businessHoursOnly(false)
                                        .escalateTo(List.of("oncall-lead"))
                                        .build())
                        .updatedAt(T0)
                        .build(),
                0);
        send(Events.issue("opened", REPO, 13, List.of("P0"), T0));

        watermark(T0.plus(Duration.ofHours(5)));

        // the repo governor keeps the enabled types (GovernorChainTest), and audits the drops
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::type)
                .contains(
                        ActionType.ADD_LABELS, ActionType.CREATE_COMMENT, ActionType.ADD_ASSIGNEES);
    }

    @Test
    void breachesDeadlinesThatFallBetweenTwoMilliseconds() throws Exception {
        Instant opened = T0.plusNanos(123_456); // pollers and bridges stamp events with nanos
        send(Events.issue("opened", REPO, 30, List.of("P0"), opened));

        watermark(
                opened.plus(Duration.ofMinutes(5))
                        .truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void aMaintainersFirstCommentStopsTheResponseClock() throws Exception {
        send(Events.issue("opened", REPO, 8, List.of("P1"), T0));
        send(Events.comment(REPO, 8, "maintainer", "User", T0.plus(Duration.ofMinutes(10))));

        watermark(T0.plus(Duration.ofHours(2)));

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aMaintainersReviewOfAPullRequestStopsTheResponseClockAndABotsDoesNot() throws Exception {
        send(pullRequestOpened(21, "P1", T0));
        send(review(21, "maintainer", "User", T0.plus(Duration.ofMinutes(10))));
        send(pullRequestOpened(22, "P1", T0));
        send(review(22, "helper-app[bot]", "Bot", T0.plus(Duration.ofMinutes(10))));

        watermark(T0.plus(Duration.ofMinutes(31)));

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::target)
                .containsOnly(22L)
                .hasSize(2);
    }

    private static GitHubEvent pullRequestOpened(long number, String label, Instant at) {
        var payload = Events.example("pull_request", "opened");
        var pr = (ObjectNode) payload.get("pull_request");
        pr.put("number", number);
        pr.putArray("labels").addObject().put("name", label);
        ((ObjectNode) pr.get("user")).put("login", "author");
        ((ObjectNode) payload.get("repository")).put("full_name", REPO);
        return new GitHubEvent(
                "pr-" + number,
                EventSource.WEBHOOK,
                "pull_request",
                "opened",
                REPO,
                null,
                42L,
                at,
                at,
                payload);
    }

    private static GitHubEvent review(long number, String login, String type, Instant at) {
        var payload = Events.example("pull_request_review", "submitted");
        ((ObjectNode) payload.get("pull_request")).put("number", number);
        var user = (ObjectNode) payload.get("review").get("user");
        user.put("login", login);
        user.put("type", type);
        ((ObjectNode) payload.get("repository")).put("full_name", REPO);
        return new GitHubEvent(
                "review-" + number + "-" + login,
                EventSource.WEBHOOK,
                "pull_request_review",
                "submitted",
                REPO,
                null,
                42L,
                at,
                at,
                payload);
    }

    @Test
    void commentsByTheAuthorOrByBotsAreNotAResponse() throws Exception {
        GitHubEvent opened = Events.issue("opened", REPO, 9, List.of("P1"), T0);
        String author = GitHubPayloads.author(opened);
        send(opened);
        send(Events.comment(REPO, 9, author, "User", T0.plusSeconds(60)));
        send(Events.comment(REPO, 9, "helper-app[bot]", "Bot", T0.plusSeconds(120)));

        watermark(T0.plus(Duration.ofMinutes(31)));

        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void raisingThePriorityRetargetsTheDeadlines() throws Exception {
        send(Events.issue("opened", REPO, 10, List.of(), T0)); // default P2: 2 h
        send(Events.issue("labeled", REPO, 10, List.of("priority/critical"), T0.plusSeconds(60)));

        watermark(T0.plus(Duration.ofMinutes(5)));

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::reason)
                .allSatisfy(reason -> assertThat(reason).contains("P0"))
                .hasSize(2);
        assertThat(openItemChanges()).containsExactly("P2+", "P2-", "P0+");
    }

    @Test
    void warnsAtThePolicysFractionOfTheTarget() throws Exception {
        // default fraction 0.8: a P1 first response (30 min) warns at 24 min
        send(Events.issue("opened", REPO, 40, List.of("P1"), T0));

        watermark(T0.plus(Duration.ofMinutes(24)).minusMillis(1));
        assertThat(signals()).isEmpty();
        watermark(T0.plus(Duration.ofMinutes(24)));

        assertThat(signals())
                .singleElement()
                .satisfies(
                        m -> {
                            assertThat(m.metric()).isEqualTo("sla_warnings");
                            assertThat(m.labels())
                                    .containsEntry("kind", "response")
                                    .containsEntry("priority", "P1");
                        });
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void warnsAtACustomFraction() throws Exception {
        harness.processBroadcastElement(
                withSla(Sla.builder().warnFraction(0.5).businessHoursOnly(false).build(), T0), 0);
        send(Events.issue("opened", REPO, 41, List.of("P1"), T0));

        watermark(T0.plus(Duration.ofMinutes(15)).minusMillis(1));
        assertThat(signals()).isEmpty();
        watermark(T0.plus(Duration.ofMinutes(15)));

        assertThat(signals()).extracting(RepoMetrics::metric).containsExactly("sla_warnings");
        // and at half the resolution target (24 h)
        watermark(T0.plus(Duration.ofHours(12)));
        assertThat(signals())
                .filteredOn(m -> m.metric().equals("sla_warnings"))
                .extracting(m -> m.labels().get("kind"))
                .containsExactly("response", "resolution");
    }

    @Test
    void loweringThePriorityRetargetsTheDeadlines() throws Exception {
        send(Events.issue("opened", REPO, 42, List.of("P0"), T0)); // 5 min to answer
        send(Events.issue("unlabeled", REPO, 42, List.of("P3"), T0.plusSeconds(60)));

        watermark(T0.plus(Duration.ofHours(23)));
        assertThat(harness.extractOutputValues()).isEmpty();
        watermark(T0.plus(Duration.ofHours(24))); // P3: a day to answer

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::reason)
                .hasSize(2)
                .allSatisfy(reason -> assertThat(reason).contains("P3"));
        assertThat(openItemChanges()).containsExactly("P0+", "P0-", "P3+");
    }

    @Test
    void aTargetRelaxedMidStreamMovesThePendingDeadline() throws Exception {
        send(Events.issue("opened", REPO, 43, List.of("P1"), T0));
        Sla relaxed =
                Sla.builder()
                        .targets(
                                java.util.Map.of(
                                        "P1",
                                        new RepoPolicy.SlaTarget(
                                                Duration.ofHours(2), Duration.ofDays(2))))
                        .warnFraction(0.0)
                        .businessHoursOnly(false)
                        .build();
        harness.processBroadcastElement(withSla(relaxed, T0.plusSeconds(60)), 0);

        watermark(T0.plus(Duration.ofHours(2)).minusMillis(1));
        assertThat(harness.extractOutputValues()).isEmpty();
        watermark(T0.plus(Duration.ofHours(2)));

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::reason)
                .hasSize(2)
                .allSatisfy(
                        reason ->
                                assertThat(reason).contains("due " + T0.plus(Duration.ofHours(2))));
    }

    @Test
    void ranksCustomPrioritiesInThePolicysOrderNotByName() throws Exception {
        java.util.Map<String, RepoPolicy.SlaTarget> targets = new java.util.LinkedHashMap<>();
        targets.put("urgent", new RepoPolicy.SlaTarget(Duration.ofMinutes(5), Duration.ofHours(4)));
        targets.put("normal", new RepoPolicy.SlaTarget(Duration.ofHours(2), Duration.ofDays(5)));
        targets.put("P2", new RepoPolicy.SlaTarget(Duration.ofHours(8), Duration.ofDays(10)));
        targets.put("P10", new RepoPolicy.SlaTarget(Duration.ofDays(2), Duration.ofDays(60)));
        java.util.Map<String, String> labels =
                java.util.Map.of(
                        "sev/urgent", "urgent",
                        "sev/normal", "normal",
                        "P2", "P2",
                        "P10", "P10");
        harness.processBroadcastElement(
                withSla(
                        Sla.builder()
                                .targets(targets)
                                .priorityLabels(labels)
                                .defaultPriority("normal")
                                .warnFraction(0.0)
                                .businessHoursOnly(false)
                                .build(),
                        T0),
                0);

        // by name, "normal" < "urgent" and "P10" < "P2"
        send(Events.issue("opened", REPO, 44, List.of("sev/normal", "sev/urgent"), T0));
        send(Events.issue("opened", REPO, 45, List.of("P10", "P2"), T0));

        assertThat(openItemChanges()).containsExactly("urgent+", "P2+");
        watermark(T0.plus(Duration.ofMinutes(5)));
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::target)
                .containsExactly(44L, 44L);
    }

    @Test
    void actsOnEachBreachOnlyOnce() throws Exception {
        send(Events.issue("opened", REPO, 11, List.of("P0"), T0));

        watermark(T0.plus(Duration.ofMinutes(6)));
        send(
                Events.issue(
                        "labeled", REPO, 11, List.of("P0", "bug"), T0.plus(Duration.ofMinutes(7))));
        watermark(T0.plus(Duration.ofHours(3)));
        watermark(T0.plus(Duration.ofHours(5)));

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactly(
                        "sla-monitor@1:octo-org/widgets#11@2026-03-02T09:00:00Z:response-breach:label",
                        "sla-monitor@1:octo-org/widgets#11@2026-03-02T09:00:00Z:response-breach:comment",
                        "sla-monitor@1:octo-org/widgets#11@2026-03-02T09:00:00Z:resolution-breach:label",
                        "sla-monitor@1:octo-org/widgets#11@2026-03-02T09:00:00Z:resolution-breach:comment");
    }

    @Test
    void startsNoClockForAnItemWhoseLabelsAreUnknown() throws Exception {
        GitHubEvent opened = Events.issue("opened", REPO, 12, List.of(), T0);
        ObjectNode trimmed = (ObjectNode) opened.payload().deepCopy();
        ((ObjectNode) trimmed.get("issue")).remove("labels");

        send(opened.withPayload(trimmed));

        assertThat(KeyedStates.entries(harness, "sla-item")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(function.eventsWithUnknownLabels()).isOne();
    }

    @Test
    void clearsTimersAndStateWhenTheItemCloses() throws Exception {
        send(Events.issue("opened", REPO, 12, List.of("P1"), T0));
        send(Events.issue("opened", REPO, 13, List.of("P2"), T0));
        assertThat(harness.numEventTimeTimers()).isEqualTo(8);
        assertThat(KeyedStates.entries(harness, "sla-item")).isEqualTo(2);

        send(Events.comment(REPO, 12, "maintainer", "User", T0.plusSeconds(60)));
        send(Events.issue("closed", REPO, 12, List.of("P1"), T0.plusSeconds(120)));
        send(Events.issue("closed", REPO, 13, List.of("P2"), T0.plusSeconds(180)));

        assertThat(KeyedStates.entries(harness, "sla-item")).isZero();
        // what remains is the end of each life, until no redelivery can be that late
        assertThat(KeyedStates.entries(harness, "sla-ended")).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
        // #13 closed before its first-response deadline: nothing was late
        assertThat(signals())
                .filteredOn(m -> m.metric().equals("sla_items_closed"))
                .extracting(m -> m.labels().get("met"))
                .containsExactly("true", "true");
        assertThat(openItemChanges()).containsExactly("P1+", "P2+", "P1-", "P2-");
        watermark(T0.plus(Duration.ofDays(30)));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(KeyedStates.entries(harness, "sla-item", "sla-ended")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void closingBeforeTheResponseDeadlineWithoutAResponseMeetsTheSla() throws Exception {
        send(Events.issue("opened", REPO, 21, List.of("P1"), T0));
        send(Events.issue("closed", REPO, 21, List.of("P1"), T0.plus(Duration.ofMinutes(10))));

        assertThat(closedMet()).containsExactly("true");
        assertThat(compliance()).containsExactly(1.0);
    }

    @Test
    void closingAfterTheResponseDeadlineWithoutAResponseMissesTheSla() throws Exception {
        send(Events.issue("opened", REPO, 22, List.of("P1"), T0));
        watermark(T0.plus(Duration.ofMinutes(30)));
        send(Events.issue("closed", REPO, 22, List.of("P1"), T0.plus(Duration.ofMinutes(40))));

        assertThat(closedMet()).containsExactly("false");
        assertThat(compliance()).containsExactly(0.0);
    }

    @Test
    void closingAfterTheResolutionDeadlineMissesTheSlaEvenWithATimelyResponse() throws Exception {
        send(Events.issue("opened", REPO, 23, List.of("P0"), T0));
        send(Events.comment(REPO, 23, "maintainer", "User", T0.plusSeconds(60)));
        send(Events.issue("closed", REPO, 23, List.of("P0"), T0.plus(Duration.ofHours(5))));

        assertThat(closedMet()).containsExactly("false");
    }

    @Test
    void ignoresAnOpeningRedeliveredAfterTheItemClosed() throws Exception {
        GitHubEvent opened = Events.issue("opened", REPO, 24, List.of("P1"), T0);
        send(opened);
        send(Events.issue("closed", REPO, 24, List.of("P1"), T0.plus(Duration.ofMinutes(10))));
        // the poller catches up on the feed and delivers the opening again
        send(Events.redelivered(opened, "poll-" + opened.eventId()));

        assertThat(KeyedStates.entries(harness, "sla-item")).isZero();
        watermark(T0.plus(Duration.ofDays(6)));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(openItemChanges()).containsExactly("P1+", "P1-");

        // what is remembered of the closed item goes once no redelivery can be that late
        assertThat(KeyedStates.entries(harness, "sla-ended")).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        watermark(T0.plus(Duration.ofMinutes(10)).plus(SlaDeadlineFunction.END_MEMORY));
        assertThat(KeyedStates.entries(harness, "sla-item", "sla-ended")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void ignoresAnOpeningRedeliveredLongAfterTheItemClosed() throws Exception {
        GitHubEvent opened = Events.issue("opened", REPO, 25, List.of("P1"), T0);
        send(opened);
        send(Events.issue("closed", REPO, 25, List.of("P1"), T0.plus(Duration.ofMinutes(10))));
        watermark(T0.plus(Duration.ofDays(30)));
        assertThat(KeyedStates.entries(harness, "sla-item", "sla-ended")).isZero();

        // nothing is remembered of #25 now, but an opening this far behind event time is stale
        send(Events.redelivered(opened, "poll-" + opened.eventId()));
        watermark(T0.plus(Duration.ofDays(31)));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(KeyedStates.entries(harness, "sla-item")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void anOpeningThatArrivesAfterItsCloseIsIgnored() throws Exception {
        // delivered out of order: the close first
        send(Events.issue("closed", REPO, 26, List.of("P1"), T0.plus(Duration.ofMinutes(10))));
        send(Events.issue("opened", REPO, 26, List.of("P1"), T0));

        watermark(T0.plus(Duration.ofDays(1)));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(KeyedStates.entries(harness, "sla-item")).isZero();
    }

    @Test
    void aReopenedItemLivesAgainAndALateCloseOfItsEarlierLifeDoesNotEndIt() throws Exception {
        GitHubEvent firstClose =
                Events.issue("closed", REPO, 27, List.of("P1"), T0.plus(Duration.ofMinutes(10)));
        send(Events.issue("opened", REPO, 27, List.of("P1"), T0));
        send(firstClose);
        Instant reopened = T0.plus(Duration.ofDays(2));
        send(Events.issue("reopened", REPO, 27, List.of("P1"), reopened));
        assertThat(KeyedStates.entries(harness, "sla-ended")).isZero();
        send(Events.redelivered(firstClose, "poll-close"));

        watermark(reopened.plus(Duration.ofMinutes(30)));
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::type)
                .containsExactly(ActionType.ADD_LABELS, ActionType.CREATE_COMMENT);
    }

    @Test
    void eachLifeOfAnItemBreachesUnderIdsOfItsOwn() throws Exception {
        harness.processBroadcastElement(escalatingTo("oncall-lead"), 0);
        send(Events.issue("opened", REPO, 28, List.of("P0"), T0));
        watermark(T0.plus(Duration.ofMinutes(5)));
        send(Events.issue("closed", REPO, 28, List.of("P0"), T0.plus(Duration.ofMinutes(10))));
        Instant reopened = T0.plus(Duration.ofHours(1));
        send(Events.issue("reopened", REPO, 28, List.of("P0"), reopened));
        watermark(reopened.plus(Duration.ofMinutes(5)));

        String first = "sla-monitor@1:octo-org/widgets#28@2026-03-02T09:00:00Z";
        String second = "sla-monitor@1:octo-org/widgets#28@2026-03-02T10:00:00Z";
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactly(
                        first + ":response-breach:label",
                        first + ":response-breach:comment",
                        first + ":escalate",
                        second + ":response-breach:label",
                        second + ":response-breach:comment",
                        second + ":escalate");
    }

    @Test
    void aReplayFromACheckpointBreachesUnderTheSameIds() throws Exception {
        send(Events.issue("closed", REPO, 29, List.of("P0"), T0.minus(Duration.ofHours(1))));
        Instant reopened = T0;
        send(Events.issue("reopened", REPO, 29, List.of("P0"), reopened));
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        watermark(reopened.plus(Duration.ofMinutes(5)));
        List<String> before =
                harness.extractOutputValues().stream().map(ActionRecord::actionId).toList();
        harness.close();

        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new SlaDeadlineFunction(), List.of(Policies.DESCRIPTOR)),
                        new ItemKey(),
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.initializeState(checkpoint);
        harness.open();
        watermark(reopened.plus(Duration.ofMinutes(5)));

        assertThat(before).hasSize(2);
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactlyElementsOf(before);
    }

    @Test
    void countsOnlyBusinessHoursWhenThePolicySaysSo() throws Exception {
        BusinessCalendar weekdays =
                new BusinessCalendar(
                        "UTC",
                        List.of(
                                DayOfWeek.MONDAY,
                                DayOfWeek.TUESDAY,
                                DayOfWeek.WEDNESDAY,
                                DayOfWeek.THURSDAY,
                                DayOfWeek.FRIDAY),
                        LocalTime.of(9, 0),
                        LocalTime.of(17, 0),
                        null);
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(300)
                        .sla(
                                Sla.builder()
                                        .warnFraction(0.0)
                                        .businessHoursOnly(true)
                                        .build()
                                        .toBuilder()
                                        .calendar(weekdays)
                                        .build())
                        .updatedAt(T0)
                        .build(),
                0);
        Instant fridayEvening = Instant.parse("2026-03-06T16:50:00Z");
        send(Events.issue("opened", REPO, 14, List.of("P1"), fridayEvening));

        watermark(Instant.parse("2026-03-09T09:19:00Z"));
        assertThat(harness.extractOutputValues()).isEmpty();
        watermark(Instant.parse("2026-03-09T09:20:00Z"));

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(signals()).extracting(RepoMetrics::metric).containsExactly("sla_breaches");
    }

    @Test
    void runsTheClockThroughANightShift() throws Exception {
        BusinessCalendar nights =
                new BusinessCalendar("UTC", null, LocalTime.of(22, 0), LocalTime.of(6, 0), null);
        harness.processBroadcastElement(businessHours(nights, T0), 0);
        Instant evening = Instant.parse("2026-03-02T21:00:00Z");
        send(Events.issue("opened", REPO, 15, List.of("P1"), evening));

        watermark(Instant.parse("2026-03-02T22:29:00Z"));
        assertThat(harness.extractOutputValues()).isEmpty();
        watermark(Instant.parse("2026-03-02T22:30:00Z"));

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::type)
                .containsExactly(ActionType.ADD_LABELS, ActionType.CREATE_COMMENT);
    }

    @Test
    void refusesACalendarWithoutWorkingDaysAndKeepsThePolicyInForce() throws Exception {
        harness.processBroadcastElement(businessHours(weekdaysNineToFive(), T0), 0);
        BusinessCalendar never = new BusinessCalendar("UTC", List.of(), null, null, null);
        harness.processBroadcastElement(businessHours(never, T0.plusSeconds(60)), 0);

        Instant fridayEvening = Instant.parse("2026-03-06T16:50:00Z");
        send(Events.issue("opened", REPO, 16, List.of("P1"), fridayEvening));
        watermark(Instant.parse("2026-03-09T09:19:00Z"));
        assertThat(harness.extractOutputValues()).isEmpty();
        watermark(Instant.parse("2026-03-09T09:20:00Z"));

        // the weekday calendar still counts: 10 minutes on Friday, 20 on Monday
        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(function.refusedPolicies()).isEqualTo(1);
    }

    @Test
    void aCalendarWithoutWorkingDaysRestoredFromOldStateMeansNoDeadlineNotAFailure()
            throws Exception {
        // a policy that reached the broadcast state before it was refused at the door
        BusinessCalendar never = new BusinessCalendar("UTC", List.of(), null, null, null);
        harness.getOperator()
                .getOperatorStateBackend()
                .getBroadcastState(Policies.DESCRIPTOR)
                .put(REPO, businessHours(never, T0));
        send(Events.issue("opened", REPO, 17, List.of("P1"), T0));
        assertThat(harness.numEventTimeTimers()).isZero();

        watermark(T0.plus(Duration.ofDays(60)));
        send(Events.issue("closed", REPO, 17, List.of("P1"), T0.plus(Duration.ofDays(61))));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(signals())
                .extracting(RepoMetrics::metric)
                .containsExactly("sla_items_closed", "sla_compliance_ratio");
    }

    private static RepoPolicy withSla(Sla sla, Instant updatedAt) {
        return RepoPolicy.builder(REPO)
                .actionBudgetPerHour(300)
                .sla(sla)
                .updatedAt(updatedAt)
                .build();
    }

    private static RepoPolicy escalatingTo(String login) {
        return RepoPolicy.builder(REPO)
                .actionBudgetPerHour(300)
                .sla(
                        Sla.builder()
                                .warnFraction(0.0)
                                .businessHoursOnly(false)
                                .escalateTo(List.of(login))
                                .build())
                .updatedAt(T0)
                .build();
    }

    private static RepoPolicy businessHours(BusinessCalendar calendar, Instant updatedAt) {
        return RepoPolicy.builder(REPO)
                .actionBudgetPerHour(300)
                .sla(
                        Sla.builder().warnFraction(0.0).businessHoursOnly(true).build().toBuilder()
                                .calendar(calendar)
                                .build())
                .updatedAt(updatedAt)
                .build();
    }

    private static BusinessCalendar weekdaysNineToFive() {
        return new BusinessCalendar(
                "UTC",
                List.of(
                        DayOfWeek.MONDAY,
                        DayOfWeek.TUESDAY,
                        DayOfWeek.WEDNESDAY,
                        DayOfWeek.THURSDAY,
                        DayOfWeek.FRIDAY),
                LocalTime.of(9, 0),
                LocalTime.of(17, 0),
                null);
    }

    private void send(GitHubEvent event) throws Exception {
        harness.processElement(event, event.occurredAt().toEpochMilli());
    }

    /**
     * A live stream at {@code now}: the watermark 30 s behind the wall clock, as a caught-up
     * source's is.
     */
    private void live(Instant now) throws Exception {
        watermark(now.minusSeconds(30));
        harness.setProcessingTime(now.toEpochMilli());
    }

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            restored(OperatorSubtaskState checkpoint) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord> restored =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new SlaDeadlineFunction(), List.of(Policies.DESCRIPTOR)),
                        new ItemKey(),
                        Types.STRING,
                        1,
                        1,
                        0);
        restored.initializeState(checkpoint);
        restored.open();
        return restored;
    }

    private void watermark(Instant at) throws Exception {
        // both inputs: the broadcast side would otherwise hold event time back
        harness.watermark(at.toEpochMilli());
    }

    private List<RepoMetrics> signals() {
        return harness.getSideOutput(SlaDeadlineFunction.SIGNALS).stream()
                .map(StreamRecord::getValue)
                .filter(m -> !m.metric().equals(OpenItemsGauge.DELTA_METRIC))
                .toList();
    }

    private List<String> closedMet() {
        return signals().stream()
                .filter(m -> m.metric().equals("sla_items_closed"))
                .map(m -> m.labels().get("met"))
                .toList();
    }

    private List<Double> compliance() {
        return signals().stream()
                .filter(m -> m.metric().equals("sla_compliance_ratio"))
                .map(RepoMetrics::value)
                .toList();
    }

    private List<String> openItemChanges() {
        return harness.getSideOutput(SlaDeadlineFunction.SIGNALS).stream()
                .map(StreamRecord::getValue)
                .filter(m -> m.metric().equals(OpenItemsGauge.DELTA_METRIC))
                .map(m -> m.labels().get("priority") + (m.value() > 0 ? "+" : "-"))
                .toList();
    }
}
