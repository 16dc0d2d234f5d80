package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.support.Actions;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RepoPolicy;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Actions the executor must not apply are audited with the reason, and never reach GitHub: the
 * GitHub URL here points at a closed port, so any request would fail the action instead.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SkipsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NO_GITHUB = "http://127.0.0.1:9";

    private static EmbeddedKafkaBroker kafka;
    private static KafkaTopics topics;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        kafka = broker;
        topics = new KafkaTopics(kafka);
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static ExecutorConfig config() {
        return ExecutorConfig.defaults(kafka.bootstrapServers(), NO_GITHUB, "ghp_test_token")
                .withGroupId("skips-" + UUID.randomUUID());
    }

    private static String repo() {
        return "acme/skips-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void skipsEveryActionWhileTheKillSwitchIsOn() {
        ActionRecord action = Actions.addLabels(repo(), 1, "bug");
        try (ActionExecutor executor = ActionExecutor.start(config().withKillSwitch(true))) {
            topics.send(action);
            AuditRecord audit =
                    topics.awaitAudit(action.actionId(), AuditOutcome.SKIPPED_DISABLED, WAIT);
            assertThat(audit.error()).contains("kill switch");
            assertThat(audit.githubStatus()).isNull();
            assertThat(topics.snapshots(action.actionId())).isEmpty();
        }
    }

    @Test
    void skipsAnExpiredActionAndSaysWhenItExpired() {
        Instant expiry = Instant.now().minusSeconds(60);
        ActionRecord action =
                Actions.builder(ActionType.ADD_LABELS, repo(), 3, Actions.names("labels", "bug"))
                        .expiresAt(expiry)
                        .build();
        try (ActionExecutor executor = ActionExecutor.start(config())) {
            topics.send(action);
            AuditRecord audit =
                    topics.awaitAudit(action.actionId(), AuditOutcome.SKIPPED_EXPIRED, WAIT);
            assertThat(audit.error()).contains(expiry.toString());
            assertThat(audit.metadata().reason()).isEqualTo(action.reason());
            assertThat(audit.metadata().evidence()).isEqualTo(action.evidence());
            assertThat(audit.causedBy()).isEqualTo(action.causedBy());
        }
    }

    @Test
    void skipsAnActionTypeTheRepoPolicyDisables() {
        String repo = repo();
        topics.send(
                RepoPolicy.builder(repo)
                        .enabledActions(Set.of(ActionType.CREATE_COMMENT))
                        .actionBudgetPerHour(100)
                        .build());
        ActionRecord action = Actions.addLabels(repo, 4, "bug");
        try (ActionExecutor executor = ActionExecutor.start(config())) {
            topics.send(action);
            AuditRecord audit =
                    topics.awaitAudit(action.actionId(), AuditOutcome.SKIPPED_DISABLED, WAIT);
            assertThat(audit.error()).contains("add_labels").contains("policy").contains(repo);
        }
    }

    @Test
    void refusesToMergeUnlessThePolicyEnablesMergesExplicitly() {
        ActionRecord merge =
                Actions.of(
                        ActionType.MERGE_PULL_REQUEST,
                        repo(),
                        5,
                        Actions.params().put("head_sha", "abc"));
        try (ActionExecutor executor = ActionExecutor.start(config())) {
            topics.send(merge);
            AuditRecord audit =
                    topics.awaitAudit(merge.actionId(), AuditOutcome.SKIPPED_DISABLED, WAIT);
            assertThat(audit.error()).contains("merge_pull_request");
        }
    }

    @Test
    void waitsForNotBeforeInsteadOfDroppingTheActionAndHoldsBackTheActionsOnItsTargetBehindIt() {
        String repo = repo();
        Instant notBefore = Instant.now().plusMillis(2500);
        // merges are disabled by default, so both are decided without GitHub
        ActionRecord later =
                Actions.builder(
                                ActionType.MERGE_PULL_REQUEST,
                                repo,
                                6,
                                Actions.params().put("head_sha", "abc"))
                        .notBefore(notBefore)
                        .build();
        ActionRecord next =
                Actions.of(
                        ActionType.MERGE_PULL_REQUEST,
                        repo,
                        6,
                        Actions.params().put("head_sha", "def"));
        try (ActionExecutor executor = ActionExecutor.start(config())) {
            topics.send(later);
            topics.send(next);
            AuditRecord first =
                    topics.awaitAudit(later.actionId(), AuditOutcome.SKIPPED_DISABLED, WAIT);
            AuditRecord second =
                    topics.awaitAudit(next.actionId(), AuditOutcome.SKIPPED_DISABLED, WAIT);
            assertThat(first.startedAt()).isAfterOrEqualTo(notBefore);
            // the target's next action waits for it (actions on other targets do not: see
            // DeferredLanesTest)
            assertThat(second.startedAt()).isAfterOrEqualTo(first.finishedAt());
        }
    }

    @Test
    void skipsAnUnreadableRecordCountsItAndGoesOnWithTheNextAction() {
        String repo = repo();
        ActionRecord valid =
                Actions.builder(ActionType.ADD_LABELS, repo, 8, Actions.names("labels", "x"))
                        .expiresAt(Instant.now().minusSeconds(1))
                        .build();
        try (ActionExecutor executor = ActionExecutor.start(config())) {
            topics.sendRaw(repo, "{not json".getBytes(StandardCharsets.UTF_8));
            topics.sendRaw(repo, "{\"action_id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            topics.sendRaw(repo, null);
            topics.send(valid);
            topics.awaitAudit(valid.actionId(), AuditOutcome.SKIPPED_EXPIRED, WAIT);
            assertThat(executor.healthy()).isTrue();
            // never skipped silently: counted by reason, each series present from the start
            assertThat(executor.metrics().unreadableActions("invalid")).isEqualTo(2.0);
            assertThat(executor.metrics().unreadableActions("empty")).isEqualTo(1.0);
            assertThat(executor.metrics().scrape())
                    .contains(
                            "repostream_executor_unreadable_actions_total{reason=\"invalid\"} 2.0")
                    .contains("repostream_executor_unreadable_actions_total{reason=\"empty\"} 1.0");
        }
    }

    @Test
    void remembersDecidedActionsAcrossRestartsFromTheAuditTopic() {
        ActionRecord action =
                Actions.builder(ActionType.ADD_LABELS, repo(), 9, Actions.names("labels", "x"))
                        .expiresAt(Instant.now().minusSeconds(1))
                        .build();
        try (ActionExecutor first = ActionExecutor.start(config())) {
            topics.send(action);
            topics.awaitAudit(action.actionId(), AuditOutcome.SKIPPED_EXPIRED, WAIT);
        }
        // a new group reads the actions topic from the start again: only the ledger, rebuilt
        // from the audit topic, knows that the action was decided
        try (ActionExecutor second = ActionExecutor.start(config())) {
            AuditRecord duplicate =
                    topics.awaitAudit(action.actionId(), AuditOutcome.SKIPPED_DUPLICATE, WAIT);
            assertThat(duplicate.error()).contains(action.actionId());
        }
        assertThat(topics.audits(action.actionId()))
                .extracting(AuditRecord::outcome)
                .containsExactly(AuditOutcome.SKIPPED_EXPIRED, AuditOutcome.SKIPPED_DUPLICATE);
    }

    @Test
    void auditsAnActionWithUnusableParamsAsFailedWithoutCallingGitHub() {
        ActionRecord action =
                Actions.of(
                        ActionType.ADD_LABELS, repo(), 10, Actions.params().put("labels", "bug"));
        try (ActionExecutor executor = ActionExecutor.start(config())) {
            topics.send(action);
            AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.FAILED, WAIT);
            assertThat(audit.error()).contains("params.labels").contains(action.targetRef());
            assertThat(audit.githubStatus()).isNull();
        }
    }
}
