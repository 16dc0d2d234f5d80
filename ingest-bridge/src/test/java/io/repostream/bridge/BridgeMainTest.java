package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.bridge.config.BridgeConfigLoader;
import io.repostream.serviceconfig.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BridgeMainTest {
    @TempDir Path dir;

    @Test
    void helpListsTheOptionsAndTheEnvironmentVariables() {
        StringWriter out = new StringWriter();
        CommandLine cli = BridgeMain.commandLine(new BridgeMain(Map.of()));
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("--help");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains(
                        "--config",
                        "--port",
                        "--bootstrap-servers",
                        "--kafka-properties-file",
                        "--webhook-secret-file")
                .contains(
                        BridgeConfigLoader.ENV_SECRET,
                        BridgeConfigLoader.ENV_KAFKA,
                        "REPOSTREAM_KAFKA_PROPERTIES_FILE")
                .contains("--kafka-bootstrap-servers: the old spelling of --bootstrap-servers")
                .contains(
                        "--max-buffered-bytes",
                        "--header-timeout",
                        "--idle-timeout",
                        "--tls-cert-file",
                        "--tls-key-file",
                        BridgeConfigLoader.ENV_MAX_BUFFERED_BYTES)
                .contains("--pull", "--pull-interval", "/app/hook/deliveries");
    }

    @Test
    void pullModeComesFromTheFileAndOptionsAndNeedsTheAppAndDeduplication() throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(
                file,
                """
                poll:
                  api_url: https://ghe.example.com/api/v3
                  app: {app_id: 1, installation_id: 2, private_key_file: /run/app.pem}
                pull:
                  enabled: true
                  first_window: 30m
                """);
        BridgeMain main =
                new BridgeMain(Map.of(BridgeConfigLoader.ENV_CONFIG_FILE, file.toString()));
        new CommandLine(main).parseArgs("--pull-interval", "5s");
        BridgeConfig config = main.config();
        assertThat(config.pull())
                .isEqualTo(new PullConfig(true, Duration.ofSeconds(5), Duration.ofMinutes(30)));
        assertThat(BridgeConfig.defaults().pull().enabled()).isFalse();

        BridgeMain withoutApp = new BridgeMain(Map.of());
        new CommandLine(withoutApp).parseArgs("--pull");
        assertThatThrownBy(withoutApp::config).hasMessageContaining("pull.enabled needs poll.app");
        assertThatThrownBy(() -> config.withDedupeWindow(Duration.ZERO))
                .hasMessageContaining("pull.enabled needs deduplication");
        assertThatThrownBy(() -> config.withPull(new PullConfig(true, null, Duration.ofHours(25))))
                .hasMessageContaining("must not exceed dedupe.window");
        assertThatThrownBy(() -> new PullConfig(true, Duration.ZERO, null))
                .hasMessageContaining("pull.interval must be positive");
        Files.writeString(file, "pull:\n  enabled: true\n  every: 5s\n");
        assertThatThrownBy(() -> BridgeConfigLoader.load(file, Map.of()))
                .hasMessageContaining("'every'");
    }

    @Test
    void theBufferBoundAndTheConnectionTimeoutsComeFromTheFileTheEnvironmentAndOptions()
            throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(
                file,
                """
                webhook:
                  max_buffered_bytes: 100000000
                  header_timeout: 5s
                  idle_timeout: 2m
                """);
        BridgeConfig fromFile = BridgeConfigLoader.load(file, Map.of());
        assertThat(fromFile.maxBufferedBytes()).isEqualTo(100_000_000L);
        assertThat(fromFile.headerTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(fromFile.idleTimeout()).isEqualTo(Duration.ofMinutes(2));

        BridgeMain main =
                new BridgeMain(
                        Map.of(
                                BridgeConfigLoader.ENV_CONFIG_FILE,
                                file.toString(),
                                BridgeConfigLoader.ENV_MAX_BUFFERED_BYTES,
                                "90000000"));
        new CommandLine(main).parseArgs("--header-timeout", "750ms");
        BridgeConfig config = main.config();
        assertThat(config.maxBufferedBytes()).isEqualTo(90_000_000L);
        assertThat(config.headerTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(2));

        BridgeConfig defaults = BridgeConfig.defaults();
        assertThat(defaults.maxBufferedBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(defaults.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.tls()).isFalse();
    }

    @Test
    void takesKafkaFromTheFlagEveryServiceUses() {
        StringWriter err = new StringWriter();
        BridgeMain main = new BridgeMain(Map.of(BridgeConfigLoader.ENV_KAFKA, "from-env:9092"));
        CommandLine cli = BridgeMain.commandLine(main);
        cli.setErr(new PrintWriter(err, true));
        cli.parseArgs("--bootstrap-servers", "127.0.0.1:19092");

        assertThat(main.config().kafkaBootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void theOldSpellingOfTheKafkaFlagStillWorksAndWarnsThatItIsDeprecated() {
        StringWriter err = new StringWriter();
        BridgeMain main = new BridgeMain(Map.of());
        CommandLine cli = BridgeMain.commandLine(main);
        cli.setErr(new PrintWriter(err, true));
        cli.parseArgs("--kafka-bootstrap-servers", "127.0.0.1:19092");

        assertThat(main.config().kafkaBootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(err.toString())
                .isEqualTo(
                        "ingest-bridge: warning: --kafka-bootstrap-servers is deprecated and will"
                                + " be removed; use --bootstrap-servers, the name every repostream"
                                + " service uses\n");
    }

    @Test
    void theKafkaPropertiesFileOptionWinsOverItsVariableAndAddsToTheSettingsFile()
            throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(
                file,
                """
                kafka:
                  properties:
                    client.dns.lookup: use_all_dns_ips
                    security.protocol: PLAINTEXT
                """);
        Path fromEnv = Files.writeString(dir.resolve("env.properties"), "security.protocol=SSL\n");
        Path fromFlag =
                Files.writeString(
                        dir.resolve("flag.properties"),
                        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
        BridgeMain main =
                new BridgeMain(
                        Map.of(
                                BridgeConfigLoader.ENV_CONFIG_FILE,
                                file.toString(),
                                "REPOSTREAM_KAFKA_PROPERTIES_FILE",
                                fromEnv.toString()));
        new CommandLine(main).parseArgs("--kafka-properties-file", fromFlag.toString());

        assertThat(main.config().kafkaProperties())
                .containsEntry("client.dns.lookup", "use_all_dns_ips")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void optionsOverrideTheEnvironmentWhichOverridesTheFile() throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(
                file,
                """
                host: 0.0.0.0
                port: 8080
                kafka:
                  bootstrap_servers: from-file:9092
                  timeout: 3s
                webhook:
                  secrets: [file-secret]
                dedupe:
                  window: 2h
                """);
        BridgeMain main =
                new BridgeMain(
                        Map.of(
                                BridgeConfigLoader.ENV_CONFIG_FILE, file.toString(),
                                BridgeConfigLoader.ENV_KAFKA, "from-env:9092",
                                BridgeConfigLoader.ENV_PORT, "9090"));
        new CommandLine(main).parseArgs("--port", "7070");

        BridgeConfig config = main.config();

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(7070);
        assertThat(config.kafkaBootstrapServers()).isEqualTo("from-env:9092");
        assertThat(config.kafkaTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.dedupeWindow()).isEqualTo(Duration.ofHours(2));
        assertThat(config.secrets().global()).containsExactly("file-secret");
    }

    @Test
    void aSecretFileGivesSeveralGlobalSecretsForRotation() throws Exception {
        Path secrets = dir.resolve("secrets");
        Files.writeString(secrets, "old-secret\nnew-secret\n\n");
        BridgeMain main = new BridgeMain(Map.of());
        new CommandLine(main).parseArgs("--webhook-secret-file", secrets.toString());

        assertThat(main.config().secrets().global()).containsExactly("old-secret", "new-secret");
    }

    @Test
    void aStartFailureIsOneClearLineAndExitCodeTwo() {
        StringWriter err = new StringWriter();
        CommandLine cli = BridgeMain.commandLine(new BridgeMain(Map.of()));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("--port", "0");

        assertThat(exit).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(err.toString()).startsWith("ingest-bridge: no webhook secret configured");
    }

    @Test
    void anUnknownSettingInTheFileIsNamed() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "webhook:\n  secretz: [x]\n");

        assertThatThrownBy(() -> BridgeConfigLoader.load(file, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'secretz'");
    }

    @Test
    void perOrgAndPerRepoSecretsAndFiltersComeFromTheFile() throws Exception {
        Path file = dir.resolve("scoped.yaml");
        Files.writeString(
                file,
                """
                webhook:
                  secrets: [global]
                  org_secrets:
                    Octo-Org: [org-old, org-new]
                  repo_secrets:
                    octo-org/Special: [repo-only]
                  allow_sha1: true
                filter:
                  owners: [octo-org]
                  ignored_events: [watch]
                """);

        BridgeConfig config = BridgeConfigLoader.load(file, Map.of());

        assertThat(config.secrets().candidatesFor("octo-org/special", "octo-org"))
                .containsExactly("repo-only");
        assertThat(config.secrets().candidatesFor("octo-org/other", "octo-org"))
                .containsExactly("org-old", "org-new");
        assertThat(config.secrets().candidatesFor("someone/else", null)).containsExactly("global");
        assertThat(config.allowSha1Signatures()).isTrue();
        assertThat(config.filter().owners()).containsExactly("octo-org");
        assertThat(config.filter().ignoredEvents()).isEqualTo(java.util.Set.of("watch"));
    }

    @Test
    void pollingComesFromTheFileWithItsTokenFromTheEnvironment() throws Exception {
        Path file = dir.resolve("poll.yaml");
        Files.writeString(
                file,
                """
                webhook:
                  secrets: [s]
                poll:
                  repos: [Octo/Widgets]
                  interval: 2m
                  state_file: /var/lib/bridge/cursors.json
                """);

        BridgeConfig config =
                BridgeConfigLoader.load(
                        file, Map.of(BridgeConfigLoader.ENV_GITHUB_TOKEN, "ghs_token-value"));

        assertThat(config.poll().enabled()).isTrue();
        assertThat(config.poll().repos()).containsExactly("octo/widgets");
        assertThat(config.poll().apiUrl()).isEqualTo("https://api.github.com");
        assertThat(config.poll().interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.poll().token()).isEqualTo("ghs_token-value");
        assertThat(config.toString()).doesNotContain("ghs_token-value");
    }

    @Test
    void pollingWithoutATokenIsRefusedWithTheReason() throws Exception {
        Path file = dir.resolve("poll.yaml");
        Files.writeString(file, "poll:\n  repos: [octo/widgets]\n");

        assertThatThrownBy(() -> BridgeConfigLoader.load(file, Map.of()))
                .hasMessageContaining("poll.token (or poll.app) is required");
    }

    @Test
    void aBadDurationSaysWhichSettingAndWhatItExpects() {
        assertThatThrownBy(
                        () ->
                                BridgeConfigLoader.load(
                                        null, Map.of(BridgeConfigLoader.ENV_KAFKA_TIMEOUT, "soon")))
                .hasMessageContaining(BridgeConfigLoader.ENV_KAFKA_TIMEOUT)
                .hasMessageContaining("5s");
    }

    @Test
    void theConfigNeverPrintsASecret() {
        BridgeConfig config =
                BridgeConfig.defaults()
                        .withSecrets(
                                WebhookSecrets.global("g-secret-1")
                                        .withOrg("org", "o-secret-2")
                                        .withRepo("org/repo", "r-secret-3"))
                        .withKafkaProperties(Map.of("sasl.jaas.config", "password=k-secret-4"));

        assertThat(config.toString())
                .doesNotContain("g-secret-1", "o-secret-2", "r-secret-3", "k-secret-4")
                .contains("org/repo");
        assertThat(List.of(config.secrets().toString())).noneMatch(s -> s.contains("secret-"));
    }
}
