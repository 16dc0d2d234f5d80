package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.bridge.webhook.EventNormalizer;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Gap fill against the simulator's hook deliveries API, whose redeliveries really post the original
 * signed delivery to the bridge again, as GitHub does.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class GapFillTest {
    private static final String SECRET = "gap-fill-secret";
    private static final String REPO = "octo/widgets";

    @TempDir Path dir;
    private EmbeddedKafkaBroker kafka;
    private GitHubSimulator github;
    private int bridgePort;
    private long hook;

    @BeforeEach
    void start() throws Exception {
        kafka = EmbeddedKafkaBroker.start();
        kafka.createTopics(Topics.all());
        github = GitHubSimulator.start();
        github.createRepo(REPO);
        bridgePort = freePort();
        hook =
                github.createHook(
                        REPO, "http://127.0.0.1:" + bridgePort + "/webhooks/github", SECRET);
    }

    @AfterEach
    void stop() {
        github.close();
        kafka.close();
    }

    private BridgeConfig config() {
        return TestBridges.config(kafka, SECRET).withPort(bridgePort);
    }

    private BridgeConfig withHook(BridgeConfig config) {
        return config.withPoll(
                new PollConfig(
                        github.baseUrl(),
                        GitHubSimulator.DEFAULT_TOKEN,
                        List.of(),
                        Duration.ofHours(1),
                        null,
                        List.of(REPO + "#" + hook)));
    }

    private static String body(String event, String action) {
        return WebhookExamples.first(event, action).json();
    }

    @Test
    void failedDeliveriesNotInKafkaAreRedeliveredOnceFromAnyPageAndOthersAreLeftAlone(Vertx vertx)
            throws Exception {
        Instant now = Instant.now();
        // GitHub tried while no bridge listened: lost, and the oldest, so on the second page
        GitHubSimulator.HookDeliveryView lost =
                github.deliver(hook, "issues", body("issues", "opened"));
        assertThat(lost.statusCode()).isZero();
        // failed, then redelivered by hand with success
        github.recordDelivery(
                hook, "retried-by-hand", "issues", body("issues", "edited"), 503, now);
        github.recordDelivery(
                hook, "retried-by-hand", "issues", body("issues", "edited"), 202, now);
        // stored by the bridge, but GitHub gave up waiting and lists it as failed
        WebhookDelivery storedButTimedOut =
                WebhookDelivery.builder()
                        .example(WebhookExamples.first("issues", "labeled"))
                        .secret(SECRET)
                        .build();
        try (IngestBridge earlier = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, earlier.port())) {
            assertThat(client.post(storedButTimedOut).status()).isEqualTo(202);
        }
        github.recordDelivery(
                hook,
                storedButTimedOut.deliveryId(),
                "issues",
                new String(storedButTimedOut.body(), StandardCharsets.UTF_8),
                0,
                now);
        // stored 30 h ago (the window no longer knows it), answered too late
        String storedLongAgo = "stored-30h-ago";
        writtenAt(storedLongAgo, now.minus(Duration.ofHours(30)));
        github.recordDelivery(
                hook,
                storedLongAgo,
                "issues",
                body("issues", "reopened"),
                503,
                now.minus(Duration.ofHours(30)));
        for (int i = 0; i < 150; i++) {
            github.recordDelivery(hook, "fine-" + i, "issues", body("issues", "opened"), 202, now);
        }

        try (IngestBridge bridge = IngestBridge.start(withHook(config()));
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            // the bridge fills gaps as it starts
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> eventIds().contains(lost.guid()));

            assertThat(redelivered()).containsExactly(lost.guid());
            assertThat(bridge.gapFill()).as("nothing left to fill").isZero();
            // two fills (at start, and now): the 30 h old one is reported by each
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () ->
                                    assertThat(client.get("/metrics").body())
                                            .contains(
                                                    "repostream_bridge_gap_fill_deliveries_total{outcome=\"too_old\"}"
                                                            + " 2.0")
                                            .contains(
                                                    "repostream_bridge_gap_fill_deliveries_total{outcome=\"redelivered\"}"
                                                            + " 1.0")
                                            .contains(
                                                    "repostream_bridge_gap_fill_deliveries_total{outcome=\"in_kafka\"}"
                                                            + " 2.0"));
        }
        assertThat(eventIds())
                .containsOnlyOnce(lost.guid(), storedButTimedOut.deliveryId(), storedLongAgo)
                .doesNotContain("retried-by-hand");
        assertThat(redelivered()).containsExactly(lost.guid());
    }

    @Test
    void theGapFillCommandRedeliversOnceForTheRunningBridgeAndSaysWhatItDid(Vertx vertx)
            throws Exception {
        GitHubSimulator.HookDeliveryView lost =
                github.deliver(hook, "issues", body("issues", "opened"));
        Path token = dir.resolve("token");
        Files.writeString(token, GitHubSimulator.DEFAULT_TOKEN);
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(
                file,
                """
                kafka:
                  bootstrap_servers: %s
                poll:
                  api_url: %s
                  token_file: %s
                  hooks: ["%s#%d"]
                """
                        .formatted(kafka.bootstrapServers(), github.baseUrl(), token, REPO, hook));

        try (IngestBridge running = IngestBridge.start(config())) {
            StringWriter out = new StringWriter();
            CommandLine cli = BridgeMain.commandLine(new BridgeMain(Map.of()));
            cli.setOut(new PrintWriter(out));

            int exit = cli.execute("--config", file.toString(), "gap-fill");

            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString()).contains("asked GitHub to redeliver 1 deliveries");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> eventIds().contains(lost.guid()));

            StringWriter again = new StringWriter();
            CommandLine second = BridgeMain.commandLine(new BridgeMain(Map.of()));
            second.setOut(new PrintWriter(again));
            assertThat(second.execute("--config", file.toString(), "gap-fill")).isZero();
            assertThat(again.toString()).contains("redeliver 0 deliveries");
        }
        assertThat(eventIds()).containsOnlyOnce(lost.guid());
    }

    @Test
    void theGapFillCommandHasHelp() {
        StringWriter out = new StringWriter();
        CommandLine cli = BridgeMain.commandLine(new BridgeMain(Map.of()));
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("gap-fill", "--help")).isZero();
        assertThat(out.toString())
                .contains("gap-fill")
                .contains("dedupe window")
                .contains("poll.hooks");
    }

    private List<String> redelivered() {
        return github.hookDeliveries(hook).stream()
                .filter(GitHubSimulator.HookDeliveryView::redelivery)
                .map(GitHubSimulator.HookDeliveryView::guid)
                .toList();
    }

    /** A record an earlier bridge wrote at {@code at}, under delivery id {@code id}. */
    private void writtenAt(String id, Instant at) throws Exception {
        GitHubEvent event =
                EventNormalizer.normalize(
                        id,
                        "issues",
                        EventNormalizer.parse(
                                body("issues", "reopened").getBytes(StandardCharsets.UTF_8)),
                        at);
        EarlierBridge.wrote(kafka, event, at);
    }

    private List<String> eventIds() {
        return TopicContents.values(kafka, Topics.EVENTS).stream()
                .map(GitHubEvent::eventId)
                .toList();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
