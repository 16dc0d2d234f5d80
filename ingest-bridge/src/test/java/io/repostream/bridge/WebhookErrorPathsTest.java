package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refusal says what was wrong, and nothing refused reaches github.events.v1. */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(90)
class WebhookErrorPathsTest {
    private static final String SECRET = "error-paths-secret";

    private static EmbeddedKafkaBroker kafka;
    private static IngestBridge bridge;
    private WebhookClient client;

    @BeforeAll
    static void startBridge(EmbeddedKafkaBroker broker) {
        kafka = broker;
        bridge = IngestBridge.start(config());
    }

    static BridgeConfig config() {
        return BridgeConfig.defaults()
                .withKafkaBootstrapServers(kafka.bootstrapServers())
                .withWebhookSecret(SECRET);
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
    void aWrongContentTypeIsRefusedWith415AndNothingReachesKafka() {
        WebhookDelivery delivery = signed("issues", "opened");
        Map<String, String> headers = new LinkedHashMap<>(delivery.headers());
        headers.put("Content-Type", "text/plain");

        WebhookClient.Reply reply = client.post(headers, Buffer.buffer(delivery.body()));

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.message()).contains("application/json").contains("text/plain");
        assertNothingInKafkaFor(delivery.deliveryId());
    }

    @Test
    void aBodyOverGitHubs25MegabyteLimitIsRefusedWith413AndNothingReachesKafka() {
        byte[] huge = new byte[(int) BridgeConfig.GITHUB_MAX_PAYLOAD_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        WebhookDelivery delivery =
                WebhookDelivery.builder().event("issues").body(huge).secret(SECRET).build();

        WebhookClient.Reply reply = client.post(delivery);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.message()).contains("larger than 26214400 bytes");
        assertNothingInKafkaFor(delivery.deliveryId());
    }

    @Test
    void aChunkedBodyGrowingPastTheLimitIsRefusedWith413(Vertx vertx) throws Exception {
        try (IngestBridge small = IngestBridge.start(config().withMaxBodyBytes(64 * 1024))) {
            HttpClient http = vertx.createHttpClient();
            HttpClientRequest request =
                    http.request(HttpMethod.POST, small.port(), "127.0.0.1", "/webhooks/github")
                            .await(10, TimeUnit.SECONDS);
            request.setChunked(true)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("X-GitHub-Event", "issues")
                    .putHeader("X-GitHub-Delivery", "chunked-too-large")
                    .putHeader("X-Hub-Signature-256", "sha256=" + "0".repeat(64));
            var answer =
                    request.response().compose(r -> r.body().map(b -> r.statusCode() + " " + b));
            byte[] chunk = new byte[16 * 1024];
            for (int i = 0; i < 8 && !answer.isComplete(); i++) {
                request.write(Buffer.buffer(chunk));
            }
            request.end();

            assertThat(answer.await(10, TimeUnit.SECONDS))
                    .startsWith("413 ")
                    .contains("larger than 65536 bytes");
            http.close();
        }
        assertNothingInKafkaFor("chunked-too-large");
    }

