package io.repostream.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaOptionsTest {
    @TempDir Path dir;

    @Command(name = "some-service", mixinStandardHelpOptions = true)
    static final class Service implements Callable<Integer> {
        @Mixin KafkaOptions kafka;

        Service(Map<String, String> env) {
            kafka = new KafkaOptions(env);
        }

        @Override
        public Integer call() {
            return 0;
        }
    }

    private static KafkaOptions parse(Map<String, String> env, String... args) {
        Service service = new Service(env);
        new CommandLine(service).parseArgs(args);
        return service.kafka;
    }

    @Test
    void theOptionWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        Map<String, String> env = Map.of(KafkaOptions.ENV_BOOTSTRAP_SERVERS, "from-env:9092");

        assertThat(parse(env, "--bootstrap-servers", "flag:9092").bootstrapServers())
                .isEqualTo("flag:9092");
        assertThat(parse(env).bootstrapServers()).isEqualTo("from-env:9092");
        assertThat(parse(Map.of()).bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(parse(env).bootstrapServersOption()).isEmpty();
        assertThat(parse(env, "--bootstrap-servers", "flag:9092").bootstrapServersOption())
                .contains("flag:9092");
    }

    @Test
    void aSettingsFileSitsBetweenTheEnvironmentAndTheDefault() throws Exception {
        Map<String, String> env = Map.of(KafkaOptions.ENV_BOOTSTRAP_SERVERS, "from-env:9092");
        assertThat(parse(env, "--bootstrap-servers", "flag:9092").bootstrapServers("file:9092"))
                .isEqualTo("flag:9092");
        assertThat(parse(env).bootstrapServers("file:9092")).isEqualTo("from-env:9092");
        assertThat(parse(Map.of()).bootstrapServers("file:9092")).isEqualTo("file:9092");
        assertThat(parse(Map.of()).bootstrapServers(null)).isEqualTo("127.0.0.1:9092");

        Path fileProps =
                Files.writeString(dir.resolve("file.properties"), "security.protocol=SSL\n");
        Path envProps =
                Files.writeString(dir.resolve("env.properties"), "security.protocol=SASL_SSL\n");
        Map<String, String> envWithFile =
                Map.of("REPOSTREAM_KAFKA_PROPERTIES_FILE", envProps.toString());
        assertThat(parse(Map.of()).properties(fileProps)).containsEntry("security.protocol", "SSL");
        assertThat(parse(envWithFile).properties(fileProps))
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(parse(Map.of()).properties((Path) null)).isEmpty();
    }

    @Test
    void theClientPropertiesFileComesFromTheOptionOrTheEnvironment() throws Exception {
        Path flagFile =
                Files.writeString(dir.resolve("flag.properties"), "security.protocol=SASL_SSL\n");
        Path envFile = Files.writeString(dir.resolve("env.properties"), "security.protocol=SSL\n");
        Map<String, String> env = Map.of("REPOSTREAM_KAFKA_PROPERTIES_FILE", envFile.toString());

        assertThat(parse(env, "--kafka-properties-file", flagFile.toString()).properties())
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(parse(env).properties()).containsEntry("security.protocol", "SSL");
        assertThat(parse(Map.of()).properties()).isEmpty();
        assertThat(parse(env, "--bootstrap-servers", "k:9092").client())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("bootstrap.servers", "k:9092");
    }

    @Test
    void aFileThatSetsWhatTheDeliveryGuaranteesRestOnIsRefusedByName() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "acks=1\n");

        assertThatThrownBy(
                        () -> parse(Map.of(), "--kafka-properties-file", file.toString()).client())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acks")
                .hasMessageContaining(file.toString());
    }

    @Test
    void helpNamesBothOptionsTheirVariablesAndTheDefault() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Service(Map.of()));
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--bootstrap-servers=HOST:PORT[,...]",
                        "REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS",
                        "127.0.0.1:9092",
                        "--kafka-properties-file=FILE",
                        "REPOSTREAM_KAFKA_PROPERTIES_FILE",
                        "sasl.*");
    }
}
