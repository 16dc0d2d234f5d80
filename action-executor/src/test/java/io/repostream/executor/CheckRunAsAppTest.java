package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.executor.rollback.RollbackResult;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.AppKeys;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.executor.support.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TypedTarget;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * As a GitHub App the executor writes {@code create_check_run} as a check run (with a token it
 * writes a commit status: {@link GitAndCheckActionsTest}), and undoes it with a new check run that
 * says it was superseded.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CheckRunAsAppTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REPO = "acme/checked";
    private static final long APP_ID = 4_242;

    @Test
    void writesACheckRunAsAGitHubAppAndSupersedesItOnUndo(
            EmbeddedKafkaBroker kafka, GitHubSimulator github) {
        github.removeLimits();
        github.createRepo(REPO);
        AppKeys keys = AppKeys.generate();
        github.registerApp(APP_ID, keys.publicKey());
        github.installApp(
                APP_ID,
                424_200,
                Map.of("checks", "write", "contents", "write", "metadata", "read"),
                REPO);
        String sha = github.branchSha(REPO, "main");
        ActionRecord check =
                Actions.builder(
                                ActionType.CREATE_CHECK_RUN,
                                REPO,
                                TypedTarget.commit(sha).legacyTarget(),
                                Actions.params()
                                        .put("name", "repostream/merge")
                                        .put("status", "completed")
                                        .put("conclusion", "success")
                                        .put("title", "Ready to merge")
                                        .put("summary", "All required checks passed"))
                        .on(TypedTarget.commit(sha))
                        .build();
        try (KafkaTopics topics = new KafkaTopics(kafka)) {
            topics.send(Policies.everyActionType(REPO, 1000));
            ExecutorConfig config =
                    ExecutorConfig.forGitHubApp(
                                    kafka.bootstrapServers(),
                                    github.baseUrl(),
                                    APP_ID,
                                    keys.privateKeyPem())
                            .withGroupId("check-run-app")
                            .withoutPacing();
            try (ActionExecutor executor = ActionExecutor.start(config)) {
                topics.send(check);
                AuditRecord audit = topics.awaitAudit(check.actionId(), a -> true, WAIT);

                assertThat(audit.outcome())
                        .as(String.valueOf(audit.error()))
                        .isEqualTo(AuditOutcome.APPLIED);
                assertThat(audit.after().kind()).isEqualTo("check_run");
                assertThat(github.commitChecks(REPO, sha))
                        .containsExactly("check_run:repostream/merge=success Ready to merge");
                await().atMost(WAIT)
                        .until(() -> executor.ledger().applied(check.actionId()).isPresent());
                RollbackResult undo = executor.rollbacks().rollback(check.actionId(), false);

                assertThat(undo.status())
                        .as(undo.detail())
                        .isEqualTo(RollbackResult.Status.ROLLED_BACK);
                assertThat(github.commitChecks(REPO, sha))
                        .last()
                        .asString()
                        .startsWith("check_run:repostream/merge=cancelled Superseded");
            }
        }
    }

    @Test
    void writesEachAnnotationOfTheCheckRunAtItsLine(
            EmbeddedKafkaBroker kafka, GitHubSimulator github) {
        String repo = "acme/annotated";
        github.removeLimits();
        github.createRepo(repo);
        AppKeys keys = AppKeys.generate();
        github.registerApp(APP_ID + 1, keys.publicKey());
        github.installApp(
                APP_ID + 1,
                424_201,
                Map.of("checks", "write", "contents", "read", "metadata", "read"),
                repo);
        String sha = github.branchSha(repo, "main");
        var params =
                Actions.params()
                        .put("name", "repostream/config")
                        .put("status", "completed")
                        .put("conclusion", "failure")
                        .put("title", "Not a valid repostream policy")
                        .put("summary", "- line 5: sla.mode");
        params.putArray("annotations")
                .addObject()
                .put("path", ".github/repostream.yml")
                .put("start_line", 5)
                .put("end_line", 5)
                .put("annotation_level", "failure")
                .put("message", "$.sla.mode: does not have a value in the enumeration");
        ActionRecord check =
                Actions.builder(
                                ActionType.CREATE_CHECK_RUN,
                                repo,
                                TypedTarget.commit(sha).legacyTarget(),
                                params)
                        .on(TypedTarget.commit(sha))
                        .build();
        try (KafkaTopics topics = new KafkaTopics(kafka)) {
            topics.send(Policies.everyActionType(repo, 1000));
            ExecutorConfig config =
                    ExecutorConfig.forGitHubApp(
                                    kafka.bootstrapServers(),
                                    github.baseUrl(),
                                    APP_ID + 1,
                                    keys.privateKeyPem())
                            .withGroupId("check-run-annotations")
                            .withoutPacing();
            try (ActionExecutor executor = ActionExecutor.start(config)) {
                topics.send(check);
                AuditRecord audit = topics.awaitAudit(check.actionId(), a -> true, WAIT);

                assertThat(audit.outcome())
                        .as(String.valueOf(audit.error()))
                        .isEqualTo(AuditOutcome.APPLIED);
                assertThat(github.checkRunAnnotations(repo, sha, "repostream/config"))
                        .containsExactly(
                                ".github/repostream.yml:5-5 failure: $.sla.mode: does not have a"
                                        + " value in the enumeration");
            }
        }
    }
}
