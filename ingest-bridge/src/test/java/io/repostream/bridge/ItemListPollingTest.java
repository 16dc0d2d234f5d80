package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issues and pulls lists bring in the openings and closings the event feed lost: paginated,
 * bounded a poll and going on at the next (also after a restart), shaped like webhooks, through the
 * ingest filter, and written once whichever of webhook, feed and list shows them first.
 */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(180)
class ItemListPollingTest {
    private static final AtomicInteger ORGS = new AtomicInteger();
    private static final String SECRET = "list-test-secret";

    @TempDir Path dir;
    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private final HttpClient http = HttpClient.newHttpClient();

    /** Each test polls a repository of an organisation of its own. */
    private String org;

    private String repo;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
    }

    @BeforeEach
    void createRepo() {
        org = "acme-" + ORGS.incrementAndGet();
        repo = org + "/widgets";
        github.createOrganization(org);
        github.createRepo(repo);
        github.resetQuotas();
    }

    @AfterEach
    void thawTime() {
        github.unfreezeTime();
    }

    /**
     * Starts a bridge and waits for its first round (which sets the lists' cursors: the past is the
     * feed's): it holds the poller while it runs, so the first pollNow() waits for it.
     */
    private IngestBridge startBridge(Path stateFile, IngestFilter filter) {
        IngestBridge bridge = TestBridges.startPolling(config(stateFile, filter), github, repo);
        bridge.pollNow();
        return bridge;
    }

    private IngestBridge startBridge(Path stateFile) {
        return startBridge(stateFile, IngestFilter.acceptAll());
    }

    private BridgeConfig config(Path stateFile, IngestFilter filter) {
        return TestBridges.config(kafka, SECRET)
                .withFilter(filter)
                // long, so only pollNow() polls after the first round
                .withPoll(TestBridges.polling(github, repo, Duration.ofHours(1), stateFile));
    }

    private long requestsFor(String what) {
        return github.requests().stream().filter(r -> r.contains("/repos/" + repo + what)).count();
    }

    /** 300 comments on one issue: the feed then holds nothing older. */
    private void floodTheFeed(int number) {
        for (int i = 0; i < 300; i++) {
            github.commentAsHuman(repo, number, "bot-" + org, "ping " + i);
        }
    }

    @Test
    void moreThanAPageOfChangesInOneSecondDoNotStallTheIssuesList() {
        try (IngestBridge bridge = startBridge(null)) {
            github.freezeTime();
            for (int i = 0; i < 350; i++) {
                github.createIssue(repo, "burst " + i, "body", "alice");
            }
            // the feed keeps the newest 300 openings; the list, from the same second on, the rest
            assertThat(bridge.pollNow()).isEqualTo(350);

            // still more than a page shares the list's boundary second: later changes get in
            github.advanceTime(Duration.ofSeconds(2));
            for (int i = 0; i < 350; i++) {
                github.createIssue(repo, "second burst " + i, "body", "bob");
            }
            assertThat(bridge.pollNow()).isEqualTo(350);
            assertThat(bridge.pollNow()).isZero();
        }
        assertThat(openingsByNumber())
                .hasSize(700)
                .allSatisfy((n, copies) -> assertThat(copies).isOne());
    }

    @Test
    void aScanLongerThanThePageBoundGoesOnAtTheNextPollAlsoAfterARestart(Vertx vertx)
            throws Exception {
        Path cursors = dir.resolve("cursors.json");
        try (IngestBridge bridge = startBridge(cursors)) {
            github.freezeTime();
            for (int i = 0; i < 1100; i++) {
                github.createIssue(repo, "backlog " + i, "body", "alice");
            }
            github.advanceTime(Duration.ofSeconds(1));
            for (int number = 1; number <= 50; number++) {
                github.closeAsHuman(repo, number, "carol");
            }
            github.advanceTime(Duration.ofSeconds(1));
            floodTheFeed(1100);

            // oldest change first: #51..#1050 fill the 10 pages a poll may read; the closed
            // #1..#50 and #1051..#1100 come after them
            assertThat(bridge.pollNow()).isEqualTo(300 + 1000);
            try (WebhookClient client = new WebhookClient(vertx, bridge.port())) {
                assertThat(client.get("/metrics").body())
                        .contains("repostream_bridge_poll_bounded_total{list=\"issues\"} 1.0");
            }
        }
        long resumed = requestsFor("/issues?");
        try (IngestBridge restarted = startBridge(cursors)) {
            // its first round went on where the first bridge stopped: page 10, then 11
            assertThat(restarted.pollNow()).isZero();
        }
        assertThat(github.requests().stream().filter(r -> r.contains("/repos/" + repo + "/issues")))
                .anyMatch(r -> r.contains("page=10"))
                .anyMatch(r -> r.contains("page=11"));
        assertThat(requestsFor("/issues?")).isGreaterThan(resumed);
        List<GitHubEvent> events = polled();
        assertThat(events).extracting(GitHubEvent::eventId).doesNotHaveDuplicates();
        assertThat(openingsByNumber())
                .hasSize(1100)
                .allSatisfy((n, copies) -> assertThat(copies).isOne());
        assertThat(events)
                .filteredOn(e -> "closed".equals(e.action()))
                .extracting(ItemListPollingTest::number)
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(events).filteredOn(e -> e.type().equals("issue_comment")).hasSize(300);
    }

    @Test
    void moreThanAHundredPullRequestsAreAllPolledShapedLikeTheirWebhooks() throws Exception {
        try (IngestBridge bridge = startBridge(null)) {
            for (int i = 0; i < 350; i++) {
                github.createPullRequest(repo, "Fix " + i, "body", "alice", "fix-" + i, sha(i));
            }
            github.closeAsHuman(repo, 2, "dave");
            merge(3);
            int issue = github.createIssue(repo, "chatter", "body", "bob");
            floodTheFeed(issue);

            // newest change first, all four pages, then the openings the feed lost
            assertThat(bridge.pollNow()).isEqualTo(300 + 350 + 1 + 2);
            assertThat(bridge.pollNow()).isZero();
        }
        List<GitHubEvent> pulls =
                polled().stream().filter(e -> e.type().equals("pull_request")).toList();
        assertThat(pulls).filteredOn(e -> "opened".equals(e.action())).hasSize(350);
        assertThat(pulls)
                .allSatisfy(
                        e -> {
                            assertThat(e.org()).isEqualTo(org);
                            JsonNode p = e.payload();
                            assertThat(p.at("/repository/id").isIntegralNumber()).isTrue();
                            assertThat(p.at("/repository/url").asText()).endsWith("/repos/" + repo);
                            assertThat(p.at("/repository/full_name").asText()).isEqualTo(repo);
                            assertThat(p.at("/organization/login").asText()).isEqualTo(org);
                            assertThat(p.at("/number").asLong()).isEqualTo(number(e));
                            assertThat(p.at("/pull_request/merged").isBoolean()).isTrue();
                            assertThat(p.at("/pull_request/head/sha").isTextual()).isTrue();
                            assertThat(p.at("/sender/login").isTextual()).isTrue();
                        });
        Map<Long, GitHubEvent> closings =
                pulls.stream()
                        .filter(e -> "closed".equals(e.action()))
                        .collect(Collectors.toMap(ItemListPollingTest::number, e -> e));
        assertThat(closings).containsOnlyKeys(2L, 3L);
        assertThat(closings.get(2L).payload().at("/sender/login").asText()).isEqualTo("dave");
        assertThat(closings.get(2L).payload().at("/pull_request/merged").asBoolean()).isFalse();
        assertThat(closings.get(3L).payload().at("/sender/login").asText())
                .isEqualTo(GitHubSimulator.DEFAULT_LOGIN);
        assertThat(closings.get(3L).payload().at("/pull_request/merged").asBoolean()).isTrue();
        assertThat(pulls.stream().filter(e -> "opened".equals(e.action())))
                .allSatisfy(
                        e ->
                                assertThat(e.payload().at("/sender/login").asText())
                                        .isEqualTo("alice"));
    }

    @Test
    void anOpeningTheListBroughtInIsADuplicateWhenItsWebhookArrivesAndViceVersa(Vertx vertx)
            throws Exception {
        try (IngestBridge bridge = startBridge(null);
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            int listedFirst = github.createIssue(repo, "listed first", "body", "alice");
            int webhookFirst = github.createIssue(repo, "webhook first", "body", "bob");
            JsonNode beforeFlood = issueJson(webhookFirst);
            assertThat(client.post(opened(beforeFlood)).status()).isEqualTo(202);
            floodTheFeed(listedFirst);

            assertThat(bridge.pollNow()).isEqualTo(300 + 1); // comments, and #1's opening

            WebhookClient.Reply late = client.post(opened(issueJson(listedFirst)));
            assertThat(late.status()).as(late.toString()).isEqualTo(200);
            assertThat(late.json().getString("outcome")).isEqualTo("duplicate");
        }
        assertThat(openingsByNumber()).containsOnly(Map.entry(1L, 1L), Map.entry(2L, 1L));
        assertThat(eventsOfRepo())
                .filteredOn(e -> "opened".equals(e.action()) && number(e) == 2)
                .singleElement()
                .extracting(GitHubEvent::source)
                .isEqualTo(EventSource.WEBHOOK);
    }

    @Test
    void polledEventsGoThroughTheIngestFilterAndAreCountedLikeWebhooks(Vertx vertx) {
        IngestFilter filter = new IngestFilter(Set.of(), Set.of("issue_comment"), Set.of("triage"));
        try (IngestBridge bridge = startBridge(null, filter);
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            int wanted = github.createIssue(repo, "wanted", "body", "alice", "triage");
            github.createIssue(repo, "unlabelled", "body", "bob");
            floodTheFeed(wanted);

            // the openings (from the list) and the comments (from the feed) meet the filter
            assertThat(bridge.pollNow()).isEqualTo(1);

            assertThat(client.get("/metrics").body())
                    .contains(
                            "repostream_bridge_filtered_total{event=\"issue_comment\",reason=\"event_ignored\"}"
                                    + " 300.0")
                    .contains(
                            "repostream_bridge_filtered_total{event=\"issues\",reason=\"label_not_matched\"}"
                                    + " 1.0");
            assertThat(bridge.pollNow()).as("filtered events are not read again").isZero();
        }
        assertThat(polled())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.action()).isEqualTo("opened");
                            assertThat(e.payload().at("/issue/title").asText()).isEqualTo("wanted");
                        });
    }

    private Map<Long, Long> openingsByNumber() {
        return eventsOfRepo().stream()
                .filter(e -> "opened".equals(e.action()))
                .collect(Collectors.groupingBy(ItemListPollingTest::number, Collectors.counting()));
    }

    private static long number(GitHubEvent e) {
        return e.type().equals("pull_request")
                ? e.payload().at("/pull_request/number").asLong()
                : e.payload().at("/issue/number").asLong();
    }

    private static String sha(int i) {
        return String.format("%040x", i + 1);
    }

    private void merge(int number) throws Exception {
        HttpResponse<String> merged =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                github.baseUrl()
                                                        + "/repos/"
                                                        + repo
                                                        + "/pulls/"
                                                        + number
                                                        + "/merge"))
                                .header("Authorization", "Bearer " + GitHubSimulator.DEFAULT_TOKEN)
                                .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
    }

    private JsonNode issueJson(int number) throws Exception {
        return GitHubSide.get(github, "/repos/" + repo + "/issues/" + number);
    }

    /** The {@code issues.opened} webhook GitHub sends for {@code issue}. */
    private WebhookDelivery opened(JsonNode issue) {
        return GitHubSide.issuesWebhook(repo, "opened", issue, SECRET);
    }

    private List<GitHubEvent> eventsOfRepo() {
        return TopicContents.eventsOf(kafka, repo);
    }

    private List<GitHubEvent> polled() {
        return TopicContents.polledEventsOf(kafka, repo);
    }
}
