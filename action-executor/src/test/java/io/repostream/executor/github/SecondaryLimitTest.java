package io.repostream.executor.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.testkit.github.GitHubSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two kinds of 403 against the simulator: a secondary rate limit that names no wait (GitHub:
 * wait at least a minute, then try again) and a plain refusal for lack of permission (final).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecondaryLimitTest {
    private static final String REPO = "acme/limited";
    private static final Duration FIRST_WAIT = Duration.ofMillis(400);

    /** Long enough for the test's other thread to see the refusal and lift the limit first. */
    private static final Duration LIFTED_WAIT = Duration.ofSeconds(2);

    private GitHubSimulator github;
    private ExecutorMetrics metrics;
    private int issue;

    @BeforeEach
    void start() {
        github = GitHubSimulator.start();
        github.createRepo(REPO);
        issue = github.createIssue(REPO, "Limited", "", "alice");
        metrics = new ExecutorMetrics();
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private RestGitHubClient client(String token) {
        return client(token, FIRST_WAIT);
    }

    private RestGitHubClient client(String token, Duration firstWait) {
        ExecutorConfig config =
                ExecutorConfig.defaults("127.0.0.1:1", github.baseUrl(), token)
                        .withoutPacing()
                        .withRetries(3, Duration.ofMillis(10), Duration.ofMinutes(1));
        // the first wait is GitHub's minute in production; shortened so the test is quick
        return new RestGitHubClient(
                config,
                Credentials.token(token),
                new RequestGate(config, metrics, firstWait),
                metrics);
    }

    @Test
    void waitsAfterASecondaryLimitWithoutRetryAfterAndThenCreatesTheComment() throws Exception {
        github.setSecondaryLimit(1);
        github.setSecondaryLimitRetryAfter(false);
        RestGitHubClient client = client(GitHubSimulator.DEFAULT_TOKEN, LIFTED_WAIT);
        client.createComment(REPO, issue, "first");
        String post = "POST /repos/" + REPO + "/issues/" + issue + "/comments";

        // the limit lifts once the executor has been refused (as GitHub's minute would pass)
        CompletableFuture<Void> lift =
                CompletableFuture.runAsync(
                        () -> {
                            Awaitility.await()
                                    .atMost(Duration.ofSeconds(20))
                                    .until(() -> github.requests().contains(post + " 403"));
                            github.resetQuotas();
                        });
        long started = System.nanoTime();
        long id = client.createComment(REPO, issue, "second").value();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        lift.get(20, TimeUnit.SECONDS);

        assertThat(github.comments(REPO, issue)).extracting(c -> c.id()).endsWith(id).hasSize(2);
        assertThat(github.requests())
                .filteredOn(r -> r.startsWith(post))
                .containsExactly(post + " 201", post + " 403", post + " 201");
        assertThat(tookMillis).isGreaterThanOrEqualTo(LIFTED_WAIT.toMillis());
        assertThat(metrics.scrape())
                .contains("repostream_executor_github_retries_total{reason=\"rate_limit\"} 1.0");
    }

    static Stream<Arguments> githubClocks() {
        return Stream.of(
                Arguments.of("429, GitHub's clock agrees with ours", 429, Duration.ZERO),
                Arguments.of(
                        "403, GitHub's clock is an hour behind ours", 403, Duration.ofHours(1)));
    }

    /**
     * A {@code Retry-After} HTTP-date (as a proxy may send it) is counted from the answer's {@code
     * Date}: the executor waits as long as the date says, not the minute it waits for a limit that
     * names no time (here longer than it may wait), and not less when GitHub's clock is behind.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("githubClocks")
    void waitsUntilTheRetryAfterDateCountedFromGitHubsDateHeader(
            String answer, int status, Duration behind) {
        github.setRetryAfterAsHttpDate(true);
        if (!behind.isZero()) {
            github.freezeTime();
            github.advanceTime(behind.negated());
        }
        String post = "POST /repos/" + REPO + "/issues/" + issue + "/labels";
        github.limitNext(status, 2, "/repos/" + REPO + "/issues/" + issue + "/labels");
        RestGitHubClient client = client(GitHubSimulator.DEFAULT_TOKEN, Duration.ofMinutes(5));

        long started = System.nanoTime();
        client.addLabels(REPO, issue, List.of("bug"));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(github.requests())
                .filteredOn(r -> r.startsWith(post))
                .containsExactly(post + " " + status, post + " 200");
        assertThat(tookMillis).isGreaterThanOrEqualTo(2_000);
        assertThat(github.labels(REPO, issue)).contains("bug");
        assertThat(metrics.scrape())
                .contains("repostream_executor_github_retries_total{reason=\"rate_limit\"} 1.0");
    }

    @Test
    void givesUpWithTheLimitWhenItKeepsRefusingAndDoublesTheWait() {
        github.setSecondaryLimit(1);
        github.setSecondaryLimitRetryAfter(false);
        RestGitHubClient client = client(GitHubSimulator.DEFAULT_TOKEN);
        client.createComment(REPO, issue, "first");

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.createComment(REPO, issue, "second"))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.isSecondaryLimit()).isTrue();
                            assertThat(e.getMessage()).contains(REPO + "#" + issue);
                        });
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        // three attempts, with 400 ms and then 800 ms between them
        assertThat(tookMillis).isGreaterThanOrEqualTo(3 * FIRST_WAIT.toMillis());
        assertThat(github.comments(REPO, issue)).hasSize(1);
        assertThat(github.requests()).filteredOn(r -> r.endsWith("/comments 403")).hasSize(3);
    }

    @Test
    void failsAtOnceOnAPlain403ForLackOfPermission() {
        github.addReadOnlyToken("read-only-token", "reader");
        RestGitHubClient client = client("read-only-token");

        assertThatThrownBy(() -> client.addLabels(REPO, issue, List.of("bug")))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.isRateLimited()).isFalse();
                            assertThat(e.isFinal()).isTrue();
                            assertThat(e.getMessage())
                                    .contains(REPO + "#" + issue)
                                    .contains("Resource not accessible");
                        });
        assertThat(github.requests()).filteredOn(r -> r.startsWith("POST")).hasSize(1);
        assertThat(metrics.scrape()).doesNotContain("repostream_executor_github_retries_total{");
    }
}
