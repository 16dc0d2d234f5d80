package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.support.Actions;
import io.repostream.executor.support.AppKeys;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The executor as a GitHub App whose installation was granted less than every handler needs: it
 * reads the installation's permissions ({@code GET /app/installations/{id}}) and does not send an
 * action whose handler's permission is missing, but audits it failed naming the permission, logs
 * and counts it; the actions it may send go on.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AppPermissionsEndToEndTest {
    private static final long APP_ID = 31;
    private static final long INSTALLATION = 3501;
    private static final String REPO = "perm/limited";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker kafka;
    private static KafkaTopics topics;
    private static GitHubSimulator github;
    private static String privateKeyPem;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        topics = new KafkaTopics(kafka);
        github = simulator;
        github.createRepo(REPO);
        AppKeys keys = AppKeys.generate();
        github.registerApp(APP_ID, keys.publicKey());
        // issues yes; actions (re-runs, cancellations) no
        github.installApp(
                APP_ID, INSTALLATION, Map.of("issues", "write", "metadata", "read"), REPO);
        privateKeyPem = keys.privateKeyPem();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    @Test
    void auditsAnActionItsInstallationMayNotSendAsFailedNamingThePermissionAndSendsNothing() {
        int issue = github.createIssue(REPO, "Flaky CI", "", "alice");
        long run = github.createWorkflowRun(REPO, 7, "abc123", "completed", "failure");
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp(
                                kafka.bootstrapServers(), github.baseUrl(), APP_ID, privateKeyPem)
                        .withGroupId("app-permissions")
                        .withoutPacing()
                        .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(1));
        ActionRecord rerun =
                Actions.builder(ActionType.RERUN_FAILED_JOBS, REPO, run, Actions.params())
                        .installationId(INSTALLATION)
                        .build();
        ActionRecord label =
                Actions.builder(ActionType.ADD_LABELS, REPO, issue, Actions.names("labels", "ci"))
                        .installationId(INSTALLATION)
                        .build();

        try (ActionExecutor executor = ActionExecutor.start(config)) {
            topics.send(rerun);
            topics.send(label);
            AuditRecord refused = topics.awaitAudit(rerun.actionId(), AuditOutcome.FAILED, WAIT);
            topics.awaitAudit(label.actionId(), AuditOutcome.APPLIED, WAIT);

            assertThat(refused.error())
                    .contains("actions: write")
                    .contains("rerun_failed_jobs")
                    .contains(REPO + "#" + run);
            assertThat(executor.metrics().scrape())
                    .containsPattern(
                            "repostream_executor_permission_refusals_total\\{action_type="
                                    + "\"rerun_failed_jobs\",permission=\"actions: write\"\\}"
                                    + " 1(\\.0)?\n");
        }
        assertThat(github.requests())
                .as("nothing about the run was sent, not even a read")
                .noneMatch(r -> r.contains("/actions/runs/" + run))
                .filteredOn(r -> r.startsWith("GET /app/installations/" + INSTALLATION + " "))
                .as("the installation's permissions are asked once")
                .hasSize(1);
        assertThat(github.mutations()).contains(REPO + "#" + issue + ":+label:ci");
    }
}
