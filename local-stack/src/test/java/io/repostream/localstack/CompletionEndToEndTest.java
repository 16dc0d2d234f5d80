package io.repostream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.Completion;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.github.CommentView;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * Closing a finished issue through every real hop, and undoing it: signed webhooks of the work (the
 * pull request saying "Fixes #n" merged, a green check suite on the merge) → bridge → Kafka → Flink
 * (rule {@code completion@1}, the policy's defaults) → the evidence comment and the close as
 * completed → executor → GitHub (simulated); then the executor's rollback of the close reopens the
 * issue.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CompletionEndToEndTest {
    private static final String REPO = "octo-org/completion";
    private static final String MERGE_SHA = "c4295bd74fb0f4fda03689c3df3f2803b658fd85";

    @TempDir Path workDir;

    @Test
    void aFinishedIssueIsClosedWithItsEvidenceAndTheRollbackReopensIt() throws Exception {
        try (LocalStack stack = LocalStack.start(workDir)) {
            var github = stack.github();
            github.createRepo(REPO);
            int issue = github.createIssue(REPO, "Login fails", "It fails.", "alice");
            WebhookReplayer hooks = new WebhookReplayer(stack.webhookUrl(), stack.webhookSecret());
            publishPolicy(
                    stack,
                    RepoPolicy.builder(REPO)
                            // tests touched come from pushes; this case delivers no push
                            .completion(
                                    Completion.defaults().toBuilder()
                                            .weights(
                                                    new Completion.Weights(
                                                            null, null, 0.0, null, null, null))
                                            .build())
                            .updatedAt(Instant.now())
                            .build());
            // the work happened 40 minutes ago: its decision (30 minutes after the merge) is due
            // once event time reaches the wall clock
            Instant t = Instant.now().minus(Duration.ofMinutes(40));
            // the job reads the policy beside the events: until it has it, the rule is off, so
            // the work is delivered again until the issue is closed (the rule's actions have
            // deterministic ids, so the executor applies each once)
            int rounds = 0;
            while (github.issue(REPO, issue).isOpen()) {
                assertThat(rounds).as("deliveries until the policy took effect").isLessThan(5);
                deliver(hooks, merged(issue, t.plusSeconds(300)), "pull_request", "closed");
                deliver(hooks, checkSuite(t.plusSeconds(360)), "check_suite", "completed");
                rounds++;
                try {
                    await().atMost(Duration.ofSeconds(45))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> !github.issue(REPO, issue).isOpen());
                } catch (org.awaitility.core.ConditionTimeoutException notYet) {
                    // the policy had not arrived, or the stack is slow: again
                }
            }

            assertThat(github.issue(REPO, issue).stateReason()).isEqualTo("completed");
            List<CommentView> comments = github.comments(REPO, issue);
            assertThat(comments)
                    .anySatisfy(
                            c ->
                                    assertThat(c.body())
                                            .startsWith("Closing as completed")
                                            .contains(
                                                    "[x] merged: pull request #34 (main) landed",
                                                    "[x] checks_green"));
            ActionRecord close =
                    stack.kafka().consume(Topics.ACTIONS, 2, Duration.ofSeconds(30)).stream()
                            .map(r -> r.value())
                            .filter(a -> a.type() == ActionType.CLOSE_ISSUE)
                            .filter(a -> a.producedBy().equals("completion@1"))
                            .findFirst()
                            .orElseThrow();
            assertThat(close.target()).isEqualTo(issue);
            assertThat(close.confidence()).isEqualTo(1.0);

            HttpResponse<String> rollback = rollback(stack, close.actionId());

            assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> github.issue(REPO, issue).isOpen());
            List<AuditRecord> audits =
                    stack.kafka().consume(Topics.AUDIT, 1, Duration.ofSeconds(30)).stream()
                            .map(r -> r.value())
                            .filter(a -> a.actionId().equals(close.actionId()))
                            .toList();
            assertThat(audits)
                    .extracting(AuditRecord::outcome)
                    .contains(AuditOutcome.APPLIED, AuditOutcome.ROLLED_BACK);
        }
    }

    private static HttpResponse<String> rollback(LocalStack stack, String actionId)
            throws Exception {
        String id = URLEncoder.encode(actionId, StandardCharsets.UTF_8).replace("+", "%20");
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                stack.executorAdminUrl()
                                                        + "/rollback/actions/"
                                                        + id))
                                .header("Authorization", "Bearer " + stack.executorAdminToken())
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** Pull request #34 from fix-login, "Fixes #issue", merged into main as MERGE_SHA. */
    private static ObjectNode merged(int issue, Instant at) throws Exception {
        ObjectNode p =
                (ObjectNode)
                        Json.mapper()
                                .readTree(WebhookExamples.first("pull_request", "closed").json());
        ObjectNode pr = (ObjectNode) p.get("pull_request");
        pr.put("number", 34);
        pr.put("title", "Fix the login");
        pr.put("body", "Fixes #" + issue);
        pr.put("state", "closed");
        pr.put("merged", true);
        pr.put("merge_commit_sha", MERGE_SHA);
        pr.put("updated_at", at.toString());
        pr.put("closed_at", at.toString());
        pr.put("merged_at", at.toString());
        ((ObjectNode) pr.get("head")).put("ref", "fix-login");
        ((ObjectNode) pr.get("base")).put("ref", "main");
        return repository(p);
    }

    /** A green check suite on the merge. */
    private static ObjectNode checkSuite(Instant at) throws Exception {
        ObjectNode p =
                (ObjectNode)
                        Json.mapper()
                                .readTree(WebhookExamples.first("check_suite", "completed").json());
        ObjectNode suite = (ObjectNode) p.get("check_suite");
        suite.put("head_sha", MERGE_SHA);
        suite.put("conclusion", "success");
        suite.put("updated_at", at.toString());
        return repository(p);
    }

    private static ObjectNode repository(ObjectNode payload) {
        ObjectNode repository = (ObjectNode) payload.get("repository");
        repository.put("full_name", REPO);
        repository.put("name", REPO.substring(REPO.indexOf('/') + 1));
        JsonNode owner = repository.get("owner");
        ((ObjectNode) owner).put("login", REPO.substring(0, REPO.indexOf('/')));
        return payload;
    }

    /**
     * Posts the delivery; one that times out (a loaded machine) is delivered again with the same
     * id, as GitHub redelivers it.
     */
    private static void deliver(
            WebhookReplayer hooks, ObjectNode payload, String event, String action)
            throws Exception {
        DemoDelivery delivery =
                new DemoDelivery(
                        event,
                        action,
                        UUID.randomUUID().toString(),
                        payload.toString(),
                        "completion work");
        for (int attempt = 1; ; attempt++) {
            try {
                assertThat(hooks.post(delivery).statusCode()).isEqualTo(202);
                return;
            } catch (java.net.http.HttpTimeoutException slow) {
                assertThat(attempt).as("deliveries of " + event + " timed out").isLessThan(4);
            }
        }
    }

    /** Writes {@code policy} to github.config.v1, as the policy command does. */
    private static void publishPolicy(LocalStack stack, RepoPolicy policy) throws Exception {
        try (var producer =
                new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                        stack.kafka().producerProps(),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            byte[] value =
                    Topics.CONFIG.valueSerde().serializer().serialize(Topics.CONFIG.name(), policy);
            producer.send(
                            new org.apache.kafka.clients.producer.ProducerRecord<>(
                                    Topics.CONFIG.name(), policy.repo(), value))
                    .get();
        }
    }
}
