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
 * and a repo the app is not installed on is a final failure with a clear reason.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GitHubAppEndToEndTest {
    private static final long APP_ID = 12;
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
        for (String repo : new String[] {"acme/api", "acme/web", "other/lib", "acme/chat"}) {
            github.createRepo(repo);
            github.createIssue(repo, "Needs a label", "body", "alice");
        }
        AppKeys keys = AppKeys.generate();
        github.registerApp(APP_ID, keys.publicKey());
        github.installApp(APP_ID, 3401, "acme/api");
        github.installApp(APP_ID, 3402, "acme/web");
        github.installApp(APP_ID, 3403, "acme/chat");
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
}
