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
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an unauthenticated client can hold, over raw sockets: buffered body bytes, connections that
 * trickle headers or go quiet, and the connection of a refused slow body (issue 13, items 5-7);
 * TLS; and JSON answers for what the router or the HTTP decoder refuses.
 */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(120)
class HttpHardeningTest {
    private static final String SECRET = "hardening-secret";

    /** How long a test waits for the bridge to close a connection it should close. */
    private static final int CLOSE_WITHIN_MILLIS = 15_000;

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        kafka = broker;
    }

    private static BridgeConfig config() {
        return TestBridges.config(kafka, SECRET);
    }

    @Test
    void beyondTheBufferedBytesBoundABodyGets503WithRetryAfterAndItsConnectionIsClosed(Vertx vertx)
            throws Exception {
        BridgeConfig bounded =
                config().withMaxBodyBytes(64 * 1024).withMaxBufferedBytes(100 * 1024);
        try (IngestBridge bridge = IngestBridge.start(bounded);
                WebhookClient client = new WebhookClient(vertx, bridge.port());
                Socket holding = connect(bridge.port())) {
            // 60 KB declared, 10 bytes sent: the bridge holds its reservation while it waits
            send(holding, postHead("holding", 60_000) + "{\"action\":");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> client.metric("repostream_bridge_buffered_body_bytes") == 60_000);

            try (Socket second = connect(bridge.port())) {
                send(second, postHead("second", 60_000));
                String answer = readUntilClosed(second);

                assertThat(answer)
                        .startsWith("HTTP/1.1 503")
                        .containsIgnoringCase("retry-after: 10");
                assertThat(answer).contains("webhook.max_buffered_bytes");
            }
            // a chunked body is bounded as it grows
            try (Socket chunked = connect(bridge.port())) {
                send(chunked, chunkedHead("chunked"));
                String chunk = "x".repeat(30_000);
                String answer = null;
                for (int i = 0; i < 2 && answer == null; i++) {
                    send(chunked, Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
                }
                answer = readUntilClosed(chunked);
                assertThat(answer).startsWith("HTTP/1.1 503");
            }
            // a legitimate delivery fits beside the held one
            WebhookDelivery legit =
                    WebhookDelivery.builder()
                            .example(WebhookExamples.first("issues", "opened"))
                            .secret(SECRET)
                            .build();
            assertThat(client.post(legit).status()).isEqualTo(202);
            holding.close();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> client.metric("repostream_bridge_buffered_body_bytes") == 0);
            assertThat(client.get("/metrics").body())
                    .containsPattern(
                            "repostream_bridge_deliveries_total\\{event=\"issues\",outcome=\"buffer_full\"\\} [1-9]");
        }
        assertNotInKafka("second");
    }

    @Test
    void aBridgeWhoseBufferBoundCannotHoldTheLargestBodyRefusesToStart() {
        BridgeConfig wrong = config().withMaxBufferedBytes(1024 * 1024);

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> IngestBridge.start(wrong)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("max_buffered_bytes");
    }

    @Test
    void connectionsThatTrickleTheirHeadersAreClosedAtTheHeaderTimeout(Vertx vertx)
            throws Exception {
        try (IngestBridge bridge =
                        IngestBridge.start(config().withHeaderTimeout(Duration.ofMillis(500)));
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            Socket[] trickling = new Socket[3];
            for (int i = 0; i < trickling.length; i++) {
                trickling[i] = connect(bridge.port());
                send(trickling[i], "POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            }
            for (Socket socket : trickling) {
                // keeps trickling: one header byte more does not restart the clock
                send(socket, "X");
                assertThat(readUntilClosed(socket)).isEmpty();
                socket.close();
            }
            // a kept-alive connection waiting for its next request's headers is closed too
            try (Socket keptAlive = connect(bridge.port())) {
                send(keptAlive, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(readUntilClosed(keptAlive)).startsWith("HTTP/1.1 200");
            }
            assertThat(client.get("/metrics").body())
                    .containsPattern(
                            "repostream_bridge_connections_closed_total\\{reason=\"header_timeout\"\\} [4-9]");
        }
    }

    @Test
    void aConnectionThatGoesQuietMidBodyIsClosedAtTheIdleTimeout() throws Exception {
        BridgeConfig quiet =
                config().withIdleTimeout(Duration.ofMillis(500))
                        .withRequestTimeout(Duration.ofSeconds(60));
        try (IngestBridge bridge = IngestBridge.start(quiet);
                Socket socket = connect(bridge.port())) {
            send(socket, postHead("quiet", 1000) + "{\"a\":");

            assertThat(readUntilClosed(socket)).doesNotContain("202");
        }
        assertNotInKafka("quiet");
    }

    @Test
    void aSlowBodyGets503AndItsConnectionIsClosedAndNoLongerRead() throws Exception {
        try (IngestBridge bridge =
                        IngestBridge.start(config().withRequestTimeout(Duration.ofMillis(300)));
                Socket socket = connect(bridge.port())) {
            send(socket, postHead("slow-body", 1000) + "{\"a\":");

            String answer = readUntilClosed(socket);

            assertThat(answer)
                    .startsWith("HTTP/1.1 503")
                    .containsIgnoringCase("retry-after: 10")
                    .containsIgnoringCase("connection: close")
                    .contains("could not be stored within 300 ms");
        }
        assertNotInKafka("slow-body");
    }

    @Test
    void theBridgeServesHttpsFromAPemCertificateAndKey(Vertx vertx) throws Exception {
        Path cert = resource("tls/bridge-cert.pem");
        Path key = resource("tls/bridge-key.pem");
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .example(WebhookExamples.first("issues", "opened"))
                        .secret(SECRET)
                        .build();
        try (IngestBridge bridge = IngestBridge.start(config().withTls(cert, key))) {
            HttpClient https =
                    vertx.createHttpClient(
                            new HttpClientOptions()
                                    .setSsl(true)
                                    .setTrustOptions(
                                            new PemTrustOptions().addCertPath(cert.toString())));
            int status =
                    https.request(HttpMethod.POST, bridge.port(), "localhost", "/webhooks/github")
                            .compose(
                                    request -> {
                                        delivery.headers().forEach(request::putHeader);
                                        return request.send(Buffer.buffer(delivery.body()));
                                    })
                            .map(response -> response.statusCode())
                            .await(20, TimeUnit.SECONDS);
            https.close();

            assertThat(status).isEqualTo(202);
            // plain HTTP gets no answer from a TLS port
            try (Socket plain = connect(bridge.port())) {
                send(plain, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(readUntilClosed(plain)).doesNotContain("HTTP/1.1 200");
            }
        }
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .contains(delivery.deliveryId());
    }

    @Test
    void theTlsOptionsAreReadFromTheCommandLineAndTheConfigFile() throws Exception {
        Path cert = resource("tls/bridge-cert.pem");
        Path key = resource("tls/bridge-key.pem");
        BridgeMain main = new BridgeMain(Map.of());
        picocli.CommandLine.populateCommand(
                main, "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString());
        assertThat(main.config().tlsCertFile()).isEqualTo(cert);
        assertThat(main.config().tlsKeyFile()).isEqualTo(key);

        Path yaml = java.nio.file.Files.createTempFile("bridge", ".yaml");
        java.nio.file.Files.writeString(
                yaml, "tls:\n  cert_file: " + cert + "\n  key_file: " + key + "\n");
        BridgeConfig fromFile = io.repostream.bridge.config.BridgeConfigLoader.load(yaml, Map.of());
        java.nio.file.Files.delete(yaml);
        assertThat(fromFile.tls()).isTrue();
        assertThat(fromFile.tlsKeyFile()).isEqualTo(key);
    }

    @Test
    void aRefusedDeliveryLogsAtMostABoundedSanitizedDeliveryId() throws Exception {
        // Netty refuses control characters other than tab in header values; tab and bytes beyond
        // ASCII (obs-text) reach the bridge
        String hostile = "evil\t\u00ff[31m" + "A".repeat(5000);
        try (IngestBridge bridge = IngestBridge.start(config());
                CapturedLogs logs = CapturedLogs.capture();
                Socket socket = connect(bridge.port())) {
            String body = "{\"action\":\"opened\"}";
            send(
                    socket,
                    "POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\nX-GitHub-Event: issues\r\n"
                            + "X-GitHub-Delivery: "
                            + hostile
                            + "\r\nX-Hub-Signature-256: sha256="
                            + "0".repeat(64)
                            + "\r\nContent-Length: "
                            + body.length()
                            + "\r\nConnection: close\r\n\r\n"
                            + body);

            assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 401");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    logs.lines().stream()
                                            .anyMatch(l -> l.contains("refused delivery")));
            String refused =
                    logs.lines().stream()
                            .filter(l -> l.contains("refused delivery"))
                            .findFirst()
                            .orElseThrow();
            assertThat(refused)
                    .doesNotContain("\t")
                    .doesNotContain("\u00ff")
                    .doesNotContain("A".repeat(LogSafe.MAX_LENGTH))
                    .contains("evil??[31m")
                    .hasSizeLessThan(600);
        }
    }

    @Test
    void unknownPathsWrongMethodsAndRefusedHeadersGetJsonErrors(Vertx vertx) throws Exception {
        try (IngestBridge bridge = IngestBridge.start(config());
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            WebhookClient.Reply unknown = client.get("/no/such/path");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.headers().get("Content-Type")).isEqualTo("application/json");
            assertThat(unknown.json().getString("message")).isNotBlank();

            try (Socket socket = connect(bridge.port())) {
                send(
                        socket,
                        "PUT /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                String answer = readUntilClosed(socket);
                assertThat(answer).startsWith("HTTP/1.1 405");
                assertThat(jsonOf(answer).getString("message")).isNotBlank();
            }
            try (Socket socket = connect(bridge.port())) {
                send(
                        socket,
                        "POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                                + "b".repeat(20_000)
                                + "\r\n\r\n");
                String answer = readUntilClosed(socket);
                assertThat(answer).startsWith("HTTP/1.1 431");
                assertThat(answer).containsIgnoringCase("content-type: application/json");
                assertThat(jsonOf(answer).getString("message")).contains("headers");
            }
        }
    }

    private static JsonObject jsonOf(String answer) {
        return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }

    private static String postHead(String deliveryId, int contentLength) {
        return "POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nX-GitHub-Event: issues\r\n"
                + "X-GitHub-Delivery: "
                + deliveryId
                + "\r\nX-Hub-Signature-256: sha256="
                + "0".repeat(64)
                + "\r\nContent-Length: "
                + contentLength
                + "\r\n\r\n";
    }

    private static String chunkedHead(String deliveryId) {
        return postHead(deliveryId, 0).replace("Content-Length: 0", "Transfer-Encoding: chunked");
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(CLOSE_WITHIN_MILLIS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Everything the bridge sends until it closes the connection.
     *
     * @throws AssertionError when it keeps the connection open past {@link #CLOSE_WITHIN_MILLIS}
     */
    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError(
                    "the bridge kept the connection open; read so far: "
                            + read.toString(StandardCharsets.ISO_8859_1));
        } catch (java.net.SocketException reset) {
            // closed with unread input: a reset, after what was read
        }
        return read.toString(StandardCharsets.ISO_8859_1);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(HttpHardeningTest.class.getClassLoader().getResource(name).toURI());
    }

    private static void assertNotInKafka(String id) {
        assertThat(TopicContents.values(kafka, Topics.EVENTS))
                .extracting(GitHubEvent::eventId)
                .doesNotContain(id);
        assertThat(TopicContents.values(kafka, Topics.EVENTS_DLQ))
                .extracting(DeadLetter::deliveryId)
                .doesNotContain(id);
    }
}
