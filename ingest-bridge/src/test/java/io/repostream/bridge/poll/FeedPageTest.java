package io.repostream.bridge.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FeedPageTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration CONFIGURED = Duration.ofSeconds(30);

    private static FeedPage page(
            Duration pollInterval, Duration retryAfter, Long remaining, Instant reset) {
        return answer(200, pollInterval, retryAfter, remaining, reset, null);
    }

    private static FeedPage answer(
            int status,
            Duration pollInterval,
            Duration retryAfter,
            Long remaining,
            Instant reset,
            String message) {
        return new FeedPage(
                status, "\"e\"", null, pollInterval, retryAfter, remaining, reset, null, message);
    }

    @Test
    void aRateLimitIsA429OrA403ThatSaysSo() {
        assertThat(answer(429, null, null, 10L, null, null).rateLimited()).isTrue();
        assertThat(answer(403, null, null, 0L, NOW, null).rateLimited()).isTrue();
        assertThat(answer(403, null, Duration.ofSeconds(5), 10L, null, null).rateLimited())
                .isTrue();
        assertThat(
                        answer(
                                        403,
                                        null,
                                        null,
                                        10L,
                                        null,
                                        "You have exceeded a secondary rate limit")
                                .rateLimited())
                .isTrue();
        assertThat(
                        answer(403, null, null, 10L, null, "Resource not accessible by integration")
                                .rateLimited())
                .as("a permission problem")
                .isFalse();
        assertThat(answer(200, null, null, 10L, null, null).blockedUntil(NOW)).isNull();
    }

    @Test
    void nothingIsAskedBeforeALimitHasPassed() {
        Instant reset = NOW.plus(Duration.ofMinutes(17));
        assertThat(answer(200, null, null, 0L, reset, null).blockedUntil(NOW))
                .as("the last request of the quota")
                .isEqualTo(reset);
        assertThat(answer(429, null, Duration.ofSeconds(90), 10L, reset, null).blockedUntil(NOW))
                .isEqualTo(NOW.plusSeconds(90));
        assertThat(answer(403, null, null, 10L, null, "secondary rate limit").blockedUntil(NOW))
                .as("limited without a time: GitHub's advice, a minute")
                .isEqualTo(NOW.plus(FeedPage.SECONDARY_LIMIT_WAIT));
        assertThat(
                        answer(503, null, Duration.ofSeconds(120), null, null, null)
                                .nextDelay(CONFIGURED, NOW))
                .isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void githubsPollIntervalLengthensTheConfiguredOne() {
        assertThat(page(Duration.ofSeconds(60), null, 100L, null).nextDelay(CONFIGURED, NOW))
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(page(Duration.ofSeconds(10), null, 100L, null).nextDelay(CONFIGURED, NOW))
                .isEqualTo(CONFIGURED);
    }

    @Test
    void retryAfterIsHonoured() {
        assertThat(page(null, Duration.ofMinutes(2), null, null).nextDelay(CONFIGURED, NOW))
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aUsedUpQuotaWaitsForItsReset() {
        Instant reset = NOW.plus(Duration.ofMinutes(17));

        assertThat(page(null, null, 0L, reset).nextDelay(CONFIGURED, NOW))
                .isEqualTo(Duration.ofMinutes(17));
        assertThat(page(null, null, 5L, reset).nextDelay(CONFIGURED, NOW)).isEqualTo(CONFIGURED);
    }

    @Test
    void feedTypesBecomeWebhookEventNames() {
        assertThat(PolledEvents.webhookName("IssuesEvent")).isEqualTo("issues");
        assertThat(PolledEvents.webhookName("IssueCommentEvent")).isEqualTo("issue_comment");
        assertThat(PolledEvents.webhookName("PullRequestReviewCommentEvent"))
                .isEqualTo("pull_request_review_comment");
        assertThat(PolledEvents.webhookName("PushEvent")).isEqualTo("push");
    }
}
