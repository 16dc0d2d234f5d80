package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.repostream.testkit.fixtures.WebhookSigner;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Webhooks: deliveries sent for real, listed with cursor pagination, and redelivered. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatorHooksTest {
    private static final String REPO = "octo/widgets";
    private static final String SECRET = "hook-secret";

    /** What the receiver got: the delivery id, the signature, the body. */
    record Received(String guid, String signature, String body) {}

    private GitHubSimulator github;
    private SimulatorHttp http;
    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(202);
    private long hook;

    @BeforeEach
    void start() throws Exception {
        github = GitHubSimulator.start();
        github.createRepo(REPO);
        http = new SimulatorHttp(github.baseUrl(), GitHubSimulator.DEFAULT_TOKEN);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/hook",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    received.add(
                            new Received(
                                    exchange.getRequestHeaders().getFirst("X-GitHub-Delivery"),
                                    exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"),
                                    new String(body, StandardCharsets.UTF_8)));
                    exchange.sendResponseHeaders(answer.get(), -1);
                    exchange.close();
                });
        receiver.start();
        hook =
                github.createHook(
                        REPO,
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                        SECRET);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        github.close();
    }

    @Test
    void aFailedDeliveryIsRedeliveredWithItsGuidAndSignatureAndListedAsARedelivery() {
        answer.set(503);
        GitHubSimulator.HookDeliveryView failed =
                github.deliver(hook, "issues", "{\"action\":\"opened\"}");
        assertThat(failed.statusCode()).isEqualTo(503);
        answer.set(202);

        SimulatorHttp.Response asked =
                http.post(
                        "/repos/"
                                + REPO
                                + "/hooks/"
                                + hook
                                + "/deliveries/"
                                + failed.id()
                                + "/attempts",
                        null);

        assertThat(asked.status()).isEqualTo(202);
        waitUntil(() -> received.size() == 2);
        assertThat(received).extracting(Received::guid).containsOnly(failed.guid());
        assertThat(received.get(1).signature())
                .isEqualTo(
                        WebhookSigner.sign(
                                SECRET,
                                "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8)));
        waitUntil(() -> github.hookDeliveries(hook).size() == 2);
        SimulatorHttp.Response listed =
                http.get("/repos/" + REPO + "/hooks/" + hook + "/deliveries");
        assertThat(listed.json().get(0).path("redelivery").asBoolean()).isTrue();
        assertThat(listed.json().get(0).path("status_code").asInt()).isEqualTo(202);
        assertThat(listed.json().get(0).path("guid").asText()).isEqualTo(failed.guid());
        assertThat(listed.json().get(1).path("status").asText())
                .isEqualTo("Invalid HTTP Response: 503");
    }

    @Test
    void deliveriesAreListedNewestFirstPageByPageWithACursorForThreeDays() {
        Instant now = Instant.now();
        github.recordDelivery(hook, "too-old", "issues", "{}", 503, now.minus(Duration.ofDays(4)));
        for (int i = 0; i < 250; i++) {
            github.recordDelivery(hook, "guid-" + i, "issues", "{}", 202, now);
        }
        List<String> guids = new java.util.ArrayList<>();
        String next = "/repos/" + REPO + "/hooks/" + hook + "/deliveries?per_page=100";
        int pages = 0;
        while (next != null) {
            SimulatorHttp.Response page = http.get(next);
            page.json().forEach(d -> guids.add(d.path("guid").asText()));
            pages++;
            String link = page.header("Link");
            next =
                    link == null
                            ? null
                            : link.substring(link.indexOf('<') + 1, link.indexOf('>'))
                                    .substring(github.baseUrl().length());
            assertThat(next == null || next.contains("cursor=")).isTrue();
        }

        assertThat(pages).isEqualTo(3);
        assertThat(guids).hasSize(250).doesNotContain("too-old");
        assertThat(guids.get(0)).isEqualTo("guid-249");
        assertThat(guids.get(249)).isEqualTo("guid-0");
    }

    @Test
    void aDeliveryOlderThanThreeDaysCannotBeRedelivered() {
        long old =
                github.recordDelivery(
                                hook,
                                "too-old",
                                "issues",
                                "{}",
                                503,
                                Instant.now().minus(Duration.ofDays(4)))
                        .id();

        SimulatorHttp.Response asked =
                http.post(
                        "/repos/" + REPO + "/hooks/" + hook + "/deliveries/" + old + "/attempts",
                        null);

        assertThat(asked.status()).isEqualTo(422);
        assertThat(received).isEmpty();
        assertThat(http.get("/repos/octo/other/hooks/" + hook + "/deliveries").status())
                .as("another repository's hook")
                .isEqualTo(404);
        assertThat(Map.of("hooks", github.hookDeliveries(hook).size())).containsEntry("hooks", 1);
    }

    @Test
    void theAppsDeliveriesAreListedAndReadWithItsJwtOnlyWithTheRequestGitHubSent() {
        java.security.KeyPair key = AppKeys.generate();
        github.registerApp(77, key.getPublic());
        github.installApp(77, 7_700, REPO);
        String jwt = AppKeys.jwt(77, key.getPrivate());
        github.setAppWebhook(
                77, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", SECRET);
        String payload = "{\"action\":\"opened\",\"installation\":{\"id\":7700}}";
        GitHubSimulator.HookDeliveryView sent = github.deliverAsApp(77, "issues", payload);
        GitHubSimulator.HookDeliveryView again = github.redeliverAsApp(77, sent.id());

        SimulatorHttp.Response listed = http.withToken(jwt).get("/app/hook/deliveries");
        SimulatorHttp.Response one = http.withToken(jwt).get("/app/hook/deliveries/" + sent.id());
        String installationToken =
                http.withToken(jwt)
                        .post("/app/installations/7700/access_tokens", null)
                        .json()
                        .path("token")
                        .asText();
        SimulatorHttp.Response withToken =
                http.withToken(installationToken).get("/app/hook/deliveries");

        assertThat(received).extracting(Received::guid).containsExactly(sent.guid(), sent.guid());
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json()).hasSize(2);
        assertThat(listed.json().get(0).path("id").asLong()).isEqualTo(again.id());
        assertThat(listed.json().get(0).path("redelivery").asBoolean()).isTrue();
        assertThat(listed.json().get(1).path("installation_id").asLong()).isEqualTo(7_700);
        assertThat(one.json().path("guid").asText()).isEqualTo(sent.guid());
        assertThat(one.json().at("/request/headers/X-GitHub-Event").asText()).isEqualTo("issues");
        assertThat(one.json().at("/request/headers/X-GitHub-Delivery").asText())
                .isEqualTo(sent.guid());
        assertThat(one.json().at("/request/payload/installation/id").asLong()).isEqualTo(7_700);
        assertThat(withToken.status()).as("an installation token").isEqualTo(401);
        assertThat(http.get("/app/hook/deliveries").status()).as("a user token").isEqualTo(401);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
