package io.repostream.executor.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.executor.ActionExecutor;
import io.repostream.executor.ExecutorConfig;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In a pod, probes and Prometheus reach the admin API through the pod's address, so it must be able
 * to bind more than 127.0.0.1. 127.0.0.2 is loopback too, but only a server bound to every address
 * answers there.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminBindAddressTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        kafka = broker;
    }

    private static ExecutorConfig config() {
        return ExecutorConfig.defaults(kafka.bootstrapServers(), "http://127.0.0.1:9", "t0ken")
                .withGroupId("bind-" + UUID.randomUUID())
                .withAdmin(0, "admin-" + UUID.randomUUID());
    }

    private static int healthz(String host, int port) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/healthz"))
                        .timeout(Duration.ofSeconds(5))
                        .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void byDefaultTheAdminApiListensOnTheLoopbackAddressOnly() throws Exception {
        try (ActionExecutor executor = ActionExecutor.start(config())) {
            assertThat(config().adminHost()).isEqualTo("127.0.0.1");
            assertThat(healthz("127.0.0.1", executor.adminPort())).isEqualTo(200);
            assertThatThrownBy(() -> healthz("127.0.0.2", executor.adminPort()))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void boundToEveryAddressTheAdminApiAnswersOnAnyOfThem() throws Exception {
        try (ActionExecutor executor = ActionExecutor.start(config().withAdminHost("0.0.0.0"))) {
            assertThat(healthz("127.0.0.1", executor.adminPort())).isEqualTo(200);
            assertThat(healthz("127.0.0.2", executor.adminPort())).isEqualTo(200);
        }
    }
}
