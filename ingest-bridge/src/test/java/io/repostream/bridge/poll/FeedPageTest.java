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
        return new FeedPage(200, "\"e\"", null, pollInterval, retryAfter, remaining, reset);
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
