package io.repostream.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.repostream.bridge.BridgeConfig;
import io.repostream.serviceconfig.SettingsBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bridge's settings file binds onto {@link BridgeSettings} with Jackson: every settings file we
 * ship still binds, and a key no record has is refused naming the key, its section and the file.
 */
class SettingsBindingTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Pattern YAML_BLOCK =
            Pattern.compile("```yaml not-a-policy\\n(.*?)```", Pattern.DOTALL);

    @TempDir Path dir;

    /** The README's examples and the Helm chart's values for the bridge's settings file. */
    static Stream<Arguments> shippedSettings() throws IOException {
        List<Arguments> files = new ArrayList<>();
        Path readme = MODULE.resolve("README.md");
        Matcher blocks = YAML_BLOCK.matcher(Files.readString(readme));
        for (int i = 1; blocks.find(); i++) {
            files.add(
                    Arguments.of(
                            "README.md example " + i, new YAMLMapper().readTree(blocks.group(1))));
        }
        Path chart = MODULE.resolveSibling("helm").resolve("repostream");
        for (Path values :
                List.of(
                        chart.resolve("values.yaml"),
                        chart.resolve("ci").resolve("production-values.yaml"))) {
            JsonNode config =
                    new YAMLMapper().readTree(values.toFile()).path("bridge").path("config");
            files.add(
                    Arguments.of(MODULE.getParent().relativize(values) + " bridge.config", config));
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedSettings")
    void everySettingsFileWeShipStillBinds(String name, JsonNode settings) {
        assertThat(SettingsBinding.bind(settings, BridgeSettings.class, name)).isNotNull();
    }

    @Test
    void theShippedExamplesAreFoundAtAll() throws IOException {
        assertThat(shippedSettings()).hasSizeGreaterThanOrEqualTo(4);
    }

    static Stream<Arguments> unknownKeys() {
        return Stream.of(
                Arguments.of("prot: 8080\n", "unknown setting 'prot'", "(known: [dedupe,"),
                Arguments.of(
                        "kafka:\n  bootstrap: k:9092\n",
                        "unknown setting 'bootstrap' in kafka",
                        "bootstrap_servers"),
                Arguments.of(
                        "poll:\n  app:\n    app_id: 1\n    key_file: k.pem\n",
                        "unknown setting 'key_file' in poll.app",
                        "private_key_file"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unknownKeys")
    void refusesAnUnknownKeyNamingItItsSectionAndTheFile(String yaml, String message, String known)
            throws IOException {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, yaml);

        assertThatThrownBy(() -> BridgeConfigLoader.load(file, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(message)
                .hasMessageContaining(known);
    }

    @Test
    void namesAValueOfTheWrongKindWithItsPath() throws IOException {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, "webhook:\n  idle_timeout: soon\n");

        assertThatThrownBy(() -> BridgeConfigLoader.load(file, Map.of()))
                .hasMessageContaining(file + ": 'webhook.idle_timeout' must be a duration")
                .hasMessageContaining("got 'soon'");
    }

    @Test
    void refusesAKeyGivenTwice() throws IOException {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, "port: 1\nport: 2\n");

        assertThatThrownBy(() -> BridgeConfigLoader.load(file, Map.of()))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("port");
    }

    @Test
    void bindsDurationsListsAndSingleStringsAsTheLoaderDidByHand() throws IOException {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(
                file,
                """
                port: "8081"
                kafka:
                  timeout: 1500ms
                  properties: {linger.ms: 5}
                webhook:
                  secrets: only-one
                  org_secrets: {acme: [a, b]}
                dedupe:
                  window: PT2H
                filter:
                  owners: acme
                """);

        BridgeConfig config = BridgeConfigLoader.load(file, Map.of());

        assertThat(config.port()).isEqualTo(8081);
        assertThat(config.kafkaTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.kafkaProperties()).containsEntry("linger.ms", "5");
        assertThat(config.secrets().global()).containsExactly("only-one");
        assertThat(config.secrets().perOrg()).containsEntry("acme", List.of("a", "b"));
        assertThat(config.dedupeWindow()).isEqualTo(Duration.ofHours(2));
        assertThat(config.filter().owners()).containsExactly("acme");
    }
}
