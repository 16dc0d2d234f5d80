package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.fixtures.WebhookSigner;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bounded, seeded fuzz of payloads, headers and signatures against the real bridge and broker: no
 * 5xx but the documented 503, only documented statuses, and no event in Kafka that was not signed
 * with the secret.
 */
@ExtendWith(VertxExtension.class)
class WebhookFuzzTest {
    private static final String SECRET = "fuzz-secret";
    private static final long SEED = 20261122L;
    private static final int DELIVERIES = 400;
    private static final Set<Integer> DOCUMENTED = Set.of(200, 202, 400, 401, 413, 415, 503);

    private final Random random = new Random(SEED);
    private final List<WebhookExample> examples = WebhookExamples.all();

    /** One fuzzed request, and whether its body carries a valid signature. */
    private record Fuzzed(Map<String, String> headers, byte[] body, boolean signed, String id) {}

    @Test
    @Timeout(150)
    void mutatedPayloadsHeadersAndSignaturesNeverCauseAnUndocumentedAnswerOrAnUnsignedEvent(
            Vertx vertx) throws Exception {
        Map<String, Fuzzed> sent = new ConcurrentHashMap<>();
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            kafka.createTopics(Topics.all());
            try (IngestBridge bridge =
                            IngestBridge.start(
                                    BridgeConfig.defaults()
                                            .withKafkaBootstrapServers(kafka.bootstrapServers())
                                            .withWebhookSecret(SECRET)
                                            .withMaxBodyBytes(256 * 1024));
                    WebhookClient client = new WebhookClient(vertx, bridge.port())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                List<Future<?>> batch = new ArrayList<>();
                for (int i = 0; i < DELIVERIES && System.nanoTime() < deadline; i++) {
                    Fuzzed fuzzed = fuzz(i);
                    String key = "#" + i;
                    sent.put(key, fuzzed);
                    batch.add(
                            client.postAsync(fuzzed.headers(), Buffer.buffer(fuzzed.body()))
                                    .onSuccess(
                                            reply -> {
                                                answers.put(key, reply.status());
                                                check(key, fuzzed, reply, violations);
                                            })
                                    .onFailure(e -> violations.add(key + ": no answer: " + e)));
                    if (batch.size() >= 8) {
                        Future.join(batch).await(30, TimeUnit.SECONDS);
                        batch.clear();
                    }
                }
                Future.join(batch).await(30, TimeUnit.SECONDS);
            }

            assertThat(violations).isEmpty();
            assertThat(answers).hasSizeGreaterThan(DELIVERIES / 2);
            // The fuzz reached every kind of answer, so it exercised the paths it claims to.
            assertThat(Set.copyOf(answers.values())).contains(202, 400, 401, 415);
            Set<String> signedIds = new java.util.HashSet<>();
            sent.values().stream().filter(Fuzzed::signed).forEach(f -> signedIds.add(f.id()));
            List<GitHubEvent> stored = TopicContents.values(kafka, Topics.EVENTS);
            assertThat(stored).isNotEmpty();
            assertThat(stored)
                    .as("events in Kafka whose delivery was not signed")
                    .allMatch(e -> signedIds.contains(e.eventId()));
            Set<String> storedIds = new java.util.HashSet<>();
            stored.forEach(e -> storedIds.add(e.eventId()));
            sent.forEach(
                    (key, fuzzed) -> {
                        if (Integer.valueOf(202).equals(answers.get(key))) {
                            assertThat(storedIds).as("202 for %s", key).contains(fuzzed.id());
                        }
                    });
        }
    }

    private static void check(
            String key, Fuzzed fuzzed, WebhookClient.Reply reply, List<String> violations) {
        if (!DOCUMENTED.contains(reply.status())) {
            violations.add(key + ": undocumented status " + reply);
        }
        if (reply.status() == 503 && reply.headers().get("Retry-After") == null) {
            violations.add(key + ": 503 without Retry-After");
        }
        if (reply.status() / 100 == 2 && !fuzzed.signed()) {
            violations.add(key + ": 2xx for an unsigned delivery " + reply);
        }
        if (reply.status() >= 400 && !reply.body().contains("\"message\"")) {
            violations.add(
                    key
                            + ": error without a message "
                            + reply
                            + " "
                            + fuzzed.headers()
                            + " len="
                            + fuzzed.body().length
                            + " resp="
                            + reply.headers().entries());
        }
    }

    private Fuzzed fuzz(int i) {
        WebhookExample example = examples.get(random.nextInt(examples.size()));
        byte[] body = mutateBody(example.json().getBytes(StandardCharsets.UTF_8));
        String id = random.nextInt(20) == 0 ? oddText() : UUID.randomUUID().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                "Content-Type", random.nextInt(15) == 0 ? oddContentType() : "application/json");
        headers.put("X-GitHub-Event", random.nextInt(15) == 0 ? oddText() : example.event());
        headers.put("X-GitHub-Delivery", id);
        boolean signed;
        switch (random.nextInt(6)) {
            case 0 -> { // the original body's signature over a mutated body
                headers.put("X-Hub-Signature-256", WebhookSigner.sign(SECRET, example.body()));
                signed = java.util.Arrays.equals(body, example.body());
            }
            case 1 -> { // a wrong secret
                headers.put("X-Hub-Signature-256", WebhookSigner.sign("guess", body));
                signed = false;
            }
            case 2 -> { // a garbled signature
                String good = WebhookSigner.sign(SECRET, body);
                headers.put(
                        "X-Hub-Signature-256", good.substring(0, random.nextInt(good.length())));
                signed = false;
            }
            case 3 -> { // SHA-1 only, which this bridge does not accept
                headers.put("X-Hub-Signature", WebhookSigner.signSha1(SECRET, body));
                signed = false;
            }
            default -> { // correctly signed: authenticated, possibly malformed input
                headers.put("X-Hub-Signature-256", WebhookSigner.sign(SECRET, body));
                signed = true;
            }
        }
        if (random.nextInt(20) == 0) {
            headers.remove("X-GitHub-Delivery");
        }
        return new Fuzzed(headers, body, signed, id);
    }

    private byte[] mutateBody(byte[] body) {
        return switch (random.nextInt(8)) {
            case 0 -> body;
            case 1 -> java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
            case 2 -> flipBytes(body);
            case 3 ->
                    (new String(body, StandardCharsets.UTF_8) + oddText())
                            .getBytes(StandardCharsets.UTF_8);
            case 4 -> randomBytes(random.nextInt(512));
            case 5 ->
                    "{\"repository\":{\"full_name\":\"%s\"},\"action\":%s}"
                            .formatted(
                                    oddText().replace("\"", "'"),
                                    random.nextInt(3) == 0 ? "[]" : "\"x\"")
                            .getBytes(StandardCharsets.UTF_8);
            case 6 -> ("[".repeat(2000) + "]".repeat(2000)).getBytes(StandardCharsets.UTF_8);
            default -> new byte[0];
        };
    }

    private byte[] flipBytes(byte[] body) {
        byte[] copy = body.clone();
        for (int n = 1 + random.nextInt(8); n > 0 && copy.length > 0; n--) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Printable ASCII only: HTTP clients refuse control characters in headers. */
    private String oddText() {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(300); n > 0; n--) {
            text.append((char) (32 + random.nextInt(95)));
        }
        return text.toString();
    }

    private String oddContentType() {
        String[] types = {
            "text/plain",
            "application/xml",
            "application/json; charset=utf-8",
            "APPLICATION/JSON",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
            ""
        };
        return types[random.nextInt(types.length)];
    }
}
