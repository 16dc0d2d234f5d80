package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull mode against the simulator's {@code GET /app/hook/deliveries} (the app's JWT only) and a
 * real broker: every delivery the app's webhook made is written once, as a received webhook would
 * be, whether the bridge was down, also received it, restarted, or was refused or limited.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(120)
class AppDeliveryPullTest {
    private static final AtomicInteger APPS = new AtomicInteger(5200);
    private static final String SECRET = "pull-test-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KeyPair keys;
    @TempDir Path dir;
    private long appId;
    private long installationId;
    private String repo;
    private Path keyFile;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) throws Exception {
        kafka = broker;
        github = simulator;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    @BeforeEach
    void newApp() throws Exception {
        appId = APPS.incrementAndGet();
        installationId = appId * 10;
        repo = "octo/pull-" + appId;
        github.createRepo(repo);
        keyFile = dir.resolve("app.pem");
        Files.writeString(
                keyFile,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
    }

    private void registerApp() {
        github.registerApp(appId, keys.getPublic());
        github.installApp(appId, installationId, repo);
    }

    /** Pulling every hour (so only the start-up pull and {@code pullNow} run), cursor kept. */
    private BridgeConfig pulling() {
        return TestBridges.config(kafka, SECRET)
                .withPoll(
                        new PollConfig(
                                github.baseUrl(),
                                null,
                                List.of(),
                                Duration.ofHours(1),
                                dir.resolve("cursors.json"),
                                List.of(),
                                new GitHubApp(appId, installationId, keyFile)))
                .withPull(new PullConfig(true, Duration.ofHours(1), Duration.ofHours(1)));
    }

    private String issueOpened(int number) {
        return "{\"action\":\"opened\",\"issue\":{\"number\":"
                + number
                + ",\"title\":\"Crash "
                + number
                + "\",\"state\":\"open\",\"labels\":[],\"user\":{\"login\":\"alice\"},"
                + "\"updated_at\":\"2026-12-07T10:00:00Z\"},\"repository\":{\"id\":1,"
                + "\"full_name\":\""
                + repo
                + "\",\"owner\":{\"login\":\"octo\"}},\"installation\":{\"id\":"
                + installationId
                + "},\"sender\":{\"login\":\"alice\"}}";
    }

    private List<GitHubEvent> events() {
        return TopicContents.eventsOf(kafka, repo);
    }

    private List<String> eventIds() {
        return events().stream().map(GitHubEvent::eventId).toList();
    }

    private static String metrics(IngestBridge bridge) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:" + bridge.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Starts the bridge and waits for the pull it makes as it starts to have listed. */
    private IngestBridge startAndAwaitFirstPull() {
        long listed = listRequests();
        IngestBridge bridge = IngestBridge.start(pulling());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> listRequests() > listed);
        return bridge;
    }

    private long listRequests() {
        return github.requests().stream()
                .filter(r -> r.startsWith("GET /app/hook/deliveries?"))
                .count();
    }

    private List<String> detailRequests() {
        return github.requests().stream()
                .filter(r -> r.startsWith("GET /app/hook/deliveries/"))
                .toList();
    }

    @Test
    void deliveriesMadeWhileTheBridgeWasDownAreAllWrittenOnceAfterItStarts() throws Exception {
        registerApp();
        // GitHub cannot reach the bridge (no URL: behind NAT), over more than one page
        long hook = github.setAppWebhook(appId, null, SECRET);
        github.recordDelivery(
                hook,
                "too-old-for-the-first-pull",
                "issues",
                issueOpened(999),
                0,
                Instant.now().minus(Duration.ofHours(2)));
        List<String> guids = new ArrayList<>();
        for (int i = 1; i <= 105; i++) {
            guids.add(github.deliverAsApp(appId, "issues", issueOpened(i)).guid());
        }
        GitHubSimulator.HookDeliveryView first = github.hookDeliveries(hook).get(1);
        assertThat(github.redeliverAsApp(appId, first.id()).redelivery()).isTrue();

        try (IngestBridge bridge = IngestBridge.start(pulling())) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> events().size() >= 105);
            assertThat(bridge.pullNow()).as("nothing new").isZero();

            assertThat(eventIds()).containsExactlyInAnyOrderElementsOf(guids);
            GitHubEvent one = events().get(0);
            assertThat(one.source()).isEqualTo(EventSource.WEBHOOK);
            assertThat(one.type()).isEqualTo("issues");
            assertThat(one.action()).isEqualTo("opened");
            assertThat(one.installationId()).isEqualTo(installationId);
            int number = one.payload().at("/issue/number").asInt();
            assertThat(one.payload()).isEqualTo(Json.mapper().readTree(issueOpened(number)));
            assertThat(metrics(bridge))
                    .contains(
                            "repostream_bridge_pulled_deliveries_total{outcome=\"written\"} 105.0")
                    .contains("repostream_bridge_pulled_deliveries_total{outcome=\"pulled\"} 105.0")
                    .doesNotContain("repostream_bridge_pull_last_success_timestamp_seconds 0.0");
        }
    }

    @Test
    void aDeliveryAlsoPostedAsASignedWebhookIsWrittenOnce() throws Exception {
        registerApp();
        int details = detailRequests().size();
        try (IngestBridge bridge = startAndAwaitFirstPull()) {
            github.setAppWebhook(
                    appId, "http://127.0.0.1:" + bridge.port() + "/webhooks/github", SECRET);
            GitHubSimulator.HookDeliveryView posted =
                    github.deliverAsApp(appId, "issues", issueOpened(1));
            assertThat(posted.statusCode()).isEqualTo(202);
            // and GitHub retries it (same guid), as after a timeout
            assertThat(github.redeliverAsApp(appId, posted.id()).statusCode()).isEqualTo(200);

            assertThat(bridge.pullNow()).isZero();
            assertThat(eventIds()).containsExactly(posted.guid());
            assertThat(metrics(bridge))
                    .contains(
                            "repostream_bridge_pulled_deliveries_total{outcome=\"duplicate\"} 1.0");
            assertThat(detailRequests()).as("a delivery in Kafka is not fetched").hasSize(details);
        }
    }

    @Test
    void aRestartResumesFromTheCursor() throws Exception {
        registerApp();
        github.setAppWebhook(appId, null, SECRET);
        String before = github.deliverAsApp(appId, "issues", issueOpened(1)).guid();
        try (IngestBridge bridge = IngestBridge.start(pulling())) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> events().size() == 1);
        }
        String whileDown = github.deliverAsApp(appId, "issues", issueOpened(2)).guid();
        int detailsBefore = detailRequests().size();

        try (IngestBridge bridge = IngestBridge.start(pulling())) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> events().size() == 2);
            assertThat(bridge.pullNow()).isZero();
        }

        assertThat(eventIds()).containsExactly(before, whileDown);
        assertThat(detailRequests().subList(detailsBefore, detailRequests().size()))
                .as("only the delivery made while the bridge was down is fetched again")
                .hasSize(1);
        assertThat(Files.readString(dir.resolve("cursors.json"))).contains("app/hook/deliveries");
    }

    @Test
    void aRefusedOrLimitedPullLosesNothingAndIsRetriedLater() throws Exception {
        // the app is not known to GitHub yet (a wrong app id, fixed later): 401
        try (IngestBridge bridge = startAndAwaitFirstPull()) {
            assertThat(bridge.pullNow()).isZero();
            registerApp();
            github.setAppWebhook(appId, null, SECRET);
            List<GitHubSimulator.HookDeliveryView> made = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                made.add(github.deliverAsApp(appId, "issues", issueOpened(i)));
            }
            List<String> guids =
                    new ArrayList<>(
                            made.stream().map(GitHubSimulator.HookDeliveryView::guid).toList());
            // a secondary rate limit on the second delivery's read, then a server error
            github.limitNext(403, 1, "/app/hook/deliveries/" + made.get(1).id());
            assertThat(bridge.pullNow()).as("stopped by the limit after the first").isEqualTo(1);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> bridge.pullNow() >= 0 && events().size() == 3);
            github.setFailNext(502, 1);
            assertThat(bridge.pullNow()).isZero();
            String last = github.deliverAsApp(appId, "issues", issueOpened(4)).guid();
            guids.add(last);
            assertThat(bridge.pullNow()).isEqualTo(1);

            assertThat(eventIds()).containsExactlyElementsOf(guids);
            assertThat(metrics(bridge))
                    .contains("repostream_bridge_poll_requests_total{status=\"401\"}")
                    .contains("repostream_bridge_poll_requests_total{status=\"403\"} 1.0")
                    .contains("repostream_bridge_poll_requests_total{status=\"502\"} 1.0");
        }
    }
}
