package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** When Kafka is gone or slow, the bridge answers 503 and never a 2xx for an unstored event. */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(120)
class KafkaOutageTest {
    private static final String SECRET = "outage-secret";

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        kafka = broker;
    }

    @BeforeEach
    void kafkaRuns() {
        if (!kafka.isRunning()) {
            kafka.restart();
        }
    }

    private static BridgeConfig config() {
        return BridgeConfig.defaults()
                .withKafkaBootstrapServers(kafka.bootstrapServers())
                .withWebhookSecret(SECRET)
                .withKafkaTimeout(Duration.ofSeconds(1))
                .withRetryAfter(Duration.ofSeconds(7));
    }

    @Test
    void whileKafkaIsDownDeliveriesGet503WithRetryAfterAndARedeliveryLaterIsStoredOnce(
            Vertx vertx) {
        try (IngestBridge bridge = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            WebhookDelivery delivery =
                    WebhookDelivery.builder()
                            .example(WebhookExamples.first("issues", "opened"))
                            .secret(SECRET)
                            .build();
            kafka.stop();

            WebhookClient.Reply refused = client.post(delivery);

            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.headers().get("Retry-After")).isEqualTo("7");
            assertThat(refused.message()).contains("Kafka").contains("retry later");

            kafka.restart();
            // GitHub's redeliveries come when someone asks; until the producer has reconnected
            // (its reconnect backoff can outlast the 1 s Kafka timeout on a busy machine) they get
            // 503 too. Redeliver, a bounded number of times, until one is stored.
            WebhookClient.Reply stored = client.post(delivery);
            for (int attempt = 1; stored.status() == 503 && attempt < 20; attempt++) {
                assertThat(stored.headers().get("Retry-After")).isEqualTo("7");
                sleep(Duration.ofMillis(500));
                stored = client.post(delivery);
            }

            assertThat(stored.status()).as(stored.toString()).isIn(200, 202);
            assertThat(eventIds()).containsOnlyOnce(delivery.deliveryId());
        }
    }

    @Test
    void readinessFollowsKafkaWhileHealthOnlySaysTheProcessIsUp(Vertx vertx) {
        try (IngestBridge bridge = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            assertThat(client.get("/readyz").status()).isEqualTo(200);

            kafka.stop();

            WebhookClient.Reply notReady = client.get("/readyz");
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.message()).contains("Kafka");
            assertThat(client.get("/healthz").status()).isEqualTo(200);
        }
    }

    @Test
    void startingWithoutKafkaFailsWithAClearMessage() {
        kafka.stop();

        assertThatThrownBy(
                        () -> IngestBridge.start(config().withKafkaTimeout(Duration.ofMillis(500))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dedupe window")
                .hasMessageContaining("Kafka");
    }

    /**
     * The crash test: the broker goes away in the middle of a load of deliveries and comes back.
     * Every delivery answered 2xx must be in Kafka afterwards.
     */
    @Test
    void killingTheBrokerMidLoadNeverLeavesA2xxForAnEventThatIsNotInKafka(Vertx vertx)
            throws Exception {
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        try (IngestBridge bridge = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            Load load = new Load(client, answers);
            load.send(96);
            // The broker goes down while deliveries keep coming...
            Thread stopping = new Thread(kafka::stop, "stop-kafka-mid-load");
            stopping.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (stopping.isAlive() && System.nanoTime() < deadline) {
                load.send(16);
            }
            stopping.join(TimeUnit.SECONDS.toMillis(30));
            // ...stays down for a while...
            load.send(48);
            // ...and comes back.
            kafka.restart();
            load.send(96);
        }
        if (!kafka.isRunning()) {
            kafka.restart();
        }

        Set<String> acknowledged =
                answers.entrySet().stream()
                        .filter(e -> e.getValue() / 100 == 2)
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toSet());
        Set<Integer> statuses = Set.copyOf(answers.values());
        assertThat(statuses)
                .as("answers seen")
                .contains(202, 503)
                .allMatch(s -> s == 202 || s == 503);
        assertThat(eventIds()).containsAll(acknowledged);
    }

    /** Signed example deliveries, 16 in flight at a time. */
    private static final class Load {
        private final List<WebhookExample> examples = WebhookExamples.all();
        private final WebhookClient client;
        private final Map<String, Integer> answers;
        private int next;

        Load(WebhookClient client, Map<String, Integer> answers) {
            this.client = client;
            this.answers = answers;
        }

        void send(int count) {
            List<Future<?>> window = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                WebhookDelivery delivery =
                        WebhookDelivery.builder()
                                .example(examples.get(next++ % examples.size()))
                                .secret(SECRET)
                                .build();
                window.add(
                        client.postAsync(delivery.headers(), Buffer.buffer(delivery.body()))
                                .onSuccess(r -> answers.put(delivery.deliveryId(), r.status()))
                                .otherwise(e -> null));
                if (window.size() >= 16) {
                    WebhookClient.await(Future.join(window));
                    window.clear();
                }
            }
            WebhookClient.await(Future.join(window));
        }
    }

    private static List<String> eventIds() {
        return TopicContents.values(kafka, Topics.EVENTS).stream()
                .map(GitHubEvent::eventId)
                .toList();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
