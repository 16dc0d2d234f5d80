package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Polling the repository event feed of the GitHub simulator into the real broker. */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(90)
class RepoPollingTest {
    private static final java.util.concurrent.atomic.AtomicInteger REPO_NUMBERS =
            new java.util.concurrent.atomic.AtomicInteger();

    @TempDir Path dir;
    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;

    /** Each test polls a repository of its own, so tests share the broker and the simulator. */
    private String repo;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
    }

    @BeforeEach
    void createRepo() {
        repo = "octo/widgets-" + REPO_NUMBERS.incrementAndGet();
        github.createRepo(repo);
        github.resetQuotas();
    }

    /** The bridge polls once as it starts; wait for that, so pollNow() results are exact. */
    private IngestBridge startBridge(Path stateFile) {
        // long, so only pollNow() polls after the first round
        PollConfig poll = TestBridges.polling(github, repo, Duration.ofHours(1), stateFile);
        return TestBridges.startPolling(
                TestBridges.config(kafka, "poll-test-secret").withPoll(poll), github, repo);
    }

    @Test
    void newIssuesArePolledIntoKafkaOnceWithStableIdsAndSourcePoll() {
        github.createIssue(repo, "first", "body", "alice");
        github.createIssue(repo, "second", "body", "bob");
        try (IngestBridge bridge = startBridge((dir.resolve("cursors.json")))) {
            bridge.pollNow();
            List<GitHubEvent> events = polled();

            assertThat(events).hasSize(2);
            assertThat(events).allMatch(e -> e.source() == EventSource.POLL);
            assertThat(events).extracting(GitHubEvent::type).containsOnly("issues");
            assertThat(events).extracting(GitHubEvent::action).containsOnly("opened");
            assertThat(events).extracting(GitHubEvent::repo).containsOnly(repo);
            assertThat(events).allMatch(e -> e.eventId().startsWith("github-event-"));
            // webhook-shaped, as every consumer of the topic reads it
            assertThat(events.get(0).payload().at("/issue/title").asText()).isIn("first", "second");
            assertThat(events.get(0).payload().at("/action").asText()).isEqualTo("opened");
            assertThat(events.get(0).payload().at("/repository/full_name").asText())
                    .isEqualToIgnoringCase(repo);
            assertThat(events.get(0).payload().at("/sender/login").asText()).isIn("alice", "bob");

            github.createIssue(repo, "third", "body", "carol");
            assertThat(bridge.pollNow()).isEqualTo(1);
        }
        assertThat(polled()).hasSize(3);
    }

    @Test
    void anUnchangedFeedIsAskedWithIfNoneMatchAndCostsNoQuota() {
        github.createIssue(repo, "first", "body", "alice");
        try (IngestBridge bridge = startBridge((null))) {
            bridge.pollNow();
            int quota = github.remainingQuota(GitHubSimulator.DEFAULT_TOKEN);

            assertThat(bridge.pollNow()).isZero();
            assertThat(bridge.pollNow()).isZero();

            assertThat(github.remainingQuota(GitHubSimulator.DEFAULT_TOKEN)).isEqualTo(quota);
            assertThat(github.requests()).anyMatch(r -> r.contains("events") && r.endsWith("304"));
        }
        assertThat(polled()).hasSize(1);
    }

    @Test
    void cursorsSurviveARestartSoNothingIsWrittenTwice() throws Exception {
        Path cursors = dir.resolve("cursors.json");
        github.createIssue(repo, "first", "body", "alice");
        try (IngestBridge bridge = startBridge((cursors))) {
            bridge.pollNow();
        }
        assertThat(Files.readString(cursors)).contains(repo).contains("etag");
        int quota = github.remainingQuota(GitHubSimulator.DEFAULT_TOKEN);

        try (IngestBridge restarted = startBridge((cursors))) {
            assertThat(restarted.pollNow()).isZero();
        }

        assertThat(github.remainingQuota(GitHubSimulator.DEFAULT_TOKEN)).isEqualTo(quota);
        assertThat(polled()).hasSize(1);
    }

    @Test
    void withoutCursorsTheDedupeWindowStillKeepsEventsFromBeingWrittenTwice() {
        github.createIssue(repo, "first", "body", "alice");
        try (IngestBridge bridge = startBridge((null))) {
            bridge.pollNow();
        }
        try (IngestBridge restarted = startBridge((null))) {
            restarted.pollNow();
        }
        assertThat(polled()).hasSize(1);
    }

    @Test
    void pollRequestsByStatusAndTheQuotaShowInTheMetrics(Vertx vertx) {
        github.createIssue(repo, "first", "body", "alice");
        try (IngestBridge bridge = startBridge((null));
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            bridge.pollNow();
            bridge.pollNow();

            String metrics = client.get("/metrics").body();

            assertThat(metrics)
                    .contains("repostream_bridge_poll_requests_total{status=\"200\"}")
                    .contains("repostream_bridge_poll_requests_total{status=\"304\"}")
                    .contains("repostream_bridge_polled_events_total{outcome=\"written\"} 1.0")
                    .containsPattern("repostream_bridge_github_quota_remaining [1-9]");
        }
    }

    @Test
    void aFailingGitHubLeavesTheCursorSoTheNextPollCatchesUp() {
        github.createIssue(repo, "first", "body", "alice");
        try (IngestBridge bridge = startBridge((null))) {
            bridge.pollNow();
            github.createIssue(repo, "second", "body", "bob");
            github.createIssue(repo, "third", "body", "carol");
            github.setFailNext(502, 1);

            // the feed fails; the issues list still brings both openings in
            assertThat(bridge.pollNow()).isEqualTo(2);
            // the feed, read again from its unmoved cursor, holds copies of both: not written
            assertThat(bridge.pollNow()).isZero();

            // now every request of the round fails: the feed, the runs, and both lists
            github.setFailNext(502, 4);
            github.addLabelAsHuman(repo, 2, "bug", "bob");
            assertThat(bridge.pollNow()).isZero();
            assertThat(bridge.pollNow()).isEqualTo(1); // the label, once GitHub answers again
        }
        assertThat(polled()).hasSize(4);
        assertThat(polled()).extracting(GitHubEvent::eventId).doesNotHaveDuplicates();
    }

    @Test
    void eachStateOfAWorkflowRunIsPolledOnceAsAWorkflowRunEvent() {
        long run;
        try (IngestBridge bridge = startBridge(null)) {
            // the start-up round may still be reading runs: wait it out, or it could take the run
            assertThat(bridge.pollNow()).isZero();
            run = github.createWorkflowRun(repo, 9, "abc123", "in_progress", null);
            assertThat(bridge.pollNow()).isEqualTo(1);
            assertThat(bridge.pollNow()).isZero();

            github.completeWorkflowRun(repo, run, "failure");
            assertThat(bridge.pollNow()).isEqualTo(2); // its failed job, then the run
        }
        List<GitHubEvent> runs =
                polled().stream().filter(e -> e.type().equals("workflow_run")).toList();
        assertThat(runs)
                .extracting(GitHubEvent::action)
                .containsExactly("in_progress", "completed");
        assertThat(runs.get(1).payload().at("/workflow_run/conclusion").asText())
                .isEqualTo("failure");
        assertThat(runs.get(1).payload().at("/action").asText()).isEqualTo("completed");
        assertThat(runs.get(1).payload().at("/workflow_run/id").asLong()).isEqualTo(run);
        assertThat(runs).allMatch(e -> e.eventId().startsWith("github-run-"));
    }

    @Test
    void readsOlderPagesOfTheFeedUntilTheLastEventSeen() {
        for (int i = 0; i < 150; i++) {
            github.createIssue(repo, "backlog " + i, "body", "alice");
        }
        try (IngestBridge bridge = startBridge(null)) {
            // the first round (at start) reads two pages: the whole feed; pollNow waits for it
            assertThat(bridge.pollNow()).isZero();
            assertThat(polled()).hasSize(150);

            for (int i = 0; i < 230; i++) {
                github.createIssue(repo, "busy " + i, "body", "bob");
            }
            assertThat(bridge.pollNow()).isEqualTo(230); // three pages, up to the cursor
            assertThat(bridge.pollNow()).isZero(); // 304
        }
        List<GitHubEvent> events = polled();
        assertThat(events).hasSize(380);
        assertThat(events).extracting(GitHubEvent::eventId).doesNotHaveDuplicates();
        assertThat(
                        events.stream()
                                .map(e -> e.payload().at("/issue/title").asText())
                                .filter(t -> t.startsWith("busy "))
                                .distinct()
                                .count())
                .isEqualTo(230);
    }

    @Test
    void moreThanTheFeedKeepsIsReportedAsAGap() throws Exception {
        try (IngestBridge bridge = startBridge(null)) {
            github.createIssue(repo, "seen", "body", "alice");
            assertThat(bridge.pollNow()).isEqualTo(1);
            for (int i = 0; i < 320; i++) {
                github.createIssue(repo, "flood " + i, "body", "bob");
            }

            // all the feed still holds, and from the issues list the 20 openings it lost
            assertThat(bridge.pollNow()).isEqualTo(320);

            var metrics =
                    java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(
                                                            "http://127.0.0.1:"
                                                                    + bridge.port()
                                                                    + "/metrics"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body();
            assertThat(metrics)
                    .contains("repostream_bridge_polled_events_total{outcome=\"feed_gap\"} 1");
        }
    }

    @Test
    void theIssuesAndPullsListsBringInWhatTheFeedLostAndNothingTwice() {
        try (IngestBridge bridge = startBridge(null)) {
            github.createIssue(repo, "seen", "body", "alice");
            assertThat(bridge.pollNow()).isEqualTo(1); // from the feed; the lists only agree
            for (int i = 0; i < 340; i++) {
                github.createIssue(repo, "flood " + i, "body", "bob");
            }
            int pr = github.createPullRequest(repo, "Fix", "body", "carol", "fix", "c".repeat(40));
            github.closeAsHuman(repo, 1, "alice");

            // the feed keeps the newest 300 events of 343; the issues list (oldest change first,
            // 100 a poll) brings the lost openings in over the next polls, the pulls list the PR
            int written = 0;
            for (int round = 0; round < 6; round++) {
                written += bridge.pollNow();
            }
            assertThat(written).isEqualTo(342);
        }
        List<GitHubEvent> events = polled();
        assertThat(events).extracting(GitHubEvent::eventId).doesNotHaveDuplicates();
        java.util.Map<String, Long> openings =
                events.stream()
                        .filter(e -> "opened".equals(e.action()))
                        .collect(
                                java.util.stream.Collectors.groupingBy(
                                        e -> e.type() + "#" + number(e),
                                        java.util.stream.Collectors.counting()));
        assertThat(openings).hasSize(342).allSatisfy((item, n) -> assertThat(n).as(item).isOne());
        assertThat(events)
                .filteredOn(e -> "closed".equals(e.action()))
                .singleElement()
                .satisfies(e -> assertThat(number(e)).isEqualTo(1));
        // some came from the lists, shaped like their webhooks
        assertThat(events)
                .filteredOn(e -> e.eventId().startsWith("github-issue-"))
                .isNotEmpty()
                .allSatisfy(
                        e -> {
                            assertThat(e.payload().at("/issue/number").isIntegralNumber()).isTrue();
                            assertThat(e.payload().at("/repository/full_name").asText())
                                    .isEqualTo(repo);
                        });
    }

    private static long number(GitHubEvent e) {
        return e.type().equals("pull_request")
                ? e.payload().at("/pull_request/number").asLong()
                : e.payload().at("/issue/number").asLong();
    }

    @Test
    void anIssueAlreadyPolledIsNotWrittenAgainWhenItsWebhookArrives(Vertx vertx) {
        github.createIssue(repo, "seen twice", "body", "alice");
        try (IngestBridge bridge = startBridge(null);
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            bridge.pollNow();
            GitHubEvent polled = polled().get(0);

            WebhookClient.Reply reply =
                    client.post(
                            webhookFor(
                                    polled.payload().path("action"),
                                    polled.payload().path("issue")));

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().getString("outcome")).isEqualTo("duplicate");
        }
        assertThat(eventsOfRepo()).hasSize(1);
    }

    @Test
    void anIssueAlreadyReceivedAsAWebhookIsNotWrittenAgainWhenPolled(Vertx vertx) throws Exception {
        try (IngestBridge bridge = startBridge(null);
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            github.createIssue(repo, "seen twice", "body", "alice");
            com.fasterxml.jackson.databind.JsonNode entry = feed().get(0);
            assertThat(
                            client.post(
                                            webhookFor(
                                                    entry.at("/payload/action"),
                                                    entry.at("/payload/issue")))
                                    .status())
                    .isEqualTo(202);

            assertThat(bridge.pollNow()).isZero();
        }
        assertThat(eventsOfRepo())
                .singleElement()
                .extracting(GitHubEvent::source)
                .isEqualTo(EventSource.WEBHOOK);
    }

    /** The webhook GitHub sends for this change of an issue. */
    private io.repostream.testkit.fixtures.WebhookDelivery webhookFor(
            com.fasterxml.jackson.databind.JsonNode action,
            com.fasterxml.jackson.databind.JsonNode issue) {
        return GitHubSide.issuesWebhook(repo, action.asText(), issue, "poll-test-secret");
    }

    private com.fasterxml.jackson.databind.JsonNode feed() throws Exception {
        return GitHubSide.get(github, "/repos/" + repo + "/events");
    }

    private List<GitHubEvent> eventsOfRepo() {
        return TopicContents.eventsOf(kafka, repo);
    }

    private List<GitHubEvent> polled() {
        return TopicContents.polledEventsOf(kafka, repo);
    }
}
