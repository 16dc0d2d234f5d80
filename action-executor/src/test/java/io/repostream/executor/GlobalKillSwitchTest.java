package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.executor.support.Actions;
import io.repostream.executor.support.AdminApi;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kill switch holds for every executor: turned on through one executor's admin API it stops a
 * second executor too, a third started later starts with it on, and the CLI turns it off for all.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GlobalKillSwitchTest {
    private static final String ADMIN_TOKEN = "kill-switch-admin-token-0123456789";
    private static final String REPO = "acme/switch";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker kafka;
    private static KafkaTopics topics;
    private static GitHubSimulator github;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        topics = new KafkaTopics(kafka);
        github = simulator;
        github.createRepo(REPO);
        for (int i = 0; i < 4; i++) {
            github.createIssue(REPO, "issue " + i, "body", "alice");
        }
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static ExecutorConfig config(String group) {
        return ExecutorConfigs.forSimulator(kafka, github, group);
    }

    @Test
    void everyExecutorFollowsTheSwitchAndANewOneStartsFromIt() throws Exception {
        try (ActionExecutor first =
                        ActionExecutor.start(config("first").withAdmin(0, ADMIN_TOKEN));
                ActionExecutor second = ActionExecutor.start(config("second"))) {
            HttpResponse<String> on =
                    AdminApi.send(
                            first.adminPort(),
                            "PUT",
                            "/kill-switch",
                            ADMIN_TOKEN,
                            "{\"on\":true,\"reason\":\"rule misbehaves\",\"by\":\"alice\"}");
            assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
            assertThat(on.body()).contains("\"on\":true").contains("rule misbehaves");

            await().atMost(WAIT).until(second::killSwitch);
            ActionRecord stopped = Actions.addLabels(REPO, 1, "bug");
            topics.send(stopped);
            topics.awaitAudit(stopped.actionId(), AuditOutcome.SKIPPED_DISABLED, WAIT);
        }

        // started after the switch was turned on: starts with it on
        try (ActionExecutor third = ActionExecutor.start(config("third"))) {
            assertThat(third.killSwitch()).isTrue();
            assertThat(third.control().latest())
                    .hasValueSatisfying(c -> assertThat(c.setBy()).isEqualTo("alice"));

            StringWriter out = new StringWriter();
            var cli = ExecutorMain.commandLine();
            cli.setOut(new PrintWriter(out, true));
            int code =
                    cli.execute(
                            "kill-switch",
                            "off",
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--reason",
                            "rule fixed",
                            "--by",
                            "bob");
            assertThat(code).isZero();
            assertThat(out.toString()).contains("kill switch off").contains("set by bob");

            await().atMost(WAIT).until(() -> !third.killSwitch());
            ActionRecord applied = Actions.addLabels(REPO, 2, "bug");
            topics.send(applied);
            topics.awaitAudit(applied.actionId(), AuditOutcome.APPLIED, WAIT);
        }
        assertThat(github.labels(REPO, 1)).doesNotContain("bug");
        assertThat(github.labels(REPO, 2)).contains("bug");
    }
}
