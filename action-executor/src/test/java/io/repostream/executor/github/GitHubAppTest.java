package io.repostream.executor.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GitHub App authentication against GitHub's app endpoints served on loopback: the JWT is signed
 * with the app's key and accepted only if its signature verifies, installation tokens are fetched
 * once per installation and sent on every request about that installation's repos.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GitHubAppTest {
    private static final long APP_ID = 4242;
    private static final String INSTALLATION_TOKEN = "ghs_installationToken77";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private KeyPair keys;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        requests.add(exchange.getRequestMethod() + " " + path);
        if (path.startsWith("/app/") || path.endsWith("/installation")) {
            if (!auth.startsWith("Bearer ") || !validJwt(auth.substring(7))) {
                send(exchange, 401, "{\"message\":\"A JSON web token could not be decoded\"}");
                return;
            }
            if (path.equals("/repos/acme/app/installation")) {
                send(exchange, 200, "{\"id\":77,\"app_id\":" + APP_ID + "}");
            } else if (path.equals("/app/installations/77/access_tokens")) {
                send(
                        exchange,
                        201,
                        "{\"token\":\""
                                + INSTALLATION_TOKEN
                                + "\",\"expires_at\":\""
                                + Instant.now().plusSeconds(3600)
                                + "\"}");
            } else {
                send(exchange, 404, "{\"message\":\"Not Found\"}");
            }
            return;
        }
        if (!auth.equals("token " + INSTALLATION_TOKEN)) {
            send(exchange, 401, "{\"message\":\"Bad credentials\"}");
            return;
        }
        if (path.equalsIgnoreCase("/repos/acme/app")) {
            send(
                    exchange,
                    200,
                    "{\"id\":1,\"name\":\"app\",\"full_name\":\"acme/app\",\"owner\":{\"login\":\"acme\",\"type\":\"Organization\"},\"url\":\""
                            + baseUrl()
                            + "/repos/acme/app\"}");
        } else if (path.equals("/repos/acme/app/issues/18")) {
            try (InputStream in =
                    GitHubAppTest.class.getResourceAsStream(
                            "/recorded/issue-18-closed-not-planned.json")) {
                send(exchange, 200, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } else {
            send(exchange, 404, "{\"message\":\"Not Found\"}");
        }
    }

    private boolean validJwt(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(keys.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            long now = Instant.now().getEpochSecond();
            return claims.get("iss").asText().equals(String.valueOf(APP_ID))
                    && claims.get("iat").asLong() <= now
                    && claims.get("exp").asLong() > now
                    && claims.get("exp").asLong() - claims.get("iat").asLong() <= 600;
        } catch (Exception e) {
            return false;
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    private RestGitHubClient client() {
        return client(pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }

    private RestGitHubClient client(String privateKeyPem) {
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp("127.0.0.1:1", baseUrl(), APP_ID, privateKeyPem)
                        .withoutPacing();
        ExecutorMetrics metrics = new ExecutorMetrics();
        return new RestGitHubClient(config, new RequestGate(config, metrics), metrics);
    }

    @Test
    void readsWithTheInstallationTokenOfTheRepoAndFetchesItOnce() {
        RestGitHubClient client = client();
        TargetState issue = client.issue("acme/app", 18).value();
        client.issue("acme/app", 18);
        client.issue("acme/app", 18);
        assertThat(issue.state()).isEqualTo("closed");
        assertThat(requests).containsOnlyOnce("POST /app/installations/77/access_tokens");
        assertThat(requests).containsOnlyOnce("GET /repos/acme/app/installation");
        assertThat(requests).doesNotContain("GET /user");
    }

    @Test
    void usesTheInstallationAnActionNamesWithoutLookingItUp() {
        RestGitHubClient client = client();
        client.installationOf("acme/app", 77);
        client.issue("acme/app", 18);
        assertThat(requests).doesNotContain("GET /repos/acme/app/installation");
    }

    @Test
    void failsClearlyWhenTheAppIsNotInstalledOnTheRepo() {
        assertThatThrownBy(() -> client().issue("acme/elsewhere", 1))
                .isInstanceOfSatisfying(
                        GitHubException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("installation of acme/elsewhere");
    }

    @Test
    void readsWithTheKeyInThePkcs1FormGitHubHandsOut() {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        // PKCS#8 for RSA is a fixed 26-byte envelope around the PKCS#1 key
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        assertThat(client(pem("RSA PRIVATE KEY", pkcs1)).issue("acme/app", 18).value().state())
                .isEqualTo("closed");
        assertThat(requests).containsOnlyOnce("POST /app/installations/77/access_tokens");
    }

    @Test
    void neverShowsTheKey() {
        String pem = pem("PRIVATE KEY", keys.getPrivate().getEncoded());
        ExecutorConfig config = ExecutorConfig.forGitHubApp("127.0.0.1:1", baseUrl(), APP_ID, pem);
        assertThat(config.toString())
                .doesNotContain(pem.substring(40, 80))
                .contains("privateKey=****");
        byte[] der = keys.getPrivate().getEncoded();
        String cut = pem("PRIVATE KEY", Arrays.copyOf(der, der.length / 2));
        assertThatThrownBy(() -> client(cut))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the GitHub App private key is not an RSA key in PEM form: not a PKCS#8 RSA"
                                + " private key")
                .hasMessageNotContaining(cut.substring(40, 80));
    }
}
