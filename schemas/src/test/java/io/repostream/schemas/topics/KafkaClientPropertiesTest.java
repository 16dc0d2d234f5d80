package io.repostream.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {
    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"repostream\" password=\"s3cr3t-value\";";

    @TempDir Path dir;

    @Test
    void readsAKafkaClientPropertiesFile() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file,
                "# a comment\n"
                        + "security.protocol=SASL_SSL\n"
                        + "sasl.mechanism = SCRAM-SHA-512\n"
                        + "sasl.jaas.config="
                        + JAAS
                        + "\n");

        Map<String, String> props = KafkaClientProperties.load(file);

        assertThat(props)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS)
                .hasSize(3);
        assertThat(KafkaClientProperties.describe(props))
                .isEqualTo("[sasl.jaas.config, sasl.mechanism, security.protocol]")
                .doesNotContain("s3cr3t");
    }

    @Test
    void refusesSettingsTheDeliveryGuaranteesRestOnWithoutShowingValues() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "acks=1\nenable.idempotence=false\nsasl.jaas.config=" + JAAS);

        assertThatThrownBy(() -> KafkaClientProperties.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("acks, enable.idempotence")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(
                        () ->
                                KafkaClientProperties.check(
                                        Map.of("bootstrap.servers", "x:9092"), "settings"))
                .hasMessageContaining("settings sets bootstrap.servers")
                .hasMessageContaining("service's own option");
        assertThatThrownBy(
                        () ->
                                KafkaClientProperties.check(
                                        Map.of("isolation.level", "read_uncommitted"), "yaml"))
                .hasMessageContaining("isolation.level");
    }

    @Test
    void aMissingFileIsAClearError() {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> KafkaClientProperties.load(missing))
                .hasMessage("Kafka properties file " + missing + " does not exist");
        assertThatThrownBy(
                        () ->
                                KafkaClientProperties.fromEnvironment(
                                        Map.of(KafkaClientProperties.ENV_FILE, missing.toString())))
                .hasMessageContaining("does not exist");
    }

    @Test
    void theEnvironmentVariableIsOptionalAndRepostreamsOwnSettingsWin() {
        assertThat(KafkaClientProperties.fromEnvironment(Map.of())).isEmpty();
        assertThat(
                        KafkaClientProperties.fromEnvironment(
                                Map.of(KafkaClientProperties.ENV_FILE, " ")))
                .isEmpty();

        Map<String, Object> merged =
                KafkaClientProperties.under(
                        Map.of("security.protocol", "SSL", "linger.ms", "20"),
                        Map.of("linger.ms", 5, "acks", "all"));
        assertThat(merged)
                .containsEntry("security.protocol", "SSL")
                .containsEntry("linger.ms", 5)
                .containsEntry("acks", "all");
    }
}
