package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A redelivered event (same X-GitHub-Delivery) is answered 200 and written once. */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(90)
class DeliveryDedupeTest {
    private static final String SECRET = "dedupe-secret";

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        kafka = broker;
    }

    private static BridgeConfig config() {
        return BridgeConfig.defaults()
                .withKafkaBootstrapServers(kafka.bootstrapServers())
                .withWebhookSecret(SECRET);
    }

    private static WebhookDelivery delivery() {
        return WebhookDelivery.builder()
                .example(WebhookExamples.first("workflow_run", "completed"))
                .secret(SECRET)
                .build();
    }

    @Test
    void aRedeliveryIsAnswered200AndWrittenOnce(Vertx vertx) {
        WebhookDelivery delivery = delivery();
        try (IngestBridge bridge = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            assertThat(client.post(delivery).status()).isEqualTo(202);

            WebhookClient.Reply again = client.post(delivery);

            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().getString("outcome")).isEqualTo("duplicate");
            assertThat(client.get("/metrics").body())
                    .contains("repostream_bridge_dedupe_hits_total 1.0");
        }
        assertThat(copiesOf(delivery.deliveryId())).isEqualTo(1);
    }

    @Test
    void theDedupeWindowSurvivesARestartOfTheBridge(Vertx vertx) {
        WebhookDelivery delivery = delivery();
        try (IngestBridge bridge = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            assertThat(client.post(delivery).status()).isEqualTo(202);
        }

        try (IngestBridge restarted = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, restarted.port())) {
            assertThat(client.post(delivery).status()).isEqualTo(200);
        }
        assertThat(copiesOf(delivery.deliveryId())).isEqualTo(1);
    }

    @Test
    void anEventWrittenByAnotherProducerWithoutTheIdHeaderStillCountsAsSeen(Vertx vertx)
            throws Exception {
        WebhookDelivery delivery = delivery();
        GitHubEvent event =
                io.repostream.bridge.webhook.EventNormalizer.normalize(
                        delivery.deliveryId(),
                        "workflow_run",
                        io.repostream.bridge.webhook.EventNormalizer.parse(delivery.body()),
                        java.time.Instant.now());
        try (var producer =
                new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                        kafka.producerProps(),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(
                            new org.apache.kafka.clients.producer.ProducerRecord<>(
                                    Topics.EVENTS.name(),
                                    event.key(),
                                    Topics.EVENTS.valueCodec().encode(event)))
                    .get();
        }

        try (IngestBridge bridge = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            WebhookClient.Reply reply = client.post(delivery);

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().getString("outcome")).isEqualTo("duplicate");
        }
        assertThat(copiesOf(delivery.deliveryId())).isEqualTo(1);
    }

    @Test
    void aReplicaLearnsWhatAnotherReplicaWrote(Vertx vertx) {
        WebhookDelivery delivery = delivery();
        try (IngestBridge first = IngestBridge.start(config());
                IngestBridge second = IngestBridge.start(config());
                WebhookClient toFirst = new WebhookClient(vertx, first.port());
                WebhookClient toSecond = new WebhookClient(vertx, second.port())) {
            double known = toSecond.metric("repostream_bridge_dedupe_ids");
            assertThat(toFirst.post(delivery).status()).isEqualTo(202);

            // The second replica learns the write from the topic, within its fetch wait. Posting
            // to it before then would write a second copy, so wait without posting.
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> toSecond.metric("repostream_bridge_dedupe_ids") > known);
            WebhookClient.Reply reply = toSecond.post(delivery);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().getString("outcome")).isEqualTo("duplicate");
        }
        assertThat(copiesOf(delivery.deliveryId())).isEqualTo(1);
    }

    @Test
    void concurrentCopiesOfOneDeliveryAreWrittenOnceAndAllAnswered2xx(Vertx vertx) {
        WebhookDelivery delivery = delivery();
        try (IngestBridge bridge = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            List<Future<WebhookClient.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                replies.add(client.postAsync(delivery.headers(), Buffer.buffer(delivery.body())));
            }
            WebhookClient.await(Future.all(replies));

            assertThat(replies).extracting(r -> r.result().status()).containsOnly(200, 202);
            assertThat(replies).extracting(r -> r.result().status()).containsOnlyOnce(202);
        }
        assertThat(copiesOf(delivery.deliveryId())).isEqualTo(1);
    }

    @Test
    void withTheWindowTurnedOffEveryCopyIsWritten(Vertx vertx) {
        WebhookDelivery delivery = delivery();
        try (IngestBridge bridge =
                        IngestBridge.start(config().withDedupeWindow(java.time.Duration.ZERO));
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            assertThat(client.post(delivery).status()).isEqualTo(202);
            assertThat(client.post(delivery).status()).isEqualTo(202);
        }
        assertThat(copiesOf(delivery.deliveryId())).isEqualTo(2);
    }

    private static long copiesOf(String id) {
        return TopicContents.values(kafka, Topics.EVENTS).stream()
                .map(GitHubEvent::eventId)
                .filter(id::equals)
                .count();
    }
}
