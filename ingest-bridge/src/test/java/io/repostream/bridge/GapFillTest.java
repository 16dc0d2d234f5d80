package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gap fill against a stand-in for GitHub's hook deliveries API (the testkit simulator has no
 * hooks): list deliveries, and on a redelivery request post the original signed delivery to the
 * bridge again, as GitHub does.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class GapFillTest {
    private static final String SECRET = "gap-fill-secret";
    private static final String HOOK = "octo/widgets#7";

    /** The deliveries API of one repository hook, redelivering to {@code bridgePort}. */
    static final class FakeHookDeliveries {
        final JsonArray attempts = new JsonArray();
        final Map<Long, WebhookDelivery> byAttempt = new ConcurrentHashMap<>();
        final List<Long> redelivered = new CopyOnWriteArrayList<>();
        volatile int bridgePort;
        HttpServer server;

        void attempt(long id, WebhookDelivery delivery, int status) {
            attempts.add(
                    new JsonObject()
                            .put("id", id)
                            .put("guid", delivery.deliveryId())
                            .put("status_code", status)
                            .put("event", delivery.event()));
            byAttempt.put(id, delivery);
        }

        int start(Vertx vertx) {
            Router router = Router.router(vertx);
            router.get("/repos/octo/widgets/hooks/7/deliveries").handler(ctx -> ctx.json(attempts));
            router.post("/repos/octo/widgets/hooks/7/deliveries/:id/attempts")
                    .handler(
                            ctx -> {
                                long id = Long.parseLong(ctx.pathParam("id"));
                                redelivered.add(id);
                                WebhookDelivery delivery = byAttempt.get(id);
                                HttpClient http = vertx.createHttpClient();
                                http.request(
                                                HttpMethod.POST,
                                                bridgePort,
                                                "127.0.0.1",
                                                "/webhooks/github")
                                        .compose(
                                                r -> {
                                                    delivery.headers().forEach(r::putHeader);
                                                    return r.send(Buffer.buffer(delivery.body()));
                                                })
                                        .onComplete(r -> http.close());
                                ctx.response().setStatusCode(202).end("{}");
                            });
            server = vertx.createHttpServer().requestHandler(router);
            return server.listen(0, "127.0.0.1").await().actualPort();
        }
    }

    private static WebhookDelivery delivery(String event, String action) {
        return WebhookDelivery.builder()
                .example(WebhookExamples.first(event, action))
                .secret(SECRET)
                .build();
    }

    @Test
    void failedDeliveriesNotInKafkaAreRedeliveredOnceAndOthersAreLeftAlone(Vertx vertx)
            throws Exception {
        FakeHookDeliveries github = new FakeHookDeliveries();
        WebhookDelivery lost = delivery("issues", "opened");
        WebhookDelivery retriedByHand = delivery("issues", "edited");
        WebhookDelivery storedButTimedOut = delivery("issues", "labeled");
        github.attempt(30, retriedByHand, 202);
        github.attempt(20, retriedByHand, 503);
        github.attempt(11, lost, 503);
        github.attempt(10, lost, 502);
        github.attempt(5, storedButTimedOut, 0);
        int apiPort = github.start(vertx);

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            kafka.createTopics(Topics.all());
            BridgeConfig config =
                    BridgeConfig.defaults()
                            .withKafkaBootstrapServers(kafka.bootstrapServers())
                            .withWebhookSecret(SECRET)
                            .withEventLoops(1);
            // The bridge stored this one, but GitHub gave up waiting and lists it as failed.
            try (IngestBridge earlier = IngestBridge.start(config);
                    WebhookClient client = new WebhookClient(vertx, earlier.port())) {
                assertThat(client.post(storedButTimedOut).status()).isEqualTo(202);
            }
            int port = freePort();
            github.bridgePort = port;
            BridgeConfig withHook =
                    config.withPort(port)
                            .withPoll(
                                    new PollConfig(
                                            "http://127.0.0.1:" + apiPort,
                                            "a-token",
                                            List.of(),
                                            Duration.ofHours(1),
                                            null,
                                            List.of(HOOK)));

            try (IngestBridge bridge = IngestBridge.start(withHook)) {
                // The bridge fills gaps as it starts.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> eventIds(kafka).contains(lost.deliveryId()));

                assertThat(github.redelivered).containsExactly(11L);
                assertThat(bridge.gapFill()).as("nothing left to fill").isZero();
            }
            assertThat(eventIds(kafka))
                    .containsOnlyOnce(lost.deliveryId(), storedButTimedOut.deliveryId())
                    .doesNotContain(retriedByHand.deliveryId());
        } finally {
            github.server.close().await(5, TimeUnit.SECONDS);
        }
    }

    private static List<String> eventIds(EmbeddedKafkaBroker kafka) {
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
