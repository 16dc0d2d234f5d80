package io.repostream.executor.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.executor.ActionExecutor;
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
import io.repostream.testkit.notify.SlackSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At least once, never twice: a Slack notification whose attempt died after the message was posted
 * and recorded, but before its audit, edits that message when it is tried again.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SlackCrashRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REPO = "acme/crashed-pager";

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static SlackSimulator slack;
    private static KafkaTopics topics;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.createRepo(REPO);
        slack = SlackSimulator.start();
        topics = new KafkaTopics(kafka);
        topics.send(Policies.everyActionType(REPO, 1000));
    }

    @AfterAll
    static void stop() {
        topics.close();
        slack.close();
    }

    @Test
    void aRetryAfterACrashEditsTheRecordedMessageInsteadOfPostingAgain() {
        String channel = slack.createChannel("sla-oncall");
        ActionRecord action =
                Actions.builder(
                                ActionType.NOTIFY_SLACK,
                                REPO,
                                1,
                                Actions.params()
                                        .put("channel", "#sla-oncall")
                                        .put("text", "acme/crashed-pager#3: P0 breached"))
                        .on(TypedTarget.notification("sla:acme/crashed-pager#3"))
                        .build();
        // what a crash right after the post and its record leaves: the message in Slack and the
        // snapshot recording it, but no audit record and no committed offset
        String ts = slack.postAsBot("sla-oncall", "acme/crashed-pager#3: P0 breached");
        topics.send(
                new Snapshot(
                        action.actionId(),
                        action.repo(),
                        action.target(),
                        action.typedTarget(),
                        action.type(),
                        action.producedBy(),
                        Instant.now(),
                        NotificationProcessor.slackMessage(channel, ts)));
        NotificationSettings settings =
                new NotificationSettings(
                        slack.baseUrl(), SlackSimulator.DEFAULT_TOKEN, null, Map.of(), null);

        try (ActionExecutor executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(kafka, github, "slack-crash")
                                .withNotifications(settings))) {
            await().atMost(WAIT).until(executor::ready);
            topics.send(action);
            AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);

            assertThat(audit.after().name()).isEqualTo(ts);
        }
        assertThat(slack.messages(channel))
                .singleElement()
                .satisfies(
                        m -> {
                            assertThat(m.ts()).isEqualTo(ts);
                            assertThat(m.edits()).isEqualTo(1);
                        });
        assertThat(slack.calls())
                .extracting(SlackSimulator.Call::method)
                .containsExactly("chat.update");
        assertThat(topics.snapshots(action.actionId()))
                .extracting(Snapshot::before)
                .extracting(TargetState::name)
                .containsOnly(ts);
    }
}
