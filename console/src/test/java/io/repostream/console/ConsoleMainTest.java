package io.repostream.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.serviceconfig.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: its help, and the messages a misconfigured start gives. */
class ConsoleMainTest {
    private static final String PASSWORD = "s3cret-database-password";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = ConsoleMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariable() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--bootstrap-servers",
                        "REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS",
                        "--kafka-properties-file",
                        "--database-url",
                        "REPOSTREAM_CONSOLE_DATABASE_URL",
                        "--database-user",
                        "--database-password-file",
                        "REPOSTREAM_CONSOLE_DATABASE_PASSWORD",
                        "--host",
                        "--port",
                        "--github-web-url",
                        "--executor-admin-url",
                        "--executor-admin-token-file",
                        "--no-sign-in",
                        "--github-client-id",
                        "--github-client-secret-file",
                        "--public-url",
                        "--sign-in-repo",
                        "--session-timeout");
    }

    @Test
    void anUnreachableDatabaseIsNamedWithoutItsPassword(@TempDir Path dir) throws IOException {
        Path passwordFile = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/console";

        int exit =
                run(
                        "--database-url",
                        url,
                        "--database-password-file",
                        passwordFile.toString(),
                        "--port",
                        "0",
                        "--no-sign-in");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("cannot connect to PostgreSQL at " + url);
        assertThat(err.toString() + out).doesNotContain(PASSWORD);
    }

    @Test
    void refusesToStartWithoutAnExplicitChoiceOfSignIn() {
        assertThat(run("--port", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("choose how people sign in", "--no-sign-in");
    }

    @Test
    void theConfigNeverPrintsTheOAuthClientSecretNorTheAdminToken(@TempDir Path dir)
            throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), PASSWORD + "-oauth\n");
        Path token = Files.writeString(dir.resolve("token"), PASSWORD + "-admin\n");
        ConsoleMain main = new ConsoleMain();
        new picocli.CommandLine(main)
                .parseArgs(
                        "--github-client-id",
                        "Iv1.abc",
                        "--github-client-secret-file",
                        secret.toString(),
                        "--public-url",
                        "https://console.example.com",
                        "--sign-in-repo",
                        "acme/widgets",
                        "--executor-admin-url",
                        "http://executor:8081",
                        "--executor-admin-token-file",
                        token.toString());
        ConsoleConfig config = main.config();
        assertThat(config.signIn().clientSecret()).isEqualTo(PASSWORD + "-oauth");
        assertThat(config.executorAdminToken()).isEqualTo(PASSWORD + "-admin");
        assertThat(config.toString())
                .doesNotContain(PASSWORD)
                .contains("clientId=Iv1.abc", "executorAdminToken=****");
    }

    @Test
    void aDatabaseUrlThatIsNotPostgresIsRefused() {
        assertThat(run("--database-url", "jdbc:mysql://db/console")).isEqualTo(2);
        assertThat(err.toString()).contains("must be a PostgreSQL JDBC URL");
    }

    @Test
    void aStartFailureIsOneLineNamingTheConsoleAndExitCodeTwo() {
        assertThat(run("--kafka-properties-file", "/nonexistent.properties"))
                .isEqualTo(ExitCodes.CANNOT_START);
        assertThat(err.toString())
                .isEqualTo(
                        "repostream-console: Kafka properties file /nonexistent.properties does"
                                + " not exist\n");
    }

    @Test
    void kafkaComesFromTheOptionsEveryServiceShares(@TempDir Path dir) throws IOException {
        Path properties =
                Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\n");
        ConsoleMain main = new ConsoleMain();
        new CommandLine(main)
                .parseArgs(
                        "--bootstrap-servers",
                        "kafka:9093",
                        "--kafka-properties-file",
                        properties.toString(),
                        "--no-sign-in");

        ConsoleConfig config = main.config();

        assertThat(config.bootstrapServers()).isEqualTo("kafka:9093");
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SSL");
    }

    @Test
    void theConfigNeverPrintsThePassword() {
        ConsoleConfig config =
                new ConsoleConfig(
                        "127.0.0.1:9092",
                        Map.of(),
                        "jdbc:postgresql://db:5432/console?password=" + PASSWORD,
                        "console",
                        PASSWORD,
                        null,
                        8090,
                        null);
        assertThat(config.toString()).doesNotContain(PASSWORD).contains("****");
    }
}
