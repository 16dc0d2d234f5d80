package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(60)
class WebhookIngestTest {
    private static final String SECRET = "it's a secret to everybody";

    private static EmbeddedKafkaBroker kafka;
    private static IngestBridge bridge;
    private WebhookClient client;

    @BeforeAll
    static void startBridge(EmbeddedKafkaBroker broker) {
        kafka = broker;
        bridge =
                IngestBridge.start(
                        BridgeConfig.defaults()
                                .withKafkaBootstrapServers(kafka.bootstrapServers())
                                .withWebhookSecret(SECRET));
    }

    @AfterAll
    static void stopBridge() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @BeforeEach
    void connect(Vertx vertx) {
        client = new WebhookClient(vertx, bridge.port());
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void signedIssuesOpenedExampleEndsUpOnTheEventsTopicWithItsPayloadUnchanged() throws Exception {
        WebhookExample example = WebhookExamples.first("issues", "opened");
        WebhookDelivery delivery =
                WebhookDelivery.builder().example(example).secret(SECRET).build();
        Instant before = Instant.now();

        WebhookClient.Reply reply = client.post(delivery);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.json().getString("event_id")).isEqualTo(delivery.deliveryId());
        GitHubEvent event = eventWithId(delivery.deliveryId());
        assertThat(event.payload()).isEqualTo(Json.mapper().readTree(example.json()));
        assertThat(event.source()).isEqualTo(EventSource.WEBHOOK);
        assertThat(event.type()).isEqualTo("issues");
        assertThat(event.action()).isEqualTo("opened");
        String fullName = event.payload().at("/repository/full_name").asText();
        assertThat(event.repo()).isEqualTo(fullName.toLowerCase(java.util.Locale.ROOT));
        assertThat(event.occurredAt())
                .isEqualTo(Instant.parse(event.payload().at("/issue/updated_at").asText()));
        assertThat(event.receivedAt()).isBetween(before, Instant.now());
    }

    @Test
    void theRecordIsKeyedByTheLowercaseRepository() {
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .example(WebhookExamples.first("pull_request", "opened"))
                        .secret(SECRET)
                        .build();

        assertThat(client.post(delivery).status()).isEqualTo(202);

        ConsumerRecord<String, GitHubEvent> record = recordWithId(delivery.deliveryId());
        assertThat(record.key()).isEqualTo(record.value().repo()).contains("/");
        assertThat(record.key()).isLowerCase();
    }

    @Test
    void aBadSignatureIsRefusedWith401AndNothingReachesKafka() {
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .example(WebhookExamples.first("issues", "opened"))
                        .secret("not the secret")
                        .build();

        WebhookClient.Reply reply = client.post(delivery);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.message()).contains("signature does not match");
        assertNothingInKafkaFor(delivery.deliveryId());
    }

    @Test
    void aMissingSignatureIsRefusedWith401AndNothingReachesKafka() {
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .example(WebhookExamples.first("issues", "opened"))
                        .build();

        WebhookClient.Reply reply = client.post(delivery);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.message()).contains("missing X-Hub-Signature-256");
        assertNothingInKafkaFor(delivery.deliveryId());
    }

    @Test
    void aSha1OnlySignatureIsRefusedWhenSha1IsNotAllowed() {
        WebhookDelivery signed =
                WebhookDelivery.builder()
                        .example(WebhookExamples.first("issues", "opened"))
                        .secret(SECRET)
                        .build();
        Map<String, String> headers = new LinkedHashMap<>(signed.headers());
        headers.remove("X-Hub-Signature-256");

        WebhookClient.Reply reply =
                client.post(headers, io.vertx.core.buffer.Buffer.buffer(signed.body()));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.message()).contains("SHA-1");
        assertNothingInKafkaFor(signed.deliveryId());
    }

    @Test
    void aSignatureOverADifferentBodyIsRefused() {
        WebhookDelivery signed =
                WebhookDelivery.builder()
                        .example(WebhookExamples.first("issues", "opened"))
                        .secret(SECRET)
                        .build();
        byte[] tampered =
                new String(signed.body(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("\"opened\"", "\"closed\"")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        WebhookClient.Reply reply =
                client.post(signed.headers(), io.vertx.core.buffer.Buffer.buffer(tampered));

        assertThat(reply.status()).isEqualTo(401);
        assertNothingInKafkaFor(signed.deliveryId());
    }

    private GitHubEvent eventWithId(String id) {
        return recordWithId(id).value();
    }

    private ConsumerRecord<String, GitHubEvent> recordWithId(String id) {
        List<ConsumerRecord<String, GitHubEvent>> matching =
                TopicContents.all(kafka, Topics.EVENTS).stream()
                        .filter(r -> r.value().eventId().equals(id))
                        .toList();
        assertThat(matching).as("records with event id %s", id).hasSize(1);
        return matching.get(0);
    }

    private void assertNothingInKafkaFor(String id) {
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .doesNotContain(id);
        assertThat(TopicContents.values(kafka, Topics.EVENTS_DLQ))
                .extracting(io.repostream.schemas.DeadLetter::deliveryId)
                .doesNotContain(id);
    }
}
