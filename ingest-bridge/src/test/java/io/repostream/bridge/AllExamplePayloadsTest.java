package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.bridge.webhook.EventTime;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every documented GitHub webhook payload goes through the real bridge into the real broker. */
@ExtendWith(VertxExtension.class)
class AllExamplePayloadsTest {
    private static final String SECRET = "all-examples-secret";

    @Test
    @Timeout(120)
    void all329ExamplePayloadsOf58EventTypesAreStoredNormalisedWithTheirPayloadUnchanged(
            Vertx vertx) throws Exception {
        List<WebhookExample> examples = WebhookExamples.all();
        assertThat(examples).hasSize(329);
        assertThat(WebhookExamples.events()).hasSize(58);
        Map<String, WebhookExample> byDelivery = new HashMap<>();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            kafka.createTopics(Topics.all());
            List<ConsumerRecord<String, GitHubEvent>> records;
            try (IngestBridge bridge =
                            IngestBridge.start(
                                    BridgeConfig.defaults()
                                            .withKafkaBootstrapServers(kafka.bootstrapServers())
                                            .withWebhookSecret(SECRET));
                    WebhookClient client = new WebhookClient(vertx, bridge.port())) {
                List<Future<WebhookClient.Reply>> replies = new ArrayList<>();
                for (WebhookExample example : examples) {
                    WebhookDelivery delivery =
                            WebhookDelivery.builder().example(example).secret(SECRET).build();
                    byDelivery.put(delivery.deliveryId(), example);
                    replies.add(
                            client.postAsync(delivery.headers(), Buffer.buffer(delivery.body())));
                }
                Future.all(replies).await(60, TimeUnit.SECONDS);
                for (int i = 0; i < replies.size(); i++) {
                    WebhookClient.Reply reply = replies.get(i).result();
                    assertThat(reply.status()).as("%s: %s", examples.get(i), reply).isEqualTo(202);
                }
                records =
                        kafka.consume(
                                Topics.EVENTS, examples.size(), java.time.Duration.ofSeconds(30));
            }

            assertThat(records).hasSize(examples.size());
            SoftAssertions softly = new SoftAssertions();
            Set<String> typesWithPayloadTime = new TreeSet<>();
            for (ConsumerRecord<String, GitHubEvent> record : records) {
                GitHubEvent event = record.value();
                WebhookExample example = byDelivery.get(event.eventId());
                JsonNode original = Json.mapper().readTree(example.json());
                String what = example.toString();
                softly.assertThat(event.payload()).as(what).isEqualTo(original);
                softly.assertThat(event.type()).as(what).isEqualTo(example.event());
                softly.assertThat(event.action()).as(what).isEqualTo(textAt(original, "/action"));
                String fullName = textAt(original, "/repository/full_name");
                softly.assertThat(event.repo())
                        .as(what)
                        .isEqualTo(fullName == null ? null : fullName.toLowerCase(Locale.ROOT));
                JsonNode installation = original.at("/installation/id");
                softly.assertThat(event.installationId())
                        .as(what)
                        .isEqualTo(installation.isMissingNode() ? null : installation.asLong());
                softly.assertThat(record.key()).as(what).isEqualTo(event.key());
                if (!event.occurredAt().equals(event.receivedAt())) {
                    typesWithPayloadTime.add(event.type());
                }
            }
            softly.assertAll();
            // Every type whose payload carries an event time got it from the payload.
            assertThat(typesWithPayloadTime)
                    .isEqualTo(new TreeSet<>(EventTime.typesWithEventTime()));
        }
    }

    private static String textAt(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer);
        return value.isTextual() ? value.asText() : null;
    }
}
