package io.repostream.executor.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.schemas.TargetState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hub4j adapter against GitHub's own answers, recorded from api.github.com and replayed over
 * HTTP: the JSON it parses, the request bodies it sends, and the status and rate-limit headers it
 * reports, including GitHub's 403 and 429 rate-limit answers.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HubGitHubClientRecordedTest {
    private static final String REPO = "hub4j-test-org/ghissuetest";

    private final RecordedGitHub recorded = new RecordedGitHub();
    private final HubGitHubClient client = client(1);

    private HubGitHubClient client(int attempts) {
        ExecutorConfig config =
                ExecutorConfig.defaults(
                                "127.0.0.1:1", recorded.baseUrl(), "ghp_recordedReplayToken")
                        .withoutPacing()
                        .withRetries(attempts, Duration.ofMillis(10), Duration.ofSeconds(1));
        ExecutorMetrics metrics = new ExecutorMetrics();
        return new HubGitHubClient(config, new RequestGate(config, metrics), metrics);
    }

    @AfterEach
    void stop() {
        recorded.close();
    }

    @Test
    void readsAnIssueAsGitHubAnswersIt() {
        TargetState issue = client.issue(REPO, 18);
        assertThat(issue.kind()).isEqualTo("issue");
        assertThat(issue.state()).isEqualTo("closed");
        assertThat(issue.stateReason()).isEqualTo("not_planned");
        assertThat(issue.labels()).isEmpty();
        assertThat(issue.assignees()).isEmpty();
        assertThat(issue.updatedAt()).isEqualTo(Instant.parse("2024-02-14T10:21:50Z"));
        assertThat(recorded.unmatched()).isEmpty();
    }

    @Test
    void reportsTheRateLimitHeadersOfTheLastAnswer() {
        client.issue(REPO, 18);
        GitHubResponse last = client.lastResponse().orElseThrow();
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.rateLimit().limit()).isEqualTo(5000);
        assertThat(last.rateLimit().remaining()).isEqualTo(4946);
        assertThat(last.rateLimit().used()).isEqualTo(54);
        assertThat(last.rateLimit().resetEpochSeconds()).isEqualTo(1707909241L);
        assertThat(last.rateLimit().resource()).isEqualTo("core");
    }

    @Test
    void closesAsNotPlannedWithTheBodyGitHubExpects() {
        client.issue(REPO, 18);
        client.closeIssue(REPO, 18, "not_planned");
        assertThat(recorded.unmatched()).isEmpty();
        assertThat(client.lastResponse().orElseThrow().rateLimit().remaining()).isEqualTo(4947);
    }

    @Test
    void failsFinallyOnGitHubs404NamingTheIssue() {
        assertThatThrownBy(() -> client.issue(REPO, 404))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(404);
                            assertThat(e.isFinal()).isTrue();
                            assertThat(e.getMessage()).contains(REPO + "#404").contains("404");
                        });
    }

    @Test
    void recognisesGitHubs403ForAnExhaustedQuota() {
        HubGitHubClient retrying = client(3);
        assertThatThrownBy(() -> retrying.issue(REPO, 19))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.isRateLimited()).isTrue();
                            assertThat(e.isFinal()).isFalse();
                            assertThat(e.response().orElseThrow().rateLimit().remaining()).isZero();
                            // the recorded reset is far away: waiting for it exceeds the maximum
                            // wait
                            assertThat(e.getMessage())
                                    .contains("longer than the configured maximum wait")
                                    .contains(REPO + "#19");
                        });
    }

    @Test
    void recognisesGitHubs429ForASecondaryLimitWithItsRetryAfter() {
        client.issue(REPO, 18);
        assertThatThrownBy(() -> client.addLabels(REPO, 18, List.of("bug")))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(429);
                            assertThat(e.isRateLimited()).isTrue();
                            assertThat(e.response().orElseThrow().rateLimit().retryAfterSeconds())
                                    .isEqualTo(60);
                        });
        assertThat(recorded.unmatched()).isEmpty();
    }
}
