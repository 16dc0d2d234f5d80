package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.bridge.kafka.EventLog;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An upgrade of a running bridge: bridges before the issues and pulls lists fingerprinted openings
 * as {@code issue o/r#1 opened @<updated_at>}; what they wrote in the last 24 h is still in the
 * dedupe window after the upgrade and must keep its copies out. The older bridge's records are
 * written here as it wrote them (the event, its id header, its fingerprint header).
 */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(90)
class FingerprintUpgradeTest {
    private static final AtomicInteger REPOS = new AtomicInteger();
    private static final String SECRET = "upgrade-secret";

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
        repo = "octo/upgraded-" + REPOS.incrementAndGet();
        github.createRepo(repo);
    }

    @Test
    void aWebhookTheOlderBridgeStoredKeepsItsFeedCopyOutAfterTheUpgrade() throws Exception {
        github.createIssue(repo, "opened before the upgrade", "body", "alice");
        JsonNode issue = feed().get(0).at("/payload/issue");
        writeAsTheOlderBridge(
                "delivery-before-upgrade",
                EventSource.WEBHOOK,
                issue,
                "fingerprint:webhook issue "
                        + repo
                        + "#1 opened @"
                        + issue.path("updated_at").asText());

        try (IngestBridge upgraded = startPolling()) {
            assertThat(upgraded.pollNow()).isZero();
        }
        assertThat(eventsOfRepo())
                .singleElement()
                .extracting(GitHubEvent::eventId)
                .isEqualTo("delivery-before-upgrade");
    }

    @Test
    void aFeedEntryTheOlderBridgePolledMakesItsWebhookADuplicateAfterTheUpgrade(Vertx vertx)
            throws Exception {
        github.createIssue(repo, "polled before the upgrade", "body", "alice");
        JsonNode entry = feed().get(0);
        JsonNode issue = entry.at("/payload/issue");
        writeAsTheOlderBridge(
                "github-event-" + entry.path("id").asText(),
                EventSource.POLL,
                issue,
                "fingerprint:poll issue "
                        + repo
                        + "#1 opened @"
                        + issue.path("updated_at").asText());

        try (IngestBridge upgraded = IngestBridge.start(config(null));
                WebhookClient client = new WebhookClient(vertx, upgraded.port())) {
            WebhookClient.Reply reply = client.post(opened(issue));

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().getString("outcome")).isEqualTo("duplicate");
        }
        assertThat(eventsOfRepo())
                .singleElement()
                .extracting(GitHubEvent::source)
                .isEqualTo(EventSource.POLL);
    }

    @Test
    void anUpgradedBridgeRecordsTheOlderFormLastWhereAnOlderReplicaReadsIt(Vertx vertx)
            throws Exception {
        github.createIssue(repo, "during a rolling upgrade", "body", "alice");
        JsonNode issue = feed().get(0).at("/payload/issue");
        try (IngestBridge upgraded = IngestBridge.start(config(null));
                WebhookClient client = new WebhookClient(vertx, upgraded.port())) {
            assertThat(client.post(opened(issue)).status()).isEqualTo(202);
        }
        ConsumerRecord<String, GitHubEvent> record =
                TopicContents.all(kafka, Topics.EVENTS).stream()
                        .filter(r -> repo.equals(r.value().repo()))
                        .findFirst()
                        .orElseThrow();
        List<String> fingerprints =
                java.util.stream.StreamSupport.stream(
                                record.headers().headers(EventLog.FINGERPRINT_HEADER).spliterator(),
                                false)
                        .map(h -> new String(h.value(), StandardCharsets.UTF_8))
                        .toList();
        assertThat(fingerprints)
                .containsExactly(
                        "fingerprint:webhook issue " + repo + "#1 opened",
                        "fingerprint:webhook issue "
                                + repo
                                + "#1 opened @"
                                + issue.path("updated_at").asText());
        assertThat(
                        new String(
                                record.headers().lastHeader(EventLog.FINGERPRINT_HEADER).value(),
                                StandardCharsets.UTF_8))
                .endsWith("@" + issue.path("updated_at").asText());
    }

    private BridgeConfig config(PollConfig poll) {
        BridgeConfig config = TestBridges.config(kafka, SECRET);
        return poll == null ? config : config.withPoll(poll);
    }

    private IngestBridge startPolling() {
        return TestBridges.startPolling(
                config(TestBridges.polling(github, repo, Duration.ofHours(1), null)), github, repo);
    }

    /** A record exactly as a bridge before the lists wrote it. */
    private void writeAsTheOlderBridge(
            String eventId, EventSource source, JsonNode issue, String oldFingerprint)
            throws Exception {
        ObjectNode payload = Json.mapper().createObjectNode();
        payload.put("action", "opened");
        payload.set("issue", issue);
        payload.putObject("repository").put("full_name", repo);
        Instant now = Instant.now();
        GitHubEvent event =
                new GitHubEvent(
                        eventId, source, "issues", "opened", repo, null, null, now, now, payload);
        EarlierBridge.wrote(kafka, event, null, oldFingerprint);
    }

    private WebhookDelivery opened(JsonNode issue) {
        return GitHubSide.issuesWebhook(repo, "opened", issue, SECRET);
    }

    private JsonNode feed() throws Exception {
        return GitHubSide.get(github, "/repos/" + repo + "/events");
    }

    private List<GitHubEvent> eventsOfRepo() {
        return TopicContents.eventsOf(kafka, repo);
    }
}
