package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.GitHubEvent;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitHub's limits, end to end with the simulator's quota and secondary limits: polling stops at the
 * first limited answer, whichever endpoint gave it, asks nothing before it has passed, and feeds
 * the quota gauge from every answer.
 */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(90)
class PollRateLimitTest {
    private static final AtomicInteger REPOS = new AtomicInteger();
    private static final String TOKEN = GitHubSimulator.DEFAULT_TOKEN;

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private String repo;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
    }

    @BeforeEach
    void createRepo() {
        repo = "octo/limited-" + REPOS.incrementAndGet();
        github.createRepo(repo);
        github.resetQuotas();
    }

    @AfterEach
    void restoreQuota() {
        github.setPollInterval(Duration.ofSeconds(60));
        github.setPrimaryLimit(5_000);
        github.resetQuotas();
    }

    private IngestBridge startBridge(Duration interval) {
        return TestBridges.startPolling(
                TestBridges.config(kafka, "limit-test-secret")
                        .withPoll(TestBridges.polling(github, repo, interval, null)),
                github,
                repo);
    }

    @Test
    void aRateLimitedListStopsThePollAndNothingIsAskedBeforeItsRetryAfter(Vertx vertx) {
        try (IngestBridge bridge = startBridge(Duration.ofHours(1));
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            bridge.pollNow(); // the first round set the lists' cursors
            github.createIssue(repo, "first", "body", "alice");
            github.limitNext(429, 2, "/repos/" + repo + "/issues");
            int before = requestsOf(repo).size();

            assertThat(bridge.pollNow()).isEqualTo(1); // the feed's answer came before the limit

            List<String> round = requestsOf(repo).subList(before, requestsOf(repo).size());
            assertThat(round.get(round.size() - 1)).contains("/issues?").endsWith(" 429");
            assertThat(round).noneMatch(r -> r.contains("/pulls"));
            int afterLimit = requestsOf(repo).size();
            assertThat(bridge.pollNow()).isZero();
            assertThat(requestsOf(repo)).as("nothing asked while limited").hasSize(afterLimit);
            assertThat(client.get("/metrics").body())
                    .contains("repostream_bridge_poll_requests_total{status=\"429\"} 1.0");

            // once Retry-After has passed, the lists are read again
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                bridge.pollNow();
                                return requestsOf(repo).stream()
                                        .skip(afterLimit)
                                        .anyMatch(r -> r.contains("/pulls"));
                            });
        }
        assertThat(polled()).hasSize(1);
    }

    @Test
    void theNextPollWaitsForTheMostRestrictiveAnswerNotOnlyTheFeeds() {
        // every second, as the feed agrees, but the workflow runs (asked after it) say: not for 3 s
        github.setPollInterval(Duration.ofSeconds(1));
        github.limitNext(429, 3, "/repos/" + repo + "/actions/runs");
        try (IngestBridge bridge = startBridge(Duration.ofSeconds(1))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> requestsOf(repo).stream().anyMatch(r -> r.endsWith(" 429")));
            long limitedAt = System.nanoTime();
            int asked = requestsOf(repo).size();

            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> requestsOf(repo).size() > asked);
            Duration quiet = Duration.ofNanos(System.nanoTime() - limitedAt);

            assertThat(quiet).isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
        }
    }

    @Test
    void aUsedUpQuotaStopsPollingAtOnceAndShowsInTheGauge(Vertx vertx) {
        try (IngestBridge bridge = startBridge(Duration.ofHours(1));
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            bridge.pollNow();
            github.createIssue(repo, "first", "body", "alice");
            int used = 5_000 - github.remainingQuota(TOKEN);
            github.setPrimaryLimit(used + 1); // the feed's answer uses the last request
            int before = requestsOf(repo).size();

            assertThat(bridge.pollNow()).isEqualTo(1);
            assertThat(requestsOf(repo).subList(before, requestsOf(repo).size()))
                    .singleElement()
                    .satisfies(r -> assertThat(r).contains("/events").endsWith(" 200"));
            assertThat(bridge.pollNow()).isZero();
            assertThat(requestsOf(repo)).hasSize(before + 1);
            assertThat(client.get("/metrics").body())
                    .contains("repostream_bridge_github_quota_remaining 0.0");
        }
        assertThat(polled()).hasSize(1);
    }

    @Test
    void theQuotaGaugeFollowsEveryAnswerIncludingTheLists(Vertx vertx) {
        try (IngestBridge bridge = startBridge(Duration.ofHours(1));
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            bridge.pollNow();
            github.createIssue(repo, "first", "body", "alice");
            bridge.pollNow();

            assertThat(requestsOf(repo))
                    .last()
                    .satisfies(r -> assertThat(r).doesNotContain("/events"));
            assertThat(client.get("/metrics").body())
                    .contains(
                            "repostream_bridge_github_quota_remaining "
                                    + github.remainingQuota(TOKEN)
                                    + ".0");
        }
    }

    private static List<String> requestsOf(String repo) {
        return github.requests().stream()
                .filter(
                        r ->
                                r.contains(" /repos/" + repo + "/")
                                        || r.contains(" /repos/" + repo + " "))
                .toList();
    }

    private List<GitHubEvent> polled() {
        return TopicContents.polledEventsOf(kafka, repo);
    }
}
