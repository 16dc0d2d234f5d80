package io.repostream.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsBindingTest {
    record Settings(String host, Integer port, Kafka kafka, List<String> owners) {}

    record Kafka(String bootstrapServers, Duration timeout) {}

    @TempDir Path dir;

    @Test
    void bindsSnakeCaseKeysOntoRecordsAndLeavesWhatIsMissingNull() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("service.yaml"),
                        "port: 8080\nkafka:\n  bootstrap_servers: kafka:9092\nowners: octo\n");

        Settings settings = SettingsBinding.read(file, Settings.class);

        assertThat(settings)
                .isEqualTo(
                        new Settings(null, 8080, new Kafka("kafka:9092", null), List.of("octo")));
    }

    @Test
    void anEmptyFileIsNoSettings() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.yaml"), "");

        assertThat(SettingsBinding.read(file, Settings.class))
                .isEqualTo(new Settings(null, null, null, null));
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(
                        "kafka:\n  bootstrap: k:9092\n",
                        "unknown setting 'bootstrap' in kafka (known: [bootstrap_servers,"
                                + " timeout])"),
                Arguments.of("hots: x\n", "unknown setting 'hots' (known: [host, kafka, owners,"),
                Arguments.of("port: 1\nport: 2\n", "Duplicate field 'port'"),
                Arguments.of("port: eighty\n", "'port' must be a whole number, got 'eighty'"),
                Arguments.of(
                        "kafka:\n  timeout: soon\n",
                        "'kafka.timeout' must be a duration like 500ms, 5s, 10m, 24h or PT5S,"
                                + " got 'soon'"),
                Arguments.of("- a\n- b\n", "expected a mapping of settings"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("mistakes")
    void aMistakeIsRefusedNamingTheFileAndTheSetting(String yaml, String message) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);

        assertThatThrownBy(() -> SettingsBinding.read(file, Settings.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(message);
    }

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("5s", Duration.ofSeconds(5)),
                Arguments.of("10m", Duration.ofMinutes(10)),
                Arguments.of("24h", Duration.ofHours(24)),
                Arguments.of("3d", Duration.ofDays(3)),
                Arguments.of("PT5S", Duration.ofSeconds(5)),
                Arguments.of("pt1m30s", Duration.ofSeconds(90)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void durationsAreShortOrIso8601(String text, Duration expected) throws Exception {
        Path file = Files.writeString(dir.resolve("d.yaml"), "kafka:\n  timeout: " + text + "\n");

        assertThat(SettingsBinding.read(file, Settings.class).kafka().timeout())
                .isEqualTo(expected);
        assertThat(SettingsBinding.duration(text, "--timeout", "command line")).isEqualTo(expected);
    }

    @Test
    void aBadDurationElsewhereNamesItsSourceAndKey() {
        assertThatThrownBy(() -> SettingsBinding.duration("1x", "--timeout", "command line"))
                .hasMessage(
                        "command line: '--timeout' must be a duration like 500ms, 5s, 10m, 24h or"
                                + " PT5S, got '1x'");
    }

    /**
     * A secret put under the wrong key (a token where a port goes, a line indented one level off)
     * must not appear in the error, which goes to logs and terminals; a plain word or number is
     * shown, since it helps and cannot be a credential of ours.
     */
    @Test
    void aValueThatCouldBeASecretIsNotShownInAnError() throws Exception {
        String token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
        Path file = Files.writeString(dir.resolve("s.yaml"), "port: " + token + "\n");
        Path duration =
                Files.writeString(dir.resolve("t.yaml"), "kafka:\n  timeout: hunter2hunter2\n");

        assertThatThrownBy(() -> SettingsBinding.read(file, Settings.class))
                .hasMessageContaining("'port' must be a whole number, got a value of 40 characters")
                .hasMessageNotContaining(token)
                .hasMessageNotContaining("ghp_");
        assertThatThrownBy(() -> SettingsBinding.read(duration, Settings.class))
                .hasMessageContaining("'kafka.timeout' must be a duration")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> SettingsBinding.duration(token, "--timeout", "environment"))
                .hasMessageNotContaining(token);
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> SettingsBinding.read(missing, Settings.class))
                .hasMessageStartingWith("cannot read config file " + missing);
    }
}
