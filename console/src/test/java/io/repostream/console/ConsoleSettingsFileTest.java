package io.repostream.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.serviceconfig.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code repostream-console --config FILE}: the YAML settings file fills in what no option gives,
 * an option given wins over it, secrets come from the files it names, and a key it may not have is
 * refused by name with exit code 2 without echoing its value.
 */
class ConsoleSettingsFileTest {
    @TempDir Path dir;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path settings() throws Exception {
        Path password = file("db-password", "pw-from-file\n");
        Path clientSecret = file("client-secret", "oauth-secret-from-file\n");
        Path adminToken = file("admin-token", "a".repeat(40) + "\n");
        return file(
                "console.yaml",
                "kafka:\n"
                        + "  bootstrap_servers: kafka-from-file:9092\n"
                        + "database:\n"
                        + "  url: jdbc:postgresql://db-from-file:5432/console\n"
                        + "  user: console_from_file\n"
                        + "  password_file: "
                        + password
                        + "\n"
                        + "web:\n"
                        + "  host: 0.0.0.0\n"
                        + "  port: 9190\n"
                        + "  public_url: https://console.example.com\n"
                        + "github:\n"
                        + "  web_url: https://github.example.com\n"
                        + "  api_url: https://github.example.com/api/v3\n"
                        + "executor:\n"
                        + "  admin_url: http://executor:8081\n"
                        + "  admin_token_file: "
                        + adminToken
                        + "\n"
                        + "sign_in:\n"
                        + "  client_id: Iv1.fromfile\n"
                        + "  client_secret_file: "
                        + clientSecret
                        + "\n"
                        + "  repo: acme/widgets\n"
                        + "  oauth_scope: repo\n"
                        + "  session_timeout: 2h\n");
    }

    private static ConsoleConfig configOf(String... args) {
        ConsoleMain main = new ConsoleMain();
        new CommandLine(main).parseArgs(args);
        return main.config();
    }

    @Test
    void theFileFillsInEverySettingNoOptionGives() throws Exception {
        ConsoleConfig config = configOf("--config", settings().toString());

        assertThat(config.bootstrapServers()).isEqualTo("kafka-from-file:9092");
        assertThat(config.databaseUrl()).isEqualTo("jdbc:postgresql://db-from-file:5432/console");
        assertThat(config.databaseUser()).isEqualTo("console_from_file");
        assertThat(config.databasePassword()).isEqualTo("pw-from-file");
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(9190);
        assertThat(config.githubWebUrl()).isEqualTo("https://github.example.com");
        assertThat(config.executorAdminUrl()).isEqualTo("http://executor:8081");
        assertThat(config.executorAdminToken()).isEqualTo("a".repeat(40));
        assertThat(config.signIn().clientId()).isEqualTo("Iv1.fromfile");
        assertThat(config.signIn().clientSecret()).isEqualTo("oauth-secret-from-file");
        assertThat(config.signIn().repo()).isEqualTo("acme/widgets");
        assertThat(config.sessionTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(config.toString())
                .doesNotContain("pw-from-file")
                .doesNotContain("oauth-secret-from-file")
                .doesNotContain("a".repeat(40));
    }

    @Test
    void anOptionGivenWinsOverTheFileAndTheRestStillComesFromIt() throws Exception {
        ConsoleConfig config =
                configOf(
                        "--config",
                        settings().toString(),
                        "--bootstrap-servers",
                        "kafka-from-option:9092",
                        "--port",
                        "9999",
                        "--database-user",
                        "console_from_option");

        assertThat(config.bootstrapServers()).isEqualTo("kafka-from-option:9092");
        assertThat(config.port()).isEqualTo(9999);
        assertThat(config.databaseUser()).isEqualTo("console_from_option");
        assertThat(config.databaseUrl()).isEqualTo("jdbc:postgresql://db-from-file:5432/console");
        assertThat(config.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void theLocalModeCanBeChosenInTheFile() throws Exception {
        Path file = file("local.yaml", "sign_in:\n  disabled: true\n");

        ConsoleConfig config = configOf("--config", file.toString());

        assertThat(config.localMode()).isTrue();
        assertThat(config.port()).isEqualTo(ConsoleConfig.DEFAULT_PORT);
    }

    @Test
    void anUnknownKeyIsRefusedByNameWithExitCodeTwoAndItsValueIsNotEchoed() throws Exception {
        String secret = "s3cretPasswordThatMustNeverBeShown";
        Path file = file("typo.yaml", "database:\n  password: " + secret + "\n");
        CommandLine cli = ConsoleMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));

        int exit = cli.execute("--config", file.toString(), "--no-sign-in");

        assertThat(exit).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(err.toString())
                .startsWith("repostream-console: ")
                .contains("unknown setting 'password' in database")
                .contains("password_file")
                .doesNotContain(secret);
        assertThat(err.toString().lines().toList()).hasSize(1);
    }
}
