package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.executor.support.Actions;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.topics.KafkaClientProperties;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that wants credentials: the executor reaches a SASL/PLAIN listener of the in-process
 * broker with the settings of a {@code client.properties} file, applies an action through it, and
 * refuses wrong credentials at start-up without showing them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaSecurityTest {
    private static final String PASSWORD = "executor-kafka-password";
    private static final String REPO = "acme/secured";

    @TempDir static Path dir;

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaBroker.startWithSaslPlain("repostream", PASSWORD);
        kafka.createTopics(Topics.all());
        topics = new KafkaTopics(kafka);
        github = GitHubSimulator.start();
        github.createRepo(REPO);
    }

    @AfterAll
    static void stop() {
        topics.close();
        github.close();
        kafka.close();
    }

    private static Path clientProperties(String name, String password) {
        return kafka.writeSaslClientProperties(dir.resolve(name), password);
    }

    @Test
    void appliesActionsThroughAnAuthenticatedListener() throws Exception {
        ExecutorConfig config =
                ExecutorConfig.defaults(
                                kafka.saslBootstrapServers(),
                                github.baseUrl(),
                                GitHubSimulator.DEFAULT_TOKEN)
                        .withGroupId("secured")
                        .withoutPacing()
                        .withKafkaProperties(
                                KafkaClientProperties.load(clientProperties("ok", PASSWORD)));
        assertThat(config.toString())
                .contains("kafkaProperties=[sasl.jaas.config, sasl.mechanism, security.protocol]")
                .doesNotContain(PASSWORD);

        int issue = github.createIssue(REPO, "Secured", "through SASL", "alice");
        ActionRecord action = Actions.addLabels(REPO, issue, "bug");
        try (ActionExecutor executor = ActionExecutor.start(config)) {
            topics.send(action);
            topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, Duration.ofSeconds(60));
        }
        assertThat(github.mutations()).contains(REPO + "#" + issue + ":+label:bug");
        assertThat(topics.snapshots(action.actionId())).hasSize(1);
    }

    @Test
    void wrongCredentialsFailTheStartWithoutShowingThem() throws Exception {
        ExecutorConfig config =
                ExecutorConfig.defaults(
                                kafka.saslBootstrapServers(),
                                github.baseUrl(),
                                GitHubSimulator.DEFAULT_TOKEN)
                        .withGroupId("wrong-credentials")
                        .withKafkaProperties(
                                KafkaClientProperties.load(
                                        clientProperties("wrong", "not-the-password")));

        assertThatThrownBy(() -> ActionExecutor.start(config).close())
                .hasStackTraceContaining("Authentication failed")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("not-the-password"));
    }

    @Test
    void theCommandLineRefusesAFileThatWeakensTheGuarantees() throws Exception {
        Path file = dir.resolve("weak.properties");
        Files.writeString(file, "security.protocol=SSL\nisolation.level=read_uncommitted\n");
        Path token = Files.writeString(dir.resolve("token"), "ghp_cli_token");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cli = ExecutorMain.commandLine();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));

        int code =
                cli.execute(
                        "rollback",
                        "--bootstrap-servers",
                        kafka.saslBootstrapServers(),
                        "--kafka-properties-file",
                        file.toString(),
                        "--github-token-file",
                        token.toString(),
                        "--action-id",
                        "x");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "repostream-executor: Kafka properties file "
                                + file
                                + " sets isolation.level");
    }

    private static String stackTrace(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
