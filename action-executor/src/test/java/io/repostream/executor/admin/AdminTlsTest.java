package io.repostream.executor.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.executor.ActionExecutor;
import io.repostream.executor.ExecutorConfig;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin API serves TLS from a PEM certificate and key (a test-only self-signed pair, see
 * src/test/resources/tls/README.md): a client that trusts the certificate gets its answers over
 * HTTPS, and plain HTTP gets none.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminTlsTest {
    private static final String ADMIN_TOKEN = "admin-tls-" + UUID.randomUUID();
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        kafka = broker;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(AdminTlsTest.class.getResource("/tls/" + name).toURI());
    }

    /** An HTTP client that trusts the test certificate (and checks the host name against it). */
    private static HttpClient trustingClient() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = AdminTlsTest.class.getResourceAsStream("/tls/admin-cert.pem")) {
            trusted.setCertificateEntry(
                    "admin", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpResponse<String> get(HttpClient client, String url, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheAdminApiOverTlsFromAPemCertificateAndKey() throws Exception {
        ExecutorConfig config =
                ExecutorConfig.defaults(kafka.bootstrapServers(), "http://127.0.0.1:9", "t0ken")
                        .withGroupId("tls-" + UUID.randomUUID())
                        .withAdmin(0, ADMIN_TOKEN)
                        .withAdminTls(resource("admin-cert.pem"), resource("admin-key.pem"));
        try (ActionExecutor executor = ActionExecutor.start(config)) {
            int port = executor.adminPort();
            HttpClient https = trustingClient();

            assertThat(get(https, "https://localhost:" + port + "/healthz", null).statusCode())
                    .isEqualTo(200);
            assertThat(get(https, "https://127.0.0.1:" + port + "/metrics", null).body())
                    .contains("repostream_executor_actions_lag");
            assertThat(
                            get(https, "https://localhost:" + port + "/kill-switch", ADMIN_TOKEN)
                                    .statusCode())
                    .isEqualTo(200);
            HttpClient plain =
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + port + "/healthz", null))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void refusesACertificateWithoutItsKeyAndAFileItCannotRead() throws Exception {
        ExecutorConfig config =
                ExecutorConfig.defaults(kafka.bootstrapServers(), "http://127.0.0.1:9", "t0ken")
                        .withAdmin(0, ADMIN_TOKEN);
        assertThatThrownBy(() -> config.withAdminTls(resource("admin-cert.pem"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--admin-tls-cert-file and --admin-tls-key-file");
        assertThatThrownBy(
                        () ->
                                config.withAdminTls(
                                        resource("admin-cert.pem"),
                                        Path.of("/nonexistent/key.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read the admin TLS key file /nonexistent/key.pem");
    }
}
