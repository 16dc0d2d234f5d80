package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.support.Actions;
import io.repostream.executor.support.AdminApi;
import io.repostream.executor.support.ExecutorProcess;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the executor as its own process with a GitHub token and an admin token, takes it through the
 * paths that log (applying, failing, retrying, a lost answer, the admin API with a wrong and a
 * right token, the kill switch, a rollback, stopping), and then reads everything it logged: neither
 * secret may appear anywhere.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SecretsInLogsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REPO = "acme/secrets";
    private static final String GITHUB_TOKEN =
            "ghp_" + UUID.randomUUID().toString().replace("-", "");
    private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.removeLimits();
        github.createRepo(REPO);
        github.addToken(GITHUB_TOKEN, "secret-bot");
        topics = new KafkaTopics(kafka);
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    @Test
    void logsNeitherTheGitHubTokenNorTheAdminTokenOnAnyPath() throws Exception {
        Path tokenFile = Files.createTempFile("gh-token", ".txt");
        Files.writeString(tokenFile, GITHUB_TOKEN);
        Path adminTokenFile = Files.createTempFile("admin-token", ".txt");
        Files.writeString(adminTokenFile, ADMIN_TOKEN);
        Path log = Files.createTempFile(Path.of("target"), "secrets-executor-", ".log");
        List<String> args =
                List.of(
                        "--bootstrap-servers", kafka.bootstrapServers(),
                        "--github-api-url", github.baseUrl(),
                        "--github-token-file", tokenFile.toString(),
                        "--group-id", "secrets",
                        "--admin-port", "0",
                        "--admin-token-file", adminTokenFile.toString(),
                        "--write-spacing", "PT0S");

        int issue = github.createIssue(REPO, "Secret", "", "alice");
        int commented = github.createIssue(REPO, "Lost answer", "", "alice");
        ActionRecord applied = Actions.addLabels(REPO, issue, "bug");
        ActionRecord missing = Actions.addLabels(REPO, 99_999, "bug");
        ActionRecord retried = Actions.addLabels(REPO, issue, "after-502");
        ActionRecord comment =
                Actions.of(
                        ActionType.CREATE_COMMENT,
                        REPO,
                        commented,
                        Actions.params().put("body", "Hello"));
        try (ExecutorProcess process = ExecutorProcess.start(args, log)) {
            int port = adminPort(log);
            topics.send(applied);
            topics.awaitAudit(applied.actionId(), AuditOutcome.APPLIED, WAIT);
            topics.send(missing);
            topics.awaitAudit(missing.actionId(), AuditOutcome.FAILED, WAIT);
            github.setFailNext(502, 1);
            topics.send(retried);
            topics.awaitAudit(retried.actionId(), AuditOutcome.APPLIED, WAIT);
            github.setFailNextWritesAfterApplying(502, 1);
            topics.send(comment);
            topics.awaitAudit(comment.actionId(), AuditOutcome.APPLIED, WAIT);

            assertThat(admin(port, "GET", "/actions/" + applied.actionId(), "wrong", null))
                    .isEqualTo(401);
            assertThat(admin(port, "GET", "/actions/" + applied.actionId(), ADMIN_TOKEN, null))
                    .isEqualTo(200);
            assertThat(admin(port, "PUT", "/kill-switch", ADMIN_TOKEN, "{\"on\":true}"))
                    .isEqualTo(200);
            assertThat(admin(port, "PUT", "/kill-switch", ADMIN_TOKEN, "{\"on\":false}"))
                    .isEqualTo(200);
            assertThat(
                            admin(
                                    port,
                                    "POST",
                                    "/rollback/actions/" + applied.actionId(),
                                    ADMIN_TOKEN,
                                    null))
                    .isEqualTo(200);
            assertThat(admin(port, "POST", "/rollback/bulk", ADMIN_TOKEN, "not json"))
                    .isEqualTo(400);
        }

        String logged = Files.readString(log);
        // the paths above did log: the start-up config, each outcome, retries, the admin API
        assertThat(logged)
                .contains("starting action executor with")
                .contains("admin API on")
                .contains(applied.actionId())
                .contains("GitHub answered 404")
                .contains("retrying")
                .contains("not sending it again")
                .contains("kill switch turned on")
                .contains("rolled back " + applied.actionId());
        assertThat(logged).doesNotContain(GITHUB_TOKEN).doesNotContain(ADMIN_TOKEN);
    }

    /** The port the executor's admin API bound, from its own log line. */
    private static int adminPort(Path log) {
        Pattern line = Pattern.compile("admin API on http://[^:]+:(\\d+)");
        int[] port = {-1};
        Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> {
                            Matcher m = line.matcher(Files.readString(log));
                            if (m.find()) {
                                port[0] = Integer.parseInt(m.group(1));
                            }
                            return port[0] > 0;
                        });
        return port[0];
    }

    private static int admin(int port, String method, String path, String token, String body)
            throws Exception {
        return AdminApi.send(port, method, path, token, body).statusCode();
    }
}
