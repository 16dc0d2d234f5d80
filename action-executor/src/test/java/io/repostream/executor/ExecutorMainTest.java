package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.serviceconfig.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ExecutorMainTest {

    private static String run(String... args) {
        CommandLine cli = ExecutorMain.commandLine();
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        cli.setOut(writer);
        cli.setErr(writer);
        int code = cli.execute(args);
        writer.flush();
        return code + "\n" + out;
    }

    @Test
    void helpListsTheSubcommands() {
        assertThat(run("--help")).startsWith("0\n").contains("run").contains("rollback");
    }

    @Test
    void runHelpTakesSecretsFromEnvironmentOrFilesOnly() {
        String help = run("run", "--help");
        assertThat(help)
                .contains("--github-token-file")
                .contains("GITHUB_TOKEN")
                .contains("--admin-token-file")
                .contains("REPOSTREAM_ADMIN_TOKEN")
                .contains("REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS")
                .contains("--github-app-id")
                .contains("--github-app-key-file")
                .contains("GITHUB_APP_PRIVATE_KEY")
                .contains("--admin-tls-cert-file")
                .contains("--admin-tls-key-file")
                .contains("REPOSTREAM_ADMIN_TLS_CERT_FILE")
                .doesNotContain("--github-token ")
                .doesNotContain("--token");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "rollback", "policy apply", "kill-switch"})
    void everyCommandThatTalksToKafkaTakesTheSameKafkaOptions(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");

        assertThat(run(args.toArray(String[]::new)))
                .startsWith("0\n")
                .contains("--bootstrap-servers=HOST:PORT[,...]")
                .contains("REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS")
                .contains("--kafka-properties-file=FILE")
                .contains("REPOSTREAM_KAFKA_PROPERTIES_FILE")
                .doesNotContain("--kafka-bootstrap-servers");
    }

    @Test
    void aStartFailureIsOneLineNamingTheExecutorAndExitCodeTwo(@TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path token =
                java.nio.file.Files.writeString(dir.resolve("github-token"), "ghp_test");
        String output =
                run(
                        "rollback",
                        "--action-id",
                        "a1",
                        "--github-token-file",
                        token.toString(),
                        "--kafka-properties-file",
                        "/nonexistent.p");

        assertThat(output)
                .isEqualTo(
                        ExitCodes.CANNOT_START
                                + "\nrepostream-executor: Kafka properties file /nonexistent.p"
                                + " does not exist\n");
    }

    @Test
    void durationsTakeTheFormsEveryServiceTakes() {
        CommandLine.ParseResult parsed =
                ExecutorMain.commandLine().parseArgs("run", "--write-spacing", "500ms");

        ExecutorMain.Run run = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertThat(run.writeSpacing).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(run("run", "--help")).contains("--write-spacing").contains("500ms");
    }

    @Test
    void rollbackHelpOffersADryRunAndBothSelections() {
        assertThat(run("rollback", "--help"))
                .contains("--dry-run")
                .contains("--action-id")
                .contains("--produced-by")
                .contains("--from")
                .contains("--to");
    }

    @Test
    void rollbackNeedsAnActionIdOrARule() {
        String output = run("rollback", "--dry-run");
        assertThat(output).startsWith("2\n").contains("--action-id").contains("--produced-by");
    }

    @Test
    void aMissingTokenFileIsAClearError() {
        String output =
                run("rollback", "--action-id", "a1", "--github-token-file", "/nonexistent/token");
        assertThat(output)
                .startsWith("2\n")
                .contains("cannot read the GitHub token file /nonexistent/token");
    }

    @Test
    void aGitHubAppNeedsItsKey() {
        String output =
                run(
                        "rollback",
                        "--action-id",
                        "a1",
                        "--github-app-id",
                        "42",
                        "--github-app-key-file",
                        "/nonexistent/key.pem");
        assertThat(output)
                .startsWith("2\n")
                .contains("cannot read the GitHub App private key file /nonexistent/key.pem");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void refusesToRunWithAnAdminTokenShorterThan32CharactersAndDoesNotEchoIt() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("executor-main");
        java.nio.file.Path githubToken =
                java.nio.file.Files.writeString(dir.resolve("github-token"), "ghp_test");
        String shortToken = "too-short-admin-token-31-chars!";
        assertThat(shortToken).hasSize(31);
        java.nio.file.Path adminToken =
                java.nio.file.Files.writeString(dir.resolve("admin-token"), shortToken);

        String output =
                run(
                        "run",
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--github-token-file",
                        githubToken.toString(),
                        "--admin-token-file",
                        adminToken.toString());

        assertThat(output)
                .startsWith("2\n")
                .contains("admin token must be at least 32 characters")
                .contains("openssl rand -hex 32")
                .doesNotContain(shortToken);
    }
}
