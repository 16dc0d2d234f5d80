package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.bridge.config.BridgeConfigLoader;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.KafkaClientProperties;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka cluster that wants credentials: the bridge takes them from the file named by {@code
 * REPOSTREAM_KAFKA_PROPERTIES_FILE} (a mounted Secret), on top of the settings file's non-secret
 * {@code kafka.properties}, and writes through a SASL/PLAIN listener.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class KafkaSecurityTest {
    private static final String SECRET = "kafka-security-webhook-secret";
    private static final String PASSWORD = "bridge-kafka-password";

    @TempDir static Path dir;

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaBroker.startWithSaslPlain("repostream", PASSWORD);
        kafka.createTopics(Topics.all());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void writesThroughAnAuthenticatedListenerWithCredentialsFromAFile(Vertx vertx)
            throws Exception {
        Path settings = dir.resolve("bridge.yaml");
        Files.writeString(
                settings,
                "kafka:\n"
                        + "  bootstrap_servers: "
                        + kafka.saslBootstrapServers()
                        + "\n"
                        + "  properties:\n"
                        + "    client.id: secured-bridge\n");
        Path credentials =
                kafka.writeSaslClientProperties(dir.resolve("client.properties"), PASSWORD);
        BridgeConfig config =
                BridgeConfigLoader.load(
                                settings,
                                Map.of(
                                        KafkaClientProperties.ENV_FILE,
                                        credentials.toString(),
                                        BridgeConfigLoader.ENV_SECRET,
                                        SECRET))
                        .withPort(0);
        assertThat(config.kafkaProperties())
                .containsEntry("client.id", "secured-bridge")
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsKey("sasl.jaas.config");
        assertThat(config.toString()).doesNotContain(PASSWORD).contains("sasl.jaas.config");

        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .example(WebhookExamples.first("issues", "opened"))
                        .secret(SECRET)
                        .build();
        try (IngestBridge bridge = IngestBridge.start(config);
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            WebhookClient.Reply reply = client.post(delivery);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        }
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .contains(delivery.deliveryId());
    }

    @Test
    void aSettingTheGuaranteesRestOnIsRefused() throws Exception {
        Path settings = dir.resolve("weak.yaml");
        Files.writeString(settings, "kafka:\n  properties:\n    acks: \"1\"\n");

        assertThatThrownBy(() -> BridgeConfigLoader.load(settings, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sets acks");
    }
}
