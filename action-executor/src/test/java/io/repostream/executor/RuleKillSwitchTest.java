package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.executor.support.Actions;
import io.repostream.executor.support.AdminApi;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
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
 * A kill switch per rule, beside the global one: the actions of a killed rule (by its producer,
 * {@code produced_by} without its version) are skipped, audited with the reason and counted, on
 * every executor, while the other rules' actions are applied; switched on and off at run time
 * (admin API, CLI).
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RuleKillSwitchTest {
    private static final String ADMIN_TOKEN = "rule-switch-admin-token-0123456789";
    private static final String REPO = "acme/rule-switch";
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

    private static ActionRecord label(long issue, String producedBy, String label) {
        return Actions.builder(ActionType.ADD_LABELS, REPO, issue, Actions.names("labels", label))
                .producedBy(producedBy)
                .build();
    }

    @Test
    void theActionsOfAKilledRuleAreSkippedOnEveryExecutorAndTheOthersApplied() throws Exception {
        try (ActionExecutor first =
                        ActionExecutor.start(
                                ExecutorConfigs.forSimulator(kafka, github, "rule-first")
                                        .withAdmin(0, ADMIN_TOKEN));
                ActionExecutor second =
                        ActionExecutor.start(
                                ExecutorConfigs.forSimulator(kafka, github, "rule-second"))) {
            HttpResponse<String> on =
                    AdminApi.send(
                            first.adminPort(),
                            "PUT",
                            "/kill-switch/rules/sla-monitor",
                            ADMIN_TOKEN,
                            "{\"on\":true,\"reason\":\"escalates the wrong people\",\"by\":\"alice\"}");
            assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
            assertThat(on.body()).contains("sla-monitor").contains("escalates the wrong people");

            await().atMost(WAIT).until(() -> second.control().ruleKilled("sla-monitor"));
            assertThat(second.killSwitch()).as("the global switch").isFalse();
            ActionRecord killed = label(1, "sla-monitor@1", "sla/breached");
            ActionRecord other = label(2, "triage-label@1", "needs-triage");
            topics.send(killed);
            topics.send(other);

            AuditRecord skipped =
                    topics.awaitAudit(killed.actionId(), AuditOutcome.SKIPPED_DISABLED, WAIT);
            assertThat(skipped.error())
                    .contains("sla-monitor")
                    .contains("escalates the wrong people")
                    .contains("alice");
            topics.awaitAudit(other.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(first.metrics().scrape() + second.metrics().scrape())
                    .containsPattern(
                            "repostream_executor_rule_kill_switch_skips_total\\{rule=\"sla-monitor\"\\} 1");
            assertThat(second.metrics().scrape())
                    .containsPattern("repostream_executor_rule_kill_switches_on 1(\\.0)?\n");
            assertThat(
                            AdminApi.send(
                                            first.adminPort(),
                                            "GET",
                                            "/kill-switch",
                                            ADMIN_TOKEN,
                                            null)
                                    .body())
                    .contains("\"rules\"")
                    .contains("sla-monitor");

            StringWriter out = new StringWriter();
            var cli = ExecutorMain.commandLine();
            cli.setOut(new PrintWriter(out, true));
            int code =
                    cli.execute(
                            "kill-switch",
                            "off",
                            "--rule",
                            "sla-monitor",
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--by",
                            "bob");
            assertThat(code).isZero();
            assertThat(out.toString()).contains("kill switch of rule sla-monitor off");

            await().atMost(WAIT).until(() -> !second.control().ruleKilled("sla-monitor"));
            ActionRecord applied = label(3, "sla-monitor@2", "sla/breached");
            topics.send(applied);
            topics.awaitAudit(applied.actionId(), AuditOutcome.APPLIED, WAIT);
        }
        assertThat(github.labels(REPO, 1)).doesNotContain("sla/breached");
        assertThat(github.labels(REPO, 2)).contains("needs-triage");
        assertThat(github.labels(REPO, 3)).contains("sla/breached");
    }
}