    @Test
    void malformedJsonWithAValidSignatureGoesToTheDeadLetterTopicWith400() {
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .event("issues")
                        .body("{\"action\": \"opened\", \"issue\": ")
                        .secret(SECRET)
                        .build();

        WebhookClient.Reply reply = client.post(delivery);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).startsWith("body is not valid JSON");
        DeadLetter letter = deadLetterFor(delivery.deliveryId());
        assertThat(letter.reason()).isEqualTo(reply.message());
        assertThat(letter.source()).isEqualTo("webhook");
        assertThat(letter.eventType()).isEqualTo("issues");
        assertThat(letter.body()).isEqualTo(new String(delivery.body(), StandardCharsets.UTF_8));
        assertThat(letter.headers())
                .containsEntry("x-github-event", "issues")
                .doesNotContainKeys("x-hub-signature-256", "x-hub-signature");
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .doesNotContain(delivery.deliveryId());
    }

    /**
     * Text the Flink job cannot decode: not UTF-8 (as the JDK's strict decoder judges it), or a
     * {@code \\u} escape of half a surrogate pair, which JSON parsers accept but no UTF-8 text can
     * carry.
     */
    static Stream<Arguments> undecodableText() {
        return Stream.of(
                text("a lone high surrogate escape", "\"a\\ud800b\"", "lone surrogate"),
                text("a lone low surrogate escape", "\"\\uDC00\"", "lone surrogate"),
                text(
                        "a high surrogate escape before a non-surrogate",
                        "\"\\ud800\\u0041\"",
                        "lone surrogate"),
                text(
                        "a high surrogate escape at the end of a key",
                        "{\"k\\ud83d\":1}",
                        "lone surrogate"),
                bytes("an overlong two-byte form of '/'", 0xC0, 0xAF),
                bytes("an overlong three-byte form", 0xE0, 0x80, 0xAF),
                bytes("a surrogate encoded in UTF-8 (CESU-8)", 0xED, 0xA0, 0x80),
                bytes("a byte that never occurs in UTF-8", 0xFF),
                bytes("a truncated three-byte sequence", 0xE2, 0x82),
                bytes("a code point beyond U+10FFFF", 0xF4, 0x90, 0x80, 0x80));
    }

    private static Arguments text(String name, String value, String reason) {
        return Arguments.of(
                name,
                ("{\"action\":\"opened\",\"issue\":{\"title\":" + value + "}}")
                        .getBytes(StandardCharsets.UTF_8),
                reason);
    }

    private static Arguments bytes(String name, int... raw) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(
                "{\"action\":\"opened\",\"issue\":{\"title\":\"a".getBytes(StandardCharsets.UTF_8));
        for (int b : raw) {
            body.write(b);
        }
        body.writeBytes("b\"}}".getBytes(StandardCharsets.UTF_8));
        return Arguments.of(name, body.toByteArray(), "not valid UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undecodableText")
    void aSignedPayloadWhoseTextTheJobCannotDecodeIsDeadLetteredWith400(
            String name, byte[] body, String reason) {
        WebhookDelivery delivery =
                WebhookDelivery.builder().event("issues").body(body).secret(SECRET).build();

        WebhookClient.Reply reply = client.post(delivery);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().getString("outcome")).isEqualTo("dead_lettered");
        assertThat(reply.message()).contains(reason).contains("byte");
        DeadLetter letter = deadLetterFor(delivery.deliveryId());
        assertThat(letter.reason()).isEqualTo(reply.message());
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .doesNotContain(delivery.deliveryId());
        String label = reason.startsWith("lone") ? "lone_surrogate" : "invalid_utf8";
        assertThat(client.get("/metrics").body())
                .containsPattern(
                        "repostream_bridge_dead_letters_total\\{reason=\"" + label + "\"\\} [1-9]");
    }

    @Test
    void aFormEncodedPayloadThatIsNotUtf8IsDeadLetteredNotSilentlyRepaired() {
        String form =
                "payload="
                        + "%7B%22action%22%3A%22opened%22%2C%22issue%22%3A%7B%22title%22%3A%22a%C0%AFb%22%7D%7D";
        WebhookDelivery delivery =
                WebhookDelivery.builder().event("issues").body(form).secret(SECRET).build();
        Map<String, String> headers = new LinkedHashMap<>(delivery.headers());
        headers.put("Content-Type", "application/x-www-form-urlencoded");

        WebhookClient.Reply reply = client.post(headers, Buffer.buffer(delivery.body()));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.message()).contains("not valid UTF-8");
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .doesNotContain(delivery.deliveryId());
    }

    @Test
    void aFormEncodedPayloadIsPercentDecodedWithPlusAsSpace() {
        String form =
                "payload=%7B%22action%22%3A%22opened%22%2C%22repository%22%3A%7B%22full_name%22%3A%22octo%2Frepo%22%7D%2C%22t%22%3A%22a+b+%C3%A9%22%7D";
        WebhookDelivery delivery =
                WebhookDelivery.builder().event("issues").body(form).secret(SECRET).build();
        Map<String, String> headers = new LinkedHashMap<>(delivery.headers());
        headers.put("Content-Type", "application/x-www-form-urlencoded");

        WebhookClient.Reply reply = client.post(headers, Buffer.buffer(delivery.body()));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        GitHubEvent event =
                TopicContents.values(kafka, Topics.EVENTS).stream()
                        .filter(e -> e.eventId().equals(delivery.deliveryId()))
                        .findFirst()
                        .orElseThrow();
        assertThat(event.payload().path("t").asText()).isEqualTo("a b \u00e9");
    }

    @Test
    void aSurrogatePairEscapeAndFourByteUtf8AreValidText() {
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .event("issues")
                        .body(
                                "{\"action\":\"opened\",\"repository\":{\"full_name\":\"octo/repo\"},"
                                        + "\"issue\":{\"title\":\"\\ud83d\\ude00 \\\\ud800 \ud83d\ude00\"}}")
                        .secret(SECRET)
                        .build();

        WebhookClient.Reply reply = client.post(delivery);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
    }

    @Test
    void aJsonArrayIsNotAnEventAndIsDeadLettered() {
        WebhookDelivery delivery =
                WebhookDelivery.builder().event("push").body("[1, 2]").secret(SECRET).build();

        WebhookClient.Reply reply = client.post(delivery);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).contains("expected a JSON object");
        assertThat(deadLetterFor(delivery.deliveryId()).reason()).isEqualTo(reply.message());
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .doesNotContain(delivery.deliveryId());
    }

    @Test
    void aMissingEventHeaderWithAValidSignatureIsDeadLetteredWithTheReason() {
        WebhookDelivery delivery = signed("issues", "opened");
        Map<String, String> headers = new LinkedHashMap<>(delivery.headers());
        headers.remove("X-GitHub-Event");

        WebhookClient.Reply reply = client.post(headers, Buffer.buffer(delivery.body()));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).contains("missing X-GitHub-Event");
        assertThat(deadLetterFor(delivery.deliveryId()).reason()).contains("X-GitHub-Event");
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .doesNotContain(delivery.deliveryId());
    }

    @Test
    void anUnknownEventNameIsAcceptedBecauseGitHubAddsNewOnes() {
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .event("brand_new_event")
                        .body(
                                "{\"action\":\"happened\",\"repository\":{\"full_name\":\"Octo/Repo\"}}")
                        .secret(SECRET)
                        .build();

        WebhookClient.Reply reply = client.post(delivery);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        GitHubEvent event =
                TopicContents.values(kafka, Topics.EVENTS).stream()
                        .filter(e -> e.eventId().equals(delivery.deliveryId()))
                        .findFirst()
                        .orElseThrow();
        assertThat(event.type()).isEqualTo("brand_new_event");
        assertThat(event.action()).isEqualTo("happened");
        assertThat(event.repo()).isEqualTo("octo/repo");
        assertThat(event.occurredAt()).isEqualTo(event.receivedAt());
    }

    @Test
    void aGetOnTheWebhookPathSaysToUsePost() {
        WebhookClient.Reply reply = client.get("/webhooks/github");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.message()).contains("POST");
    }

    @Test
    void aSignedDeliveryWithAnotherMethodIsRefusedWith405AndNothingReachesKafka() {
        WebhookDelivery delivery = signed("issues", "opened");

        WebhookClient.Reply reply =
                client.send(HttpMethod.PUT, delivery.headers(), Buffer.buffer(delivery.body()));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.headers().get("Allow")).isEqualTo("POST");
        assertThat(reply.message()).contains("POST");
        assertNothingInKafkaFor(delivery.deliveryId());
    }

    @Test
    void aKafkaSlowerThanItsTimeoutGets503AndTheRedeliveryIsWrittenOnce(Vertx vertx) {
        // every write waits half a second for its batch: slower than kafka.timeout
        BridgeConfig slow =
                config().withKafkaTimeout(java.time.Duration.ofMillis(100))
                        .withKafkaProperties(Map.of("linger.ms", "500"));
        WebhookDelivery delivery = signed("issues", "opened");
        try (IngestBridge one = IngestBridge.start(slow);
                WebhookClient slowClient = new WebhookClient(vertx, one.port())) {
            WebhookClient.Reply reply = slowClient.post(delivery);

            assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
            assertThat(reply.headers().get("Retry-After")).isEqualTo("10");
            assertThat(reply.message()).contains("Kafka did not acknowledge within 100 ms");

            // GitHub redelivers: the first write landed meanwhile, so it is not written again
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> slowClient.post(delivery).status() == 200);
        }
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .containsOnlyOnce(delivery.deliveryId());
    }

    @Test
    void aDeliverySlowerThanTheRequestTimeoutGets503AndNothingReachesKafka(Vertx vertx)
            throws Exception {
        WebhookDelivery delivery = signed("issues", "opened");
        try (IngestBridge one =
                IngestBridge.start(config().withRequestTimeout(java.time.Duration.ofMillis(300)))) {
            HttpClient http = vertx.createHttpClient();
            HttpClientRequest stalled =
                    http.request(HttpMethod.POST, one.port(), "127.0.0.1", "/webhooks/github")
                            .await(10, TimeUnit.SECONDS);
            stalled.setChunked(true);
            delivery.headers().forEach(stalled::putHeader);
            // read the answer from before it can arrive: nothing is sent until the first write
            var answer = stalled.response().compose(WebhookClient.Reply::read);
            // the body never ends
            stalled.write(Buffer.buffer(delivery.body()).slice(0, 10)).await(10, TimeUnit.SECONDS);
            WebhookClient.Reply reply = answer.await(10, TimeUnit.SECONDS);
            http.close();

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.headers().get("Retry-After")).isEqualTo("10");
            assertThat(reply.message()).contains("could not be stored within 300 ms");
        }
        assertNothingInKafkaFor(delivery.deliveryId());
    }

    @Test
    void beyondTheInFlightBoundDeliveriesGet503WithRetryAfter(Vertx vertx) throws Exception {
        try (IngestBridge one = IngestBridge.start(config().withMaxInFlight(1))) {
            HttpClient http = vertx.createHttpClient();
            WebhookDelivery held = signed("issues", "opened");
            HttpClientRequest holding =
                    http.request(HttpMethod.POST, one.port(), "127.0.0.1", "/webhooks/github")
                            .await(10, TimeUnit.SECONDS);
            holding.setChunked(true);
            held.headers().forEach(holding::putHeader);
            byte[] body = held.body();
            holding.write(Buffer.buffer(body).slice(0, 10)).await(10, TimeUnit.SECONDS);
            WebhookDelivery second = signed("issues", "reopened");
            try (WebhookClient other = new WebhookClient(vertx, one.port())) {
                // The held request is in flight once the bridge saw its headers; a post before
                // then would take the one slot, so wait without posting.
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(20))
                        .until(() -> other.metric("repostream_bridge_in_flight_requests") == 1);
                WebhookClient.Reply refused = other.post(second);

                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.headers().get("Retry-After")).isEqualTo("10");
                assertThat(refused.message()).contains("too many deliveries in flight");
                assertNothingInKafkaFor(second.deliveryId());

                holding.end(Buffer.buffer(body).slice(10, body.length));
                assertThat(holding.response().await(10, TimeUnit.SECONDS).statusCode())
                        .isEqualTo(202);
                assertThat(other.post(second).status()).isEqualTo(202);
            }
            http.close();
        }
    }

    private static WebhookDelivery signed(String event, String action) {
        return WebhookDelivery.builder()
                .example(WebhookExamples.first(event, action))
                .secret(SECRET)
                .build();
    }

    private DeadLetter deadLetterFor(String id) {
        return TopicContents.values(kafka, Topics.EVENTS_DLQ).stream()
                .filter(d -> id.equals(d.deliveryId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter for " + id));
    }

    private void assertNothingInKafkaFor(String id) {
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .doesNotContain(id);
        assertThat(TopicContents.values(kafka, Topics.EVENTS_DLQ))
                .extracting(DeadLetter::deliveryId)
                .doesNotContain(id);
    }
}
