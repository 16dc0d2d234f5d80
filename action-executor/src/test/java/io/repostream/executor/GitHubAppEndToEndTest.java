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
 * The executor as a GitHub App, end to end against the simulator's app endpoints: a JWT signed with
 * the app's key buys one installation token per installation (found by the action's {@code
 * installation_id}, else looked up per repo), each repo's requests carry its installation's token,
 * a repo the app is not installed on is a final failure with a clear reason, and an action whose
 * handler needs a permission the installation was not granted ({@code GET /app/installations/{id}})
 * is not sent but audited failed naming it, logged and counted.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GitHubAppEndToEndTest {
    private static final long APP_ID = 12;
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** An installation granted issues but not actions (no re-runs, no cancellations). */
    private static final long LIMITED = 3501;

    private static final String LIMITED_REPO = "perm/limited";

    private static EmbeddedKafkaBroker kafka;
    private static KafkaTopics topics;
    private static GitHubSimulator github;
    private static String privateKeyPem;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        topics = new KafkaTopics(kafka);
        github = simulator;
        for (String repo : new String[] {"acme/api", "acme/web", "other/lib", "acme/chat"}) {
            github.createRepo(repo);
            github.createIssue(repo, "Needs a label", "body", "alice");
        }
        AppKeys keys = AppKeys.generate();
        github.registerApp(APP_ID, keys.publicKey());
        github.installApp(APP_ID, 3401, "acme/api");
        github.installApp(APP_ID, 3402, "acme/web");
        github.installApp(APP_ID, 3403, "acme/chat");
        github.createRepo(LIMITED_REPO);
        github.installApp(
                APP_ID, LIMITED, Map.of("issues", "write", "metadata", "read"), LIMITED_REPO);
        privateKeyPem = keys.privateKeyPem();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    @Test
    void appliesActionsWithOneInstallationTokenPerInstallation() {
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp(
                                kafka.bootstrapServers(), github.baseUrl(), APP_ID, privateKeyPem)
                        .withGroupId("app-e2e")
                        .withoutPacing()
                        .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(1));
        assertThat(config.toString()).doesNotContain("PRIVATE KEY");

        ActionRecord lookedUp = Actions.addLabels("acme/api", 1, "bug");
        ActionRecord secondForApi = Actions.addLabels("acme/api", 1, "triaged");
        ActionRecord known =
                Actions.builder(
                                ActionType.ADD_LABELS,
                                "acme/web",
                                1,
                                Actions.names("labels", "bug"))
                        .installationId(3402L)
                        .build();
        ActionRecord notInstalled = Actions.addLabels("other/lib", 1, "bug");
        try (ActionExecutor executor = ActionExecutor.start(config)) {
            topics.send(lookedUp);
            topics.send(secondForApi);
            topics.send(known);
            topics.send(notInstalled);
            topics.awaitAudit(lookedUp.actionId(), AuditOutcome.APPLIED, WAIT);
            topics.awaitAudit(secondForApi.actionId(), AuditOutcome.APPLIED, WAIT);
            topics.awaitAudit(known.actionId(), AuditOutcome.APPLIED, WAIT);
            AuditRecord failed =
                    topics.awaitAudit(notInstalled.actionId(), AuditOutcome.FAILED, WAIT);
            assertThat(failed.error()).contains("other/lib");
        }

        assertThat(github.mutations())
                .contains(
                        "acme/api#1:+label:bug",
                        "acme/api#1:+label:triaged",
                        "acme/web#1:+label:bug")
                .noneMatch(m -> m.startsWith("other/lib"));
        // cached: one token per installation, however many actions
        assertThat(github.installationTokensIssued())
                .containsEntry(3401L, 1L)
                .containsEntry(3402L, 1L);
        assertThat(github.requests())
                .filteredOn(r -> r.startsWith("GET /repos/acme/web/installation"))
                .as("the action named its installation: no lookup")
                .isEmpty();
    }

    @Test
    void recognisesItsBotsCommentWhenGitHubsAnswerToItIsLost() {
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp(
                                kafka.bootstrapServers(), github.baseUrl(), APP_ID, privateKeyPem)
                        .withGroupId("app-comment")
                        .withoutPacing()
                        .withRetries(3, Duration.ofMillis(10), Duration.ofSeconds(1));
        int number = github.createIssue("acme/chat", "Comment as the app", "", "alice");
        // a person quoting the marker would not count: only the app's bot writes our comments
        ActionRecord action =
                Actions.of(
                        ActionType.CREATE_COMMENT,
                        "acme/chat",
                        number,
                        Actions.params().put("body", "Hello from the app"));
        try (ActionExecutor executor = ActionExecutor.start(config)) {
            github.setFailNextWritesAfterApplying(502, 1);
            topics.send(action);
            AuditRecord audit = topics.awaitAudit(action.actionId(), AuditOutcome.APPLIED, WAIT);
            assertThat(github.comments("acme/chat", number))
                    .singleElement()
                    .satisfies(
                            comment -> {
                                assertThat(comment.author()).isEqualTo("app-" + APP_ID + "[bot]");
                                assertThat(comment.id()).isEqualTo(audit.after().commentId());
                            });
        } finally {
            github.setFailNextWritesAfterApplying(502, 0);
        }
    }

    @Test
    void auditsAnActionItsInstallationMayNotSendAsFailedNamingThePermissionAndSendsNothing() {
        int issue = github.createIssue(LIMITED_REPO, "Flaky CI", "", "alice");
        long run = github.createWorkflowRun(LIMITED_REPO, 7, "abc123", "completed", "failure");
        ExecutorConfig config =
                ExecutorConfig.forGitHubApp(
                                kafka.bootstrapServers(), github.baseUrl(), APP_ID, privateKeyPem)
                        .withGroupId("app-permissions")
                        .withoutPacing()
                        .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(1));
        ActionRecord rerun =
                Actions.builder(ActionType.RERUN_FAILED_JOBS, LIMITED_REPO, run, Actions.params())
                        .installationId(LIMITED)
                        .build();
        ActionRecord label =
                Actions.builder(
                                ActionType.ADD_LABELS,
                                LIMITED_REPO,
                                issue,
                                Actions.names("labels", "ci"))
                        .installationId(LIMITED)
                        .build();

        try (ActionExecutor executor = ActionExecutor.start(config)) {
            topics.send(rerun);
            topics.send(label);
            AuditRecord refused = topics.awaitAudit(rerun.actionId(), AuditOutcome.FAILED, WAIT);
            topics.awaitAudit(label.actionId(), AuditOutcome.APPLIED, WAIT);

            assertThat(refused.error())
                    .contains("actions: write")
                    .contains("rerun_failed_jobs")
                    .contains(LIMITED_REPO + "#" + run);
            assertThat(executor.metrics().scrape())
                    .containsPattern(
                            "repostream_executor_permission_refusals_total\\{action_type="
                                    + "\"rerun_failed_jobs\",permission=\"actions: write\"\\}"
                                    + " 1(\\.0)?\n");
        }
        assertThat(github.requests())
                .as("nothing about the run was sent, not even a read")
                .noneMatch(r -> r.contains("/actions/runs/" + run))
                .filteredOn(r -> r.startsWith("GET /app/installations/" + LIMITED + " "))
                .as("the installation's permissions are asked once")
                .hasSize(1);
        assertThat(github.mutations()).contains(LIMITED_REPO + "#" + issue + ":+label:ci");
    }
}
