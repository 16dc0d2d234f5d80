package io.repostream.executor.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitHubResponseTest {

    @Test
    void readsRateLimitHeadersInAnyCase() {
        GitHubResponse response =
                GitHubResponse.of(
                        403,
                        Map.of(
                                "X-RateLimit-Limit", List.of("5000"),
                                "x-ratelimit-remaining", List.of("0"),
                                "X-RATELIMIT-USED", List.of("5000"),
                                "x-ratelimit-reset", List.of("1767225600"),
                                "x-ratelimit-resource", List.of("core"),
                                "Retry-After", List.of("30")));
        assertThat(response.rateLimit().limit()).isEqualTo(5000);
        assertThat(response.rateLimit().remaining()).isZero();
        assertThat(response.rateLimit().used()).isEqualTo(5000);
        assertThat(response.rateLimit().resetEpochSeconds()).isEqualTo(1767225600L);
        assertThat(response.rateLimit().resource()).isEqualTo("core");
        assertThat(response.rateLimit().retryAfterSeconds()).isEqualTo(30);
        assertThat(response.primaryLimitExhausted()).isTrue();
    }

    @Test
    void leavesMissingOrMalformedHeadersEmpty() {
        GitHubResponse response =
                GitHubResponse.of(200, Map.of("retry-after", List.of("in a while")));
        assertThat(response.rateLimit().remaining()).isNull();
        assertThat(response.rateLimit().retryAfterSeconds()).isNull();
        assertThat(response.primaryLimitExhausted()).isFalse();
    }

    @Test
    void readsARetryAfterDateCountedFromTheAnswersDateHeader() {
        GitHubResponse response =
                GitHubResponse.of(
                        429,
                        Map.of(
                                "Retry-After", List.of("Wed, 21 Oct 2015 07:28:00 GMT"),
                                "Date", List.of("Wed, 21 Oct 2015 07:27:15 GMT")));
        assertThat(response.rateLimit().retryAfterSeconds()).isEqualTo(45);
    }
}
