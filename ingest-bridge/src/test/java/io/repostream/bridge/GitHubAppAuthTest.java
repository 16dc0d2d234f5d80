package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Polling as a GitHub App installation against a stand-in for GitHub's app endpoints (the testkit
 * simulator has none) that checks the JWT's RS256 signature with the app's public key.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class GitHubAppAuthTest {
    private static final long APP_ID = 4242;
    private static final long INSTALLATION_ID = 77;

    private static EmbeddedKafkaBroker kafka;
    @TempDir Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaBroker.start();
        kafka.createTopics(Topics.all());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** GitHub's app endpoints and one repository's event feed. */
    static final class FakeAppApi {
        final KeyPair keys;
        final Duration tokenLifetime;
        final AtomicInteger tokensIssued = new AtomicInteger();
        final List<String> feedAuthorizations = new CopyOnWriteArrayList<>();
        final List<String> refused = new CopyOnWriteArrayList<>();
        HttpServer server;

        FakeAppApi(KeyPair keys, Duration tokenLifetime) {
            this.keys = keys;
            this.tokenLifetime = tokenLifetime;
        }

        int start(Vertx vertx) {
            Router router = Router.router(vertx);
            router.get("/app").handler(ctx -> withJwt(ctx, () -> ctx.json(app())));
            router.get("/app/installations/:id")
                    .handler(ctx -> withJwt(ctx, () -> ctx.json(installation())));
            router.post("/app/installations/:id/access_tokens")
                    .handler(
                            ctx ->
                                    withJwt(
                                            ctx,
                                            () -> {
                                                int n = tokensIssued.incrementAndGet();
                                                ctx.response().setStatusCode(201);
                                                ctx.json(
                                                        new JsonObject()
                                                                .put(
                                                                        "token",
                                                                        "ghs_installation_" + n)
                                                                .put(
                                                                        "expires_at",
                                                                        Instant.now()
                                                                                .plus(tokenLifetime)
                                                                                .toString())
                                                                .put(
                                                                        "permissions",
                                                                        new JsonObject())
                                                                .put(
                                                                        "repository_selection",
                                                                        "all"));
                                            }));
            router.get("/repos/octo/widgets/events")
                    .handler(
                            ctx -> {
                                String auth = ctx.request().getHeader("Authorization");
                                feedAuthorizations.add(auth);
                                if (auth == null || !auth.startsWith("token ghs_installation_")) {
                                    ctx.response().setStatusCode(401).end();
                                    return;
                                }
                                ctx.response().putHeader("ETag", "\"feed\"");
                                ctx.json(new JsonArray());
                            });
            server = vertx.createHttpServer().requestHandler(router);
            return server.listen(0, "127.0.0.1").await().actualPort();
        }

        private void withJwt(RoutingContext ctx, Runnable then) {
            String auth = ctx.request().getHeader("Authorization");
            String problem = checkJwt(auth);
            if (problem != null) {
                refused.add(ctx.request().path() + ": " + problem);
                ctx.response().setStatusCode(401).end("{\"message\":\"" + problem + "\"}");
                return;
            }
            then.run();
        }

        private String checkJwt(String auth) {
            if (auth == null || !auth.startsWith("Bearer ")) {
                return "no bearer JWT";
            }
            String[] parts = auth.substring(7).split("\\.");
            if (parts.length != 3) {
                return "not a JWT";
            }
            try {
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initVerify(keys.getPublic());
                rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
                if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                    return "bad signature";
                }
            } catch (Exception e) {
                return "cannot verify: " + e;
            }
            JsonObject claims =
                    new JsonObject(
                            new String(
                                    Base64.getUrlDecoder().decode(parts[1]),
                                    StandardCharsets.UTF_8));
            long now = Instant.now().getEpochSecond();
            if (!String.valueOf(APP_ID).equals(claims.getString("iss"))) {
                return "wrong issuer";
            }
            if (claims.getLong("iat") > now
                    || claims.getLong("exp") <= now
                    || claims.getLong("exp") - claims.getLong("iat") > 600) {
                return "bad lifetime";
            }
            return null;
        }

        private JsonObject app() {
            return new JsonObject()
                    .put("id", APP_ID)
                    .put("slug", "repostream")
                    .put("name", "repostream")
                    .put(
                            "owner",
                            new JsonObject()
                                    .put("login", "octo")
                                    .put("id", 1)
                                    .put("type", "Organization"));
        }

        private JsonObject installation() {
            return new JsonObject()
                    .put("id", INSTALLATION_ID)
                    .put("app_id", APP_ID)
                    .put("target_type", "Organization")
                    .put(
                            "account",
                            new JsonObject()
                                    .put("login", "octo")
                                    .put("id", 1)
                                    .put("type", "Organization"));
        }
    }

    private static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** GitHub hands out PKCS#1 PEM keys; Java writes PKCS#8, whose last part is the PKCS#1 key. */
    private Path pkcs1Pem(KeyPair keys) throws Exception {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        Path file = dir.resolve("app.pem");
        Files.writeString(
                file,
                "-----BEGIN RSA PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(pkcs1)
                        + "\n-----END RSA PRIVATE KEY-----\n");
        return file;
    }

    private BridgeConfig config(int apiPort, Path key) {
        return BridgeConfig.defaults()
                .withKafkaBootstrapServers(kafka.bootstrapServers())
                .withWebhookSecret("app-test-secret")
                .withEventLoops(1)
                .withPoll(
                        new PollConfig(
                                "http://127.0.0.1:" + apiPort,
                                null,
                                List.of("octo/widgets"),
                                Duration.ofHours(1),
                                null,
                                List.of(),
                                new GitHubApp(APP_ID, INSTALLATION_ID, key)));
    }

    @Test
    void pollsWithAnInstallationTokenObtainedWithTheAppsJwtAndReusesIt(Vertx vertx)
            throws Exception {
        KeyPair keys = rsaKeys();
        FakeAppApi github = new FakeAppApi(keys, Duration.ofHours(1));
        int port = github.start(vertx);
        try (IngestBridge bridge = IngestBridge.start(config(port, pkcs1Pem(keys)))) {
            bridge.pollNow();
            bridge.pollNow();
        } finally {
            github.server.close().await(5, TimeUnit.SECONDS);
        }

        assertThat(github.refused).isEmpty();
        assertThat(github.feedAuthorizations)
                .isNotEmpty()
                .allMatch("token ghs_installation_1"::equals);
        assertThat(github.tokensIssued).hasValue(1);
    }

    @Test
    void anInstallationTokenAboutToExpireIsRefreshedBeforeUse(Vertx vertx) throws Exception {
        KeyPair keys = rsaKeys();
        // Within hub4j's five-minute margin: every use asks for a fresh token.
        FakeAppApi github = new FakeAppApi(keys, Duration.ofMinutes(4));
        int port = github.start(vertx);
        try (IngestBridge bridge = IngestBridge.start(config(port, pkcs1Pem(keys)))) {
            bridge.pollNow();
            bridge.pollNow();
        } finally {
            github.server.close().await(5, TimeUnit.SECONDS);
        }

        assertThat(github.refused).isEmpty();
        assertThat(github.tokensIssued.get()).isGreaterThanOrEqualTo(2);
        assertThat(github.feedAuthorizations)
                .hasSizeGreaterThanOrEqualTo(2)
                .doesNotHaveDuplicates();
    }

    @Test
    void aJwtSignedWithAnotherKeyIsRefusedAndNothingIsPolled(Vertx vertx) throws Exception {
        FakeAppApi github = new FakeAppApi(rsaKeys(), Duration.ofHours(1));
        int port = github.start(vertx);
        try (IngestBridge bridge = IngestBridge.start(config(port, pkcs1Pem(rsaKeys())))) {
            assertThat(bridge.pollNow()).isZero();
        } finally {
            github.server.close().await(5, TimeUnit.SECONDS);
        }

        assertThat(github.refused).isNotEmpty().allMatch(r -> r.contains("bad signature"));
        assertThat(github.feedAuthorizations).isEmpty();
    }
}
