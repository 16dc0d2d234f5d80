package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GitHub's rate limits as the simulator enforces them: the executor reads the limit headers, waits
 * when the wait is bounded, and otherwise fails the action with the reason and the headers in the
 * audit record, instead of retrying without end.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GitHubLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REPO = "acme/limits";

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.createRepo(REPO);
        topics = new KafkaTopics(kafka);
    }

    @AfterEach
    void freshQuotas() {
        github.resetQuotas();
        github.setSecondaryLimit(80);
        github.setSecondaryLimitRetryAfter(true);
        github.setPrimaryLimitStatus(403);
        github.setResponseDelay(Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static ActionExecutor executor() {
        return executor(GitHubSimulator.DEFAULT_TOKEN);
    }

    private static ActionExecutor executor(String token) {
        return ActionExecutor.start(
                ExecutorConfigs.forSimulator(kafka, github, token, "limits-" + System.nanoTime())
                        .withRetries(3, Duration.ofMillis(20), Duration.ofSeconds(2)));
    }

    @ParameterizedTest(name = "answered with {0}")
    @ValueSource(ints = {403, 429})
    void failsWithTheResetTimeWhenTheHourlyQuotaIsGoneForLongerThanItMayWait(int status) {
        int number = github.createIssue(REPO, "Quota", "", "alice");
        github.setPrimaryLimitStatus(status);
        try (ActionExecutor executor = executor()) {
            github.exhaustQuota(GitHubSimulator.DEFAULT_TOKEN);
            ActionRecord action = Actions.addLabels(REPO, number, "bug");
            topics.send(action);
            AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.FAILED, WAIT);
            assertThat(audit.githubStatus()).isEqualTo(status);
            assertThat(audit.error())
                    .contains(REPO + "#" + number)
                    .contains("longer than the configured maximum wait");
            assertThat(audit.rateLimit().remaining()).isZero();
            assertThat(audit.rateLimit().resetEpochSeconds())
                    .isGreaterThan(System.currentTimeMillis() / 1000);
        }
        assertThat(github.labels(REPO, number)).isEmpty();
    }

    @Test
    void failsWithRetryAfterWhenTheSecondaryLimitAsksForALongerPause() {
        int first = github.createIssue(REPO, "First", "", "alice");
        int second = github.createIssue(REPO, "Second", "", "alice");
        github.setSecondaryLimit(1);
        try (ActionExecutor executor = executor()) {
            ActionRecord allowed = Actions.addLabels(REPO, first, "one");
            ActionRecord limited = Actions.addLabels(REPO, second, "two");
            topics.send(allowed);
            topics.awaitAudit(allowed.actionId(), AuditOutcome.APPLIED, WAIT);
            topics.send(limited);
            AuditRecord audit = topics.awaitAudit(limited.actionId(), AuditOutcome.FAILED, WAIT);
            assertThat(audit.githubStatus()).isEqualTo(403);
            assertThat(audit.rateLimit().retryAfterSeconds()).isPositive();
            assertThat(audit.error()).contains(REPO + "#" + second);
            // the snapshot was written, the write refused: the audit says so, nothing changed
            assertThat(github.labels(REPO, second)).isEmpty();
        }
    }

    @Test
    void takesASecondaryLimitWithoutRetryAfterForALimitThatAsksForAMinuteNotForARefusal() {
        int first = github.createIssue(REPO, "First", "", "alice");
        int second = github.createIssue(REPO, "Second", "", "alice");
        github.setSecondaryLimit(1);
        github.setSecondaryLimitRetryAfter(false);
        try (ActionExecutor executor = executor()) {
            ActionRecord allowed = Actions.addLabels(REPO, first, "one");
            ActionRecord limited = Actions.addLabels(REPO, second, "two");
            topics.send(allowed);
            topics.awaitAudit(allowed.actionId(), AuditOutcome.APPLIED, WAIT);
            topics.send(limited);
            AuditRecord audit = topics.awaitAudit(limited.actionId(), AuditOutcome.FAILED, WAIT);
            assertThat(audit.githubStatus()).isEqualTo(403);
            assertThat(audit.rateLimit().retryAfterSeconds()).isNull();
            assertThat(audit.rateLimit().remaining()).isPositive();
            // GitHub's minute is longer than this executor may wait (2 s): it says so
            assertThat(audit.error())
                    .contains(REPO + "#" + second)
                    .contains("rate limited for 60 s, longer than the configured maximum wait");
            assertThat(github.labels(REPO, second)).isEmpty();
        }
    }

    @Test
    void failsAPlainPermission403AtOnceWithGitHubsReason() {
        int number = github.createIssue(REPO, "No permission", "", "alice");
        github.addReadOnlyToken("read-only-executor-token", "reader");
        try (ActionExecutor executor = executor("read-only-executor-token")) {
            ActionRecord action = Actions.addLabels(REPO, number, "bug");
            topics.send(action);
            AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.FAILED, WAIT);
            assertThat(audit.githubStatus()).isEqualTo(403);
            assertThat(audit.error())
                    .contains(REPO + "#" + number)
                    .contains("Resource not accessible")
                    .doesNotContain("rate limited");
            assertThat(executor.metrics().scrape())
                    .doesNotContain("repostream_executor_github_retries_total{");
        }
        assertThat(github.requests())
                .filteredOn(r -> r.startsWith("POST /repos/" + REPO + "/issues/" + number + "/"))
                .hasSize(1);
    }

    @Test
    void keepsTheConfiguredCapOnRequestsInFlightWhileApplyingManyActions() {
        int cap = 3;
        List<ActionRecord> actions = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int number = github.createIssue(REPO, "Busy " + i, "", "alice");
            actions.add(Actions.addLabels(REPO, number, "busy"));
        }
        github.setResponseDelay(Duration.ofMillis(100));
        github.resetMaxConcurrentRequests();
        try (ActionExecutor executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(kafka, github, "limits-" + System.nanoTime())
                                .withMaxConcurrentRequests(cap))) {
            topics.sendAll(actions);
            topics.awaitAudited(actions.stream().map(ActionRecord::actionId).toList(), WAIT);
        }
        assertThat(
                        topics.countWith(
                                actions.stream().map(ActionRecord::actionId).toList(),
                                AuditOutcome.APPLIED))
                .isEqualTo(actions.size());
        assertThat(github.maxConcurrentRequests()).isLessThanOrEqualTo(cap).isGreaterThan(1);
    }

    @Test
    void reportsTheRemainingQuotaAsAMetric() {
        int number = github.createIssue(REPO, "Metric", "", "alice");
        try (ActionExecutor executor = executor()) {
            ActionRecord action = Actions.addLabels(REPO, number, "measured");
            topics.send(action);
            AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(executor.metrics().scrape())
                    .containsPattern("(?m)^repostream_executor_github_quota_remaining \\d+")
                    .contains(
                            "repostream_executor_github_request_seconds_count{operation=\"add_labels\"} 1")
                    .contains(
                            "repostream_executor_actions_total{action_type=\"add_labels\",outcome=\"applied\",repo=\""
                                    + REPO
                                    + "\"} 1.0");
            assertThat(audit.rateLimit().remaining()).isLessThan(audit.rateLimit().limit());
        }
    }
}
