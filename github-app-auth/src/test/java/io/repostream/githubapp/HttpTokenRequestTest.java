package io.repostream.githubapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JDK-client token request against GitHub's access-token endpoint served on loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpTokenRequestTest {
    private static final String TOKEN = "ghs_loopbackToken1234";
    private static final String EXPIRES = "2026-12-07T07:00:00Z";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 201;
    private volatile String body =
            "{\"token\":\"" + TOKEN + "\",\"expires_at\":\"" + EXPIRES + "\"}";
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.add(
                exchange.getRequestMethod()
                        + " "
                        + exchange.getRequestURI().getPath()
                        + " "
                        + exchange.getRequestHeaders().getFirst("Authorization"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().add("x-ratelimit-remaining", "0");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private HttpTokenRequest request() {
        return new HttpTokenRequest(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/",
                HttpClient.newHttpClient(),
                Duration.ofSeconds(10));
    }

    @Test
    void postsTheAppsJwtToTheInstallationsAccessTokensAndReadsTheToken() throws Exception {
        InstallationToken token = request().request(3401, "app.jwt.here");

        assertThat(token.value()).isEqualTo(TOKEN);
        assertThat(token.expiresAt()).isEqualTo(Instant.parse(EXPIRES));
        assertThat(requests)
                .containsExactly("POST /app/installations/3401/access_tokens Bearer app.jwt.here");
    }

    @Test
    void aRefusalCarriesGitHubsStatusMessageAndHeadersButNoJwt() {
        status = 401;
        body = "{\"message\":\"A JSON web token could not be decoded\"}";

        assertThatThrownBy(() -> request().request(3401, "app.jwt.here"))
                .isInstanceOfSatisfying(
                        HttpTokenRequest.Refused.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(401);
                            assertThat(e.headers().firstValue("x-ratelimit-remaining"))
                                    .contains("0");
                        })
                .hasMessage(
                        "GitHub answered 401 (A JSON web token could not be decoded) asking for a"
                                + " token of installation 3401")
                .hasMessageNotContaining("app.jwt.here");
    }

    @Test
    void anAnswerWithoutATokenIsARefusal() {
        body = "{\"expires_at\":\"" + EXPIRES + "\"}";

        assertThatThrownBy(() -> request().request(3401, "app.jwt.here"))
                .isInstanceOf(HttpTokenRequest.Refused.class)
                .hasMessage("GitHub's answer holds no token for installation 3401");
    }
}
