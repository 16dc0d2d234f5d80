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
 * with the secret of its scope. Besides mutated examples it sends text the job cannot decode
 * (invalid UTF-8, lone surrogate escapes), payloads that claim another scope than their
 * repository's owner (scope confusion), and slow clients over raw sockets that stall in their
 * headers or body, which the bridge must close in time.
 */
@ExtendWith(VertxExtension.class)
class WebhookFuzzTest {
    private static final String SECRET = "fuzz-secret";
    private static final String VICTIM_SECRET = "fuzz-victim-org-secret";
    private static final String SPECIAL_SECRET = "fuzz-victim-special-secret";
    private static final WebhookSecrets SECRETS =
            WebhookSecrets.global(SECRET)
                    .withOrg("victim-org", VICTIM_SECRET)
                    .withRepo("victim-org/special", SPECIAL_SECRET);
    private static final java.util.regex.Pattern OWNER_REPO =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]*/[a-z0-9._-]+");
    private static final int SLOW_CLIENTS = 12;
    private static final java.util.regex.Pattern STRING_VALUE =
            java.util.regex.Pattern.compile(":\\s*\"");
    private static final long SEED = 20261122L;
    private static final int DELIVERIES = 400;
    private static final Set<Integer> DOCUMENTED = Set.of(200, 202, 400, 401, 413, 415, 503);

    private final Random random = new Random(SEED);
    private final List<WebhookExample> examples = WebhookExamples.all();

    /**
     * One fuzzed request; {@code signed}: its body carries a valid signature with its scope's
     * secret; {@code undecodable}: its text is not UTF-8 or has a lone surrogate escape.
     */
    private record Fuzzed(
            Map<String, String> headers,
            byte[] body,
            boolean signed,
            String id,
            boolean undecodable) {}

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
                                            .withSecrets(SECRETS)
                                            .withMaxBodyBytes(256 * 1024)
                                            .withMaxBufferedBytes(1024 * 1024)
                                            .withHeaderTimeout(java.time.Duration.ofSeconds(1))
                                            .withIdleTimeout(java.time.Duration.ofSeconds(3)));
                    WebhookClient client = new WebhookClient(vertx, bridge.port())) {
                java.util.concurrent.ExecutorService slowThreads =
                        java.util.concurrent.Executors.newFixedThreadPool(SLOW_CLIENTS);
                List<java.util.concurrent.CompletableFuture<Void>> slow = new ArrayList<>();
                for (int i = 0; i < SLOW_CLIENTS; i++) {
                    slow.add(slowClient(bridge.port(), i, i % 4, violations, slowThreads));
                }
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
                java.util.concurrent.CompletableFuture.allOf(
                                slow.toArray(java.util.concurrent.CompletableFuture[]::new))
                        .get(60, TimeUnit.SECONDS);
                slowThreads.shutdown();
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
        if (reply.status() / 100 == 2 && fuzzed.undecodable()) {
            violations.add(key + ": 2xx for text the job cannot decode " + reply);
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
        boolean undecodable = false;
        boolean confused = false;
        if (random.nextInt(8) == 0) {
            body = undecodable(example.json());
            undecodable = true;
        } else if (random.nextInt(5) == 0) {
            body = scopeConfusion();
            confused = true;
        }
        String scopeSecret = scopeSecretOf(body);
        String id = random.nextInt(20) == 0 ? oddText() : UUID.randomUUID().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                "Content-Type", random.nextInt(15) == 0 ? oddContentType() : "application/json");
        headers.put("X-GitHub-Event", random.nextInt(15) == 0 ? oddText() : example.event());
        headers.put("X-GitHub-Delivery", id);
        boolean signed;
        // a confused scope is signed with a configured secret, often another scope's
        switch (confused ? 4 : random.nextInt(6)) {
            case 0 -> { // the original body's signature over a mutated body
                headers.put("X-Hub-Signature-256", WebhookSigner.sign(SECRET, example.body()));
                signed =
                        java.util.Arrays.equals(body, example.body()) && SECRET.equals(scopeSecret);
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
            case 4 -> { // signed with some configured secret, maybe another scope's
                String[] all = {SECRET, VICTIM_SECRET, SPECIAL_SECRET};
                String secret = all[random.nextInt(all.length)];
                headers.put("X-Hub-Signature-256", WebhookSigner.sign(secret, body));
                signed = secret.equals(scopeSecret);
            }
            default -> { // correctly signed: authenticated, possibly malformed input
                headers.put("X-Hub-Signature-256", WebhookSigner.sign(scopeSecret, body));
                signed = true;
            }
        }
        if (random.nextInt(20) == 0) {
            headers.remove("X-GitHub-Delivery");
        }
        return new Fuzzed(headers, body, signed, id, undecodable);
    }

    /** An example with undecodable text spliced into its first string value. */
    private byte[] undecodable(String json) {
        byte[][] forms = {
            "\\ud800".getBytes(StandardCharsets.US_ASCII),
            "\\udfff".getBytes(StandardCharsets.US_ASCII),
            "\\ud83d\\u0041".getBytes(StandardCharsets.US_ASCII),
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFF},
            {(byte) 0xE2, (byte) 0x82},
        };
        byte[] form = forms[random.nextInt(forms.length)];
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        java.util.regex.Matcher value = STRING_VALUE.matcher(json);
        // inside the first string value (the examples are pretty-printed: "key": "value")
        int at = value.find() ? value.end() : json.length() / 2;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(form);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    /** A payload whose repository, organisation and repository owner disagree. */
    private byte[] scopeConfusion() {
        String[] repos = {
            "victim-org/app", "Victim-Org/special", "attacker/app", "victim-org", null
        };
        String[] orgs = {"victim-org", "attacker", "VICTIM-ORG", null};
        String[] owners = {"victim-org", "attacker", null};
        StringBuilder json = new StringBuilder("{\"action\":\"opened\"");
        String repo = repos[random.nextInt(repos.length)];
        String owner = owners[random.nextInt(owners.length)];
        if (repo != null) {
            json.append(",\"repository\":{\"full_name\":\"").append(repo).append('"');
            if (owner != null) {
                json.append(",\"owner\":{\"login\":\"")
                        .append(owner)
                        .append("\",\"type\":\"Organization\"}");
            }
            json.append('}');
        }
        String org = orgs[random.nextInt(orgs.length)];
        if (org != null) {
            json.append(",\"organization\":{\"login\":\"").append(org).append("\"}");
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The one secret a delivery of {@code body} may be signed with, by the rule alone (an oracle
     * written apart from the bridge's code): the repository's own, else its owner's (the owner in
     * {@code repository.full_name}), {@code organization.login} only without a valid repository,
     * else the global one.
     */
    private static String scopeSecretOf(byte[] body) {
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (java.io.IOException | RuntimeException e) {
            return SECRET;
        }
        if (tree == null || !tree.isObject()) {
            return SECRET;
        }
        com.fasterxml.jackson.databind.JsonNode fullName = tree.at("/repository/full_name");
        String owner = null;
        if (fullName.isTextual()
                && OWNER_REPO
                        .matcher(fullName.asText().toLowerCase(java.util.Locale.ROOT))
                        .matches()) {
            String repo = fullName.asText().toLowerCase(java.util.Locale.ROOT);
            if (repo.equals("victim-org/special")) {
                return SPECIAL_SECRET;
            }
            owner = repo.substring(0, repo.indexOf('/'));
        } else if (tree.at("/organization/login").isTextual()) {
            owner = tree.at("/organization/login").asText().toLowerCase(java.util.Locale.ROOT);
        }
        return "victim-org".equals(owner) ? VICTIM_SECRET : SECRET;
    }

    /**
     * A client over a raw socket that stalls: in its headers (0), after its headers (1), in its
     * body (2), or trickles its headers a byte at a time (3). The bridge must close the connection
     * within the configured timeouts, answering at most a 503 with Retry-After.
     */
    private static java.util.concurrent.CompletableFuture<Void> slowClient(
            int port,
            int n,
            int kind,
            List<String> violations,
            java.util.concurrent.Executor threads) {
        return java.util.concurrent.CompletableFuture.runAsync(
                () -> {
                    String head =
                            "POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Type: application/json\r\nX-GitHub-Event: issues\r\n"
                                    + "X-GitHub-Delivery: slow-"
                                    + n
                                    + "\r\nX-Hub-Signature-256: sha256="
                                    + "0".repeat(64)
                                    + "\r\nContent-Length: 1000\r\n\r\n";
                    String sent =
                            switch (kind) {
                                case 0 -> head.substring(0, 40);
                                case 1 -> head;
                                case 2 -> head + "{\"action\":";
                                default -> "";
                            };
                    long started = System.nanoTime();
                    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                        socket.setSoTimeout(30_000);
                        java.io.OutputStream out = socket.getOutputStream();
                        out.write(sent.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        if (kind == 3) {
                            // a header byte every 300 ms: only the header timeout stops it
                            for (int i = 0; i < 100; i++) {
                                out.write(head.charAt(i));
                                out.flush();
                                Thread.sleep(300);
                            }
                        }
                        String answer =
                                new String(
                                        socket.getInputStream().readAllBytes(),
                                        StandardCharsets.US_ASCII);
                        if (!answer.isEmpty()
                                && !(answer.startsWith("HTTP/1.1 503")
                                        && answer.toLowerCase(java.util.Locale.ROOT)
                                                .contains("retry-after"))) {
                            violations.add("slow client " + n + ": answered " + answer);
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        violations.add(
                                "slow client "
                                        + n
                                        + " (kind "
                                        + kind
                                        + "): connection still open after "
                                        + (System.nanoTime() - started) / 1_000_000
                                        + " ms");
                    } catch (java.io.IOException e) {
                        // closed while writing: closed in time
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                threads);
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
