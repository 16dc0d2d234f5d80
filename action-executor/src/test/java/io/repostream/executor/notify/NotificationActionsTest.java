package io.repostream.executor.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.executor.ActionExecutor;
import io.repostream.executor.rollback.RollbackResult;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.executor.support.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.TypedTarget;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.repostream.testkit.notify.PagerDutySimulator;
import io.repostream.testkit.notify.SlackSimulator;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slack and PagerDuty notifications through the executor and the simulators: delivered at least
 * once, never posted twice for one dedup key, failures audited without secrets, undone as far as
 * the services allow.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NotificationActionsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REPO = "acme/pager";
    private static final String BOT_TOKEN = "xoxb-test-secret-bot-token-4711";
    private static final String ROUTING_KEY = "0123456789abcdef0123456789abcdef";

    private static SlackSimulator slack;
    private static PagerDutySimulator pagerDuty;
    private static KafkaTopics topics;
    private static ActionExecutor executor;
    private static String oncall;

    @BeforeAll
    static void start(EmbeddedKafkaBroker kafka, GitHubSimulator github) {
        slack = SlackSimulator.start();
        slack.addToken(BOT_TOKEN);
        oncall = slack.createChannel("sla-oncall");
        slack.createChannel("sla-closed", false);
        pagerDuty = PagerDutySimulator.start();
        pagerDuty.addIntegration(ROUTING_KEY);
        github.createRepo(REPO);
        topics = new KafkaTopics(kafka);
        topics.send(Policies.everyActionType(REPO, 1000));
        executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(kafka, github, "notify-" + UUID.randomUUID())
                                .withNotifications(settings()));
        await().atMost(WAIT).until(executor::ready);
    }

    private static NotificationSettings settings() {
        return new NotificationSettings(
                slack.baseUrl(),
                BOT_TOKEN,
                pagerDuty.baseUrl(),
                Map.of("team-oncall", ROUTING_KEY),
                Duration.ofSeconds(30)); // a loaded CI machine: a first answer took over 5 s
    }

    @AfterAll
    static void stop() {
        executor.close();
        topics.close();
        slack.close();
        pagerDuty.close();
    }

    private static ActionRecord slackMessage(String dedupKey, String channel, String text) {
        return Actions.builder(
                        ActionType.NOTIFY_SLACK,
                        REPO,
                        1,
                        Actions.params().put("channel", channel).put("text", text))
                .on(TypedTarget.notification(dedupKey))
                .build();
    }

    private static ActionRecord pagerDutyEvent(
            String dedupKey, String eventAction, String severity) {
        var params =
                Actions.params()
                        .put("routing_key", "team-oncall")
                        .put("event_action", eventAction)
                        .put("summary", REPO + "#12 has had no response for 4 h (P0)")
                        .put("severity", severity);
        return Actions.builder(ActionType.PAGERDUTY_EVENT, REPO, 1, params)
                .on(TypedTarget.notification(dedupKey))
                .build();
    }

    private static String unique(String prefix) {
        return prefix + ":" + REPO + "#" + UUID.randomUUID();
    }

    @Test
    void postsTheFirstNotificationAndRecordsTheMessage() {
        int before = slack.messages(oncall).size();
        ActionRecord action = slackMessage(unique("sla"), "#sla-oncall", "P0 breached");

        topics.send(action);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);

        assertThat(slack.messages(oncall)).hasSize(before + 1);
        SlackSimulator.Message posted = slack.messages(oncall).get(before);
        assertThat(posted.text()).isEqualTo("P0 breached");
        assertThat(audit.after().state()).isEqualTo("posted");
        assertThat(audit.after().stateReason()).isEqualTo(oncall);
        assertThat(audit.after().name()).isEqualTo(posted.ts());
        assertThat(audit.githubStatus()).isEqualTo(200);
        // the snapshot was written again with the message, for a retry to find it
        assertThat(topics.snapshots(action.actionId()))
                .extracting(Snapshot::before)
                .extracting(TargetState::name)
                .contains(posted.ts());
    }

    @Test
    void aLaterNotificationWithTheSameDedupKeyEditsTheSameMessage() {
        String dedupKey = unique("sla");
        ActionRecord first = slackMessage(dedupKey, "#sla-oncall", "P1 breached");
        topics.send(first);
        AuditRecord posted = topics.awaitAudit(first.actionId(), AuditOutcome.APPLIED, WAIT);
        int before = slack.messages(oncall).size();

        ActionRecord resolved = slackMessage(dedupKey, "#sla-oncall", "P1 breached - resolved");
        topics.send(resolved);
        AuditRecord updated = topics.awaitAudit(resolved.actionId(), AuditOutcome.APPLIED, WAIT);

        assertThat(slack.messages(oncall)).hasSize(before);
        assertThat(updated.after().name()).isEqualTo(posted.after().name());
        assertThat(slack.messages(oncall))
                .filteredOn(m -> m.ts().equals(posted.after().name()))
                .singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("P1 breached - resolved"));
    }

    @Test
    void aChannelTheBotIsNotInFailsAuditedAndCountedWithoutTheToken() {
        double failedBefore = executor.metrics().notifications("slack", "failed");
        ActionRecord action = slackMessage(unique("sla"), "#sla-closed", "P0 breached");

        topics.send(action);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.FAILED, WAIT);

        assertThat(audit.error()).contains("not_in_channel").contains("#sla-closed");
        assertThat(audit.toString()).doesNotContain(BOT_TOKEN);
        assertThat(executor.metrics().notifications("slack", "failed")).isEqualTo(failedBefore + 1);
        assertThat(executor.metrics().scrape()).doesNotContain(BOT_TOKEN);
    }

    @Test
    void aSlackRateLimitHoldsTheActionAndItIsPostedOnceLater() {
        slack.rateLimitNext(1, 1);
        int before = slack.messages(oncall).size();
        ActionRecord action = slackMessage(unique("sla"), "#sla-oncall", "after the limit");

        topics.send(action);
        topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);

        assertThat(slack.messages(oncall)).hasSize(before + 1);
        assertThat(topics.audits(action.actionId())).hasSize(1);
    }

    @Test
    void triggersPagerDutyOnceAndARetriedTriggerDedupsIntoTheSameAlert() {
        String dedupKey = unique("sla");
        ActionRecord trigger = pagerDutyEvent(dedupKey, "trigger", "critical");
        topics.send(trigger);
        AuditRecord audit = topics.awaitAudit(trigger.actionId(), AuditOutcome.APPLIED, WAIT);
        // a retry of the same delivery, as after a crash before its audit: PagerDuty dedups
        ActionRecord again = pagerDutyEvent(dedupKey, "trigger", "critical");
        topics.send(again);
        topics.awaitAudit(again.actionId(), AuditOutcome.APPLIED, WAIT);

        assertThat(pagerDuty.alerts(ROUTING_KEY, dedupKey))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.status()).isEqualTo("triggered");
                            assertThat(a.severity()).isEqualTo("critical");
                            assertThat(a.events()).isEqualTo(2);
                        });
        assertThat(audit.after().state()).isEqualTo("triggered");
        assertThat(audit.after().stateReason()).isEqualTo("team-oncall");
        assertThat(audit.githubStatus()).isEqualTo(202);
        assertThat(audit.toString()).doesNotContain(ROUTING_KEY);
    }

    @Test
    void resolvesThePagerDutyAlertByItsDedupKey() {
        String dedupKey = unique("sla");
        ActionRecord trigger = pagerDutyEvent(dedupKey, "trigger", "error");
        topics.send(trigger);
        topics.awaitAudit(trigger.actionId(), AuditOutcome.APPLIED, WAIT);

        ActionRecord resolve = pagerDutyEvent(dedupKey, "resolve", null);
        topics.send(resolve);
        AuditRecord audit = topics.awaitAudit(resolve.actionId(), AuditOutcome.APPLIED, WAIT);

        assertThat(pagerDuty.alerts(ROUTING_KEY, dedupKey))
                .singleElement()
                .satisfies(a -> assertThat(a.status()).isEqualTo("resolved"));
        assertThat(audit.before().state()).isEqualTo("triggered");
        assertThat(audit.after().state()).isEqualTo("resolved");
    }

    @Test
    void anUnknownRoutingKeyNameFailsAndNamesOnlyTheKnownNames() {
        var params =
                Actions.params()
                        .put("routing_key", "nobody")
                        .put("event_action", "trigger")
                        .put("summary", "x")
                        .put("severity", "info");
        ActionRecord action =
                Actions.builder(ActionType.PAGERDUTY_EVENT, REPO, 1, params)
                        .on(TypedTarget.notification(unique("sla")))
                        .build();

        topics.send(action);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.FAILED, WAIT);

        assertThat(audit.error()).contains("'nobody'").contains("[team-oncall]");
        assertThat(audit.error()).doesNotContain(ROUTING_KEY);
    }

    @Test
    void aSeverityPagerDutyDoesNotKnowIsRefusedBeforeAnythingIsSent() {
        int statuses = pagerDuty.statuses().size();
        ActionRecord action = pagerDutyEvent(unique("sla"), "trigger", "high");

        topics.send(action);
        AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.FAILED, WAIT);

        assertThat(audit.error()).contains("severity");
        assertThat(pagerDuty.statuses()).hasSize(statuses);
    }

    @Test
    void rollbackResolvesATriggeredAlertAndWithdrawsTheSlackMessage() {
        String dedupKey = unique("sla");
        ActionRecord trigger = pagerDutyEvent(dedupKey, "trigger", "warning");
        ActionRecord message = slackMessage(dedupKey, "#sla-oncall", "P2 breached");
        topics.send(trigger);
        topics.send(message);
        topics.awaitAudit(trigger.actionId(), AuditOutcome.APPLIED, WAIT);
        AuditRecord posted = topics.awaitAudit(message.actionId(), AuditOutcome.APPLIED, WAIT);

        RollbackResult pd = executor.rollbacks().rollback(trigger.actionId(), false);
        RollbackResult sl = executor.rollbacks().rollback(message.actionId(), false);

        assertThat(pd.status()).isEqualTo(RollbackResult.Status.ROLLED_BACK);
        assertThat(pagerDuty.alerts(ROUTING_KEY, dedupKey).get(0).status()).isEqualTo("resolved");
        assertThat(sl.status()).isEqualTo(RollbackResult.Status.ROLLED_BACK);
        assertThat(slack.messages(oncall))
                .filteredOn(m -> m.ts().equals(posted.after().name()))
                .singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo(NotificationProcessor.WITHDRAWN));
    }

    @Test
    void anAcknowledgeCannotBeUndone() {
        String dedupKey = unique("sla");
        ActionRecord trigger = pagerDutyEvent(dedupKey, "trigger", "warning");
        topics.send(trigger);
        topics.awaitAudit(trigger.actionId(), AuditOutcome.APPLIED, WAIT);
        ActionRecord ack = pagerDutyEvent(dedupKey, "acknowledge", null);
        topics.send(ack);
        topics.awaitAudit(ack.actionId(), AuditOutcome.APPLIED, WAIT);

        RollbackResult undo = executor.rollbacks().rollback(ack.actionId(), false);

        assertThat(undo.status()).isEqualTo(RollbackResult.Status.IRREVERSIBLE);
        assertThat(pagerDuty.alerts(ROUTING_KEY, dedupKey).get(0).status())
                .isEqualTo("acknowledged");
    }
}
