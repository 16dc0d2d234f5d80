package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Metrics, health, and the promise that no secret is ever logged or sent back. */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(90)
class OperationsTest {
    private static final String SECRET = "Sup3r-S3cret-webhook-value";
    private static final String ORG_SECRET = "0rg-level-secret-value";
    private static final String KAFKA_PASSWORD = "kafka-password-value";

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        kafka = broker;
    }

    private static BridgeConfig config() {
        return BridgeConfig.defaults()
                .withKafkaBootstrapServers(kafka.bootstrapServers())
                .withSecrets(WebhookSecrets.global(SECRET).withOrg("some-org", ORG_SECRET))
                .withEventLoops(1);
    }

    @Test
    void metricsCountDeliveriesByEventAndOutcomeSignatureFailuresAndKafkaLatency(Vertx vertx) {
        try (IngestBridge bridge = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            client.post(signed("issues", "opened", SECRET));
            client.post(signed("issues", "opened", SECRET));
            client.post(signed("pull_request", "opened", "wrong"));

            WebhookClient.Reply metrics = client.get("/metrics");

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.headers().get("Content-Type")).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains(
                            "repostream_bridge_deliveries_total{event=\"issues\",outcome=\"accepted\"} 2.0")
                    .contains(
                            "repostream_bridge_deliveries_total{event=\"pull_request\",outcome=\"unauthorized\"} 1.0")
                    .contains("repostream_bridge_signature_failures_total{reason=\"mismatch\"} 1.0")
                    .contains(
                            "repostream_bridge_kafka_write_seconds_count{result=\"ok\",topic=\"github.events.v1\"} 2")
                    .contains("repostream_bridge_in_flight_requests 0.0");
            // both writes are remembered, with whatever earlier tests of this broker wrote
            assertThat(client.metric("repostream_bridge_dedupe_ids")).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void healthAndReadinessAnswerWhileKafkaIsUp(Vertx vertx) {
        try (IngestBridge bridge = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            assertThat(client.get("/healthz").status()).isEqualTo(200);
            WebhookClient.Reply ready = client.get("/readyz");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().getString("status")).isEqualTo("ready");
        }
    }

    @Test
    void noSecretEverAppearsInLogsErrorBodiesMetricsOrDeadLetters(Vertx vertx) {
        List<String> seen = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            BridgeConfig config =
                    config().withKafkaProperties(
                                    Map.of(
                                            "sasl.jaas.config",
                                            "org.apache.kafka.common.security.plain.PlainLoginModule"
                                                    + " required username=\"u\" password=\""
                                                    + KAFKA_PASSWORD
                                                    + "\";"));
            try (IngestBridge bridge = IngestBridge.start(config);
                    WebhookClient client = new WebhookClient(vertx, bridge.port())) {
                WebhookDelivery good = signed("issues", "opened", SECRET);
                seen.add(client.post(good).body());
                seen.add(client.post(good).body()); // duplicate
                seen.add(client.post(signed("issues", "opened", "not-it")).body());
                seen.add(client.post(signed("issues", "opened", null)).body());
                WebhookDelivery malformed =
                        WebhookDelivery.builder()
                                .event("issues")
                                .body("{oops")
                                .secret(SECRET)
                                .build();
                seen.add(client.post(malformed).body());
                Map<String, String> sha1Only = new LinkedHashMap<>(good.headers());
                sha1Only.remove("X-Hub-Signature-256");
                seen.add(client.post(sha1Only, Buffer.buffer(good.body())).body());
                Map<String, String> wrongType = new LinkedHashMap<>(good.headers());
                wrongType.put("Content-Type", "text/xml");
                seen.add(client.post(wrongType, Buffer.buffer(good.body())).body());
                seen.add(client.get("/metrics").body());
                seen.add(client.get("/readyz").body());
                seen.add(bridge.config().toString());
            }
            TopicContents.values(kafka, Topics.EVENTS_DLQ).forEach(d -> seen.add(d.toString()));
            seen.addAll(logs.lines());
            // The capture works: the bridge's own refusals and its start line are in it.
            assertThat(logs.lines())
                    .anyMatch(line -> line.contains("refused delivery"))
                    .anyMatch(line -> line.contains("ingest bridge listening"));
        }

        assertThat(seen)
                .noneMatch(text -> text.contains(SECRET))
                .noneMatch(text -> text.contains(ORG_SECRET))
                .noneMatch(text -> text.contains(KAFKA_PASSWORD));
    }

    private static WebhookDelivery signed(String event, String action, String secret) {
        return WebhookDelivery.builder()
                .example(WebhookExamples.first(event, action))
                .secret(secret)
                .build();
    }
}
