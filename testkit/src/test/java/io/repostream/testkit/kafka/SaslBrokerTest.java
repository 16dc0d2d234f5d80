package io.repostream.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class SaslBrokerTest {
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaBroker.startWithSaslPlain("repostream", "kafka-test-password");
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theSaslListenerAcceptsTheConfiguredUserOnly() throws Exception {
        kafka.createTopic("sasl.check", 1);
        assertThat(kafka.saslBootstrapServers())
                .matches("127\\.0\\.0\\.1:\\d+")
                .isNotEqualTo(kafka.bootstrapServers());

        try (Admin admin = Admin.create(sasl("kafka-test-password"))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("sasl.check");
        }
        try (Admin admin = Admin.create(sasl("wrong-password"))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aPlainBrokerHasNoSaslListener() {
        try (EmbeddedKafkaBroker plain = EmbeddedKafkaBroker.start()) {
            assertThatThrownBy(plain::saslBootstrapServers)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no SASL listener");
        }
    }

    private static Map<String, Object> sasl(String password) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.saslBootstrapServers());
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", "PLAIN");
        props.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"repostream\" password=\""
                        + password
                        + "\";");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return props;
    }
}
