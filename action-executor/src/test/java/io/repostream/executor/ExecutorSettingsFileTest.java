package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.serviceconfig.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code repostream-executor run --config FILE}: the YAML settings file fills in what no option
 * gives; an option given wins over it; an unknown key is refused by name with exit code 2, and a
 * secret written in the file is never echoed.
 */
class ExecutorSettingsFileTest {
    @TempDir Path dir;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path settings(String extra) throws Exception {
        Path token = file("github-token", "ghp_from_token_file");
        Path adminToken = file("admin-token", "a".repeat(40));
        return file(
                "executor.yaml",
                "kafka:\n"
                        + "  bootstrap_servers: kafka-from-file:9092\n"
                        + "github:\n"
                        + "  api_url: https://github.example.com/api/v3\n"
                        + "  token_file: "
                        + token
                        + "\n"
                        + "consumer:\n"
                        + "  group_id: executors-from-file\n"
                        + "  instance_id: executor-0\n"
                        + "admin:\n"
                        + "  port: 9181\n"
                        + "  host: 0.0.0.0\n"
                        + "  token_file: "
                        + adminToken
                        + "\n"
                        + "pacing:\n"
                        + "  write_spacing: 2s\n"
                        + "  content_creations_per_minute: 40\n"
                        + "  content_creations_per_hour: 300\n"
                        + extra);
    }

    private static ExecutorConfig configOf(String... args) {
        CommandLine.ParseResult parsed = ExecutorMain.commandLine().parseArgs(args);
        ExecutorMain.Run run = parsed.subcommand().commandSpec().commandLine().getCommand();
        return run.config();
    }

    private static String execute(String... args) {
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
    void theFileFillsInEverySettingNoOptionGives() throws Exception {
        ExecutorConfig config =
                configOf("run", "--config", settings("kill_switch: true\n").toString());

        assertThat(config.bootstrapServers()).isEqualTo("kafka-from-file:9092");
        assertThat(config.githubApiUrl()).isEqualTo("https://github.example.com/api/v3");
        assertThat(config.githubToken()).isEqualTo("ghp_from_token_file");
        assertThat(config.groupId()).isEqualTo("executors-from-file");
        assertThat(config.instanceId()).isEqualTo("executor-0");
        assertThat(config.adminPort()).isEqualTo(9181);
        assertThat(config.adminHost()).isEqualTo("0.0.0.0");
        assertThat(config.adminToken()).isEqualTo("a".repeat(40));
        assertThat(config.writeSpacing()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.contentCreationsPerMinute()).isEqualTo(40);
        assertThat(config.contentCreationsPerHour()).isEqualTo(300);
        assertThat(config.killSwitch()).isTrue();
    }

    @Test
    void anOptionGivenWinsOverTheFile() throws Exception {
        Path otherToken = file("other-token", "ghp_from_option");
        ExecutorConfig config =
                configOf(
                        "run",
                        "--config",
                        settings("").toString(),
                        "--bootstrap-servers",
                        "kafka-from-option:9092",
                        "--group-id",
                        "executors-from-option",
                        "--github-token-file",
                        otherToken.toString(),
                        "--write-spacing",
                        "500ms",
                        "--admin-port",
                        "-1");

        assertThat(config.bootstrapServers()).isEqualTo("kafka-from-option:9092");
        assertThat(config.groupId()).isEqualTo("executors-from-option");
        assertThat(config.githubToken()).isEqualTo("ghp_from_option");
        assertThat(config.writeSpacing()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.adminEnabled()).isFalse();
        // what the option does not give still comes from the file
        assertThat(config.contentCreationsPerMinute()).isEqualTo(40);
        assertThat(config.instanceId()).isEqualTo("executor-0");
    }

    @Test
    void theNotificationsSectionReadsTheSlackTokenAndRoutingKeysFromTheirFilesAndMasksThem()
            throws Exception {
        Path slackToken = file("slack-token", "xoxb-from-file-secret\n");
        Path routingKey = file("team-oncall", "0123456789abcdef0123456789abcdef");
        ExecutorConfig config =
                configOf(
                        "run",
                        "--config",
                        settings(
                                        "notifications:\n"
                                                + "  slack_api_url: https://slack.example.com/api/\n"
                                                + "  slack_token_file: "
                                                + slackToken
                                                + "\n"
                                                + "  pagerduty_events_url: https://pd.example.com\n"
                                                + "  pagerduty_routing_key_files:\n"
                                                + "    team-oncall: "
                                                + routingKey
                                                + "\n")
                                .toString());

        assertThat(config.notifications().slackApiUrl()).isEqualTo("https://slack.example.com/api");
        assertThat(config.notifications().slackToken()).isEqualTo("xoxb-from-file-secret");
        assertThat(config.notifications().pagerDutyEventsUrl()).isEqualTo("https://pd.example.com");
        assertThat(config.notifications().routingKeys())
                .containsExactly(
                        java.util.Map.entry("team-oncall", "0123456789abcdef0123456789abcdef"));
        assertThat(config.toString())
                .contains("team-oncall")
                .doesNotContain("xoxb-from-file-secret")
                .doesNotContain("0123456789abcdef0123456789abcdef");
    }

    @Test
    void withoutAFileTheDefaultsHold() throws Exception {
        Path token = file("github-token", "ghp_test");
        ExecutorConfig config =
                configOf("run", "--admin-port", "-1", "--github-token-file", token.toString());

        assertThat(config.writeSpacing()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.contentCreationsPerMinute()).isEqualTo(80);
        assertThat(config.contentCreationsPerHour()).isEqualTo(500);
        assertThat(config.killSwitch()).isFalse();
    }

    @Test
    void anUnknownKeyIsRefusedByNameWithExitCodeTwoAndItsSecretIsNotEchoed() throws Exception {
        String secret = "ghp_s3cr3tValueThatMustNeverBeShown";
        Path config = file("typo.yaml", "github:\n  token: " + secret + "\n");

        String output = execute("run", "--config", config.toString(), "--admin-port", "-1");

        assertThat(output)
                .startsWith(ExitCodes.CANNOT_START + "\n")
                .contains("repostream-executor: ")
                .contains("unknown setting 'token' in github")
                .contains("token_file")
                .doesNotContain(secret);
        assertThat(output.lines().toList()).hasSize(2);
    }

    @Test
    void rollbackReadsTheSameFile() throws Exception {
        List<String> args = new ArrayList<>(List.of("rollback", "--action-id", "a1", "--config"));
        args.add(file("bad.yaml", "pacing:\n  write_spacing: soon\n").toString());

        assertThat(execute(args.toArray(String[]::new)))
                .startsWith(ExitCodes.CANNOT_START + "\n")
                .contains("'pacing.write_spacing' must be a duration");
    }
}
