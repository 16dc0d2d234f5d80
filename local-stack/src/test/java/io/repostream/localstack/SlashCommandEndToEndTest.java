package io.repostream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.github.CommentView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slash commands through every real hop: a signed {@code issue_comment} webhook → bridge → Kafka →
 * Flink (the command framework asks for the commenter's permission: a read action) → executor →
 * GitHub (simulated: the collaborator's permission) → enrichment event → Flink → the label, on the
 * simulated GitHub. A read-only commenter's command and an unknown command get one reply each.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SlashCommandEndToEndTest {
    private static final String REPO = "octo-org/commands";

    @TempDir Path workDir;

    @Test
    void aTriagerLabelsByCommandAndAReadOnlyCommenterOrAnUnknownCommandGetsOneReply()
            throws Exception {
        try (LocalStack stack = LocalStack.start(workDir)) {
            var github = stack.github();
            github.createRepo(REPO);
            int issue = github.createIssue(REPO, "Crash on start", "It crashes.", "alice");
            github.setCollaborator(REPO, "tina", "triage");
            github.setCollaborator(REPO, "rita", "read");
            WebhookReplayer hooks = new WebhookReplayer(stack.webhookUrl(), stack.webhookSecret());

            // slash commands are off unless the repo's policy has a commands section
            stack.publishPolicy(
                    RepoPolicy.builder(REPO)
                            .commands(RepoPolicy.Commands.on())
                            .updatedAt(Instant.now())
                            .build());
            // the job reads the policy beside the events: until it has it, a command is ignored,
            // so the first command is made again until it is done (each one read at most once)
            int tinaComments = 0;
            while (!github.labels(REPO, issue).contains("bug")) {
                assertThat(tinaComments).as("comments until the policy took effect").isLessThan(6);
                comment(stack, hooks, issue, "tina", "Confirmed.\n/label bug");
                tinaComments++;
                try {
                    await().atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> github.labels(REPO, issue).contains("bug"));
                } catch (org.awaitility.core.ConditionTimeoutException notYet) {
                    // not done yet: the policy had not arrived, or the stack is slow; again
                }
            }
            comment(stack, hooks, issue, "rita", "/label wontfix");
            comment(stack, hooks, issue, "tina", "/frobnicate now");

            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> replies(stack, issue).size() >= 2);
            List<CommentView> replies = replies(stack, issue);
            assertThat(github.labels(REPO, issue)).containsExactly("bug");
            assertThat(replies).hasSize(2);
            assertThat(replies)
                    .anySatisfy(
                            r ->
                                    assertThat(r.body())
                                            .contains(
                                                    "`/label wontfix`: needs triage permission on"
                                                            + " this repository; @rita has read"))
                    .anySatisfy(
                            r ->
                                    assertThat(r.body())
                                            .contains("`/frobnicate now`: unknown command"));

            List<GitHubEvent> enrichments =
                    stack.kafka().consume(Topics.EVENTS, 5, Duration.ofSeconds(30)).stream()
                            .map(r -> r.value())
                            .filter(e -> e.source() == EventSource.ENRICHMENT)
                            .toList();
            // one permission read per comment with a known command that the job acted on: each
            // of tina's that arrived with the policy (at least the last) and rita's
            assertThat(enrichments)
                    .hasSizeBetween(2, tinaComments + 1)
                    .allSatisfy(e -> assertThat(e.repo()).isEqualTo(REPO))
                    .extracting(e -> e.payload().path("enrichment").path("requested_by").asText())
                    .containsOnly("slash-commands@1");
            List<AuditRecord> reads =
                    stack.kafka().consume(Topics.AUDIT, 4, Duration.ofSeconds(30)).stream()
                            .map(r -> r.value())
                            .filter(a -> a.outcome() == AuditOutcome.READ)
                            .toList();
            assertThat(reads).hasSize(enrichments.size());
        }
    }

    /** The executor's replies on the issue (the simulated user it writes as). */
    private static List<CommentView> replies(LocalStack stack, int issue) {
        return stack.github().comments(REPO, issue).stream()
                .filter(c -> c.author().equals(LocalStack.GITHUB_TOKEN_LOGIN))
                .toList();
    }

    /** The comment made on the simulated GitHub, then delivered as GitHub would: signed. */
    private static void comment(
            LocalStack stack, WebhookReplayer hooks, int issue, String login, String body)
            throws Exception {
        long id = stack.github().commentAsHuman(REPO, issue, login, body);
        ObjectNode payload =
                (ObjectNode)
                        Json.mapper()
                                .readTree(WebhookExamples.first("issue_comment", "created").json());
        ObjectNode repository = (ObjectNode) payload.get("repository");
        repository.put("full_name", REPO);
        repository.put("name", REPO.substring(REPO.indexOf('/') + 1));
        ((ObjectNode) repository.get("owner")).put("login", REPO.substring(0, REPO.indexOf('/')));
        ((ObjectNode) payload.get("issue")).put("number", issue);
        ObjectNode comment = (ObjectNode) payload.get("comment");
        comment.put("id", id);
        comment.put("body", body);
        ObjectNode user = (ObjectNode) comment.get("user");
        user.put("login", login);
        user.put("type", "User");
        var answer =
                hooks.post(
                        new DemoDelivery(
                                "issue_comment",
                                "created",
                                UUID.randomUUID().toString(),
                                payload.toString(),
                                "a slash command"));
        assertThat(answer.statusCode()).isEqualTo(202);
    }
}
