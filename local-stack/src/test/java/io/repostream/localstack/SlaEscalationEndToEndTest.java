package io.repostream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.EscalationLevel;
import io.repostream.schemas.RepoPolicy.Sla;
import io.repostream.schemas.RepoPolicy.SlaTarget;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.github.CommentView;
import io.repostream.testkit.notify.PagerDutySimulator;
import io.repostream.testkit.notify.SlackSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SLA breach escalated through every real hop (issue 17): a signed {@code issues.opened} webhook
 * of a P0 issue → bridge → Kafka → Flink (the SLA rule breaches it on the wall clock and opens an
 * incident) → executor → the Slack simulator (level 1), then, unacknowledged for the level's wait,
 * the PagerDuty simulator (level 2, severity critical); a maintainer's answer resolves the incident
 * at both levels (the Slack message edited, the alert resolved) and its report is posted on the
 * issue (simulated GitHub).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SlaEscalationEndToEndTest {
    private static final String REPO = "octo-org/escalation";

    @TempDir Path workDir;

    @Test
    void aBreachedP0IsToldInSlackThenPagedAndItsAnswerResolvesBothAndPostsTheReport()
            throws Exception {
        try (LocalStack stack = LocalStack.start(workDir)) {
            var github = stack.github();
            github.createRepo(REPO);
            SlackSimulator slack = stack.slack();
            slack.createChannel("sla-oncall");
            WebhookReplayer hooks = new WebhookReplayer(stack.webhookUrl(), stack.webhookSecret());
            stack.publishPolicy(policy());

            // the job reads the policy beside the events: an issue opened before it arrived has
            // the default targets (minutes), so issues are opened until one is told in Slack
            int issue = 0;
            Optional<SlackSimulator.Message> told = Optional.empty();
            for (int tries = 0; told.isEmpty(); tries++) {
                assertThat(tries).as("issues until the policy took effect").isLessThan(5);
                issue = github.createIssue(REPO, "Checkout is down", "500s everywhere.", "carol");
                opened(hooks, issue);
                int n = issue;
                try {
                    told =
                            await().atMost(Duration.ofSeconds(60))
                                    .pollInterval(Duration.ofMillis(250))
                                    .until(() -> message(slack, n), Optional::isPresent);
                } catch (org.awaitility.core.ConditionTimeoutException notYet) {
                    // opened before the policy arrived: another issue
                }
            }
            int number = issue;
            assertThat(told.get().text()).contains("[P0]", "level 1 of 2");

            // nobody acknowledges within level 1's wait (10 s): level 2 pages, critical for P0
            PagerDutySimulator.Alert page =
                    await().atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(250))
                            .until(() -> alert(stack, number), Optional::isPresent)
                            .get();
            assertThat(page.status()).isEqualTo("triggered");
            assertThat(page.severity()).isEqualTo("critical");

            // a maintainer answers: the response resolves the incident at every level told
            comment(stack, hooks, number, "mia", "Rolling back the deploy.");

            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(
                            () ->
                                    alert(stack, number)
                                                    .map(a -> a.status().equals("resolved"))
                                                    .orElse(false)
                                            && message(slack, number)
                                                    .map(m -> m.text().contains("resolved"))
                                                    .orElse(false)
                                            && report(stack, number).isPresent());
            SlackSimulator.Message edited = message(slack, number).orElseThrow();
            assertThat(edited.edits()).isPositive();
            assertThat(edited.text()).contains("resolved (answered)");
            assertThat(slack.messages("sla-oncall"))
                    .filteredOn(m -> m.text().contains(REPO + "#" + number + " "))
                    .hasSize(1); // edited, not posted again
            assertThat(report(stack, number).orElseThrow().body())
                    .contains(
                            "(P0, response target)",
                            "level 1 of 2 told: Slack #sla-oncall",
                            "level 2 of 2 told: PagerDuty " + LocalStack.PAGERDUTY_KEY_NAME,
                            "| acknowledged | not acknowledged |",
                            "resolved (answered)");
        }
    }

    /** P0: first response within 5 s; level 1 Slack for 10 s, level 2 PagerDuty; the report. */
    private static RepoPolicy policy() {
        SlaTarget fast = new SlaTarget(Duration.ofSeconds(5), Duration.ofHours(1));
        SlaTarget slow = new SlaTarget(Duration.ofHours(1), Duration.ofDays(1));
        return RepoPolicy.builder(REPO)
                .enabledActions(
                        Set.of(
                                ActionType.ADD_LABELS,
                                ActionType.CREATE_COMMENT,
                                ActionType.NOTIFY_SLACK,
                                ActionType.PAGERDUTY_EVENT))
                .actionBudgetPerHour(300)
                .sla(
                        Sla.builder()
                                .targets(Map.of("P0", fast, "P1", slow, "P2", slow, "P3", slow))
                                .warnFraction(0.0)
                                .escalationLevels(
                                        List.of(
                                                new EscalationLevel(
                                                        "#sla-oncall",
                                                        null,
                                                        Duration.ofSeconds(10)),
                                                new EscalationLevel(
                                                        null, LocalStack.PAGERDUTY_KEY_NAME, null)))
                                .incidentReportComment(true)
                                .build())
                .updatedAt(Instant.now())
                .build();
    }

    /** The level 1 message of {@code issue} in #sla-oncall, if posted. */
    private static Optional<SlackSimulator.Message> message(SlackSimulator slack, int issue) {
        return slack.messages("sla-oncall").stream()
                .filter(m -> m.text().contains(REPO + "#" + issue + " "))
                .findFirst();
    }

    /** The PagerDuty alert of {@code issue}'s incident, if triggered. */
    private static Optional<PagerDutySimulator.Alert> alert(LocalStack stack, int issue) {
        return stack.pagerDuty().alerts().stream()
                .filter(a -> a.dedupKey().startsWith("sla:" + REPO + "#" + issue + "@"))
                .findFirst();
    }

    /** The incident report posted on {@code issue}, if posted. */
    private static Optional<CommentView> report(LocalStack stack, int issue) {
        return stack.github().comments(REPO, issue).stream()
                .filter(c -> c.body().startsWith("### SLA incident report"))
                .findFirst();
    }

    /** {@code issues.opened} of {@code issue}, labelled P0, now, delivered signed. */
    private static void opened(WebhookReplayer hooks, int issue) throws Exception {
        ObjectNode payload = example("issues", "opened");
        ObjectNode item = (ObjectNode) payload.get("issue");
        String now = Instant.now().toString();
        item.put("number", issue).put("state", "open");
        item.put("created_at", now).put("updated_at", now);
        item.putArray("labels").addObject().put("name", "P0");
        ((ObjectNode) item.get("user")).put("login", "carol").put("type", "User");
        deliver(hooks, "issues", "opened", payload);
    }

    /** A maintainer's comment, made on the simulated GitHub and delivered signed. */
    private static void comment(
            LocalStack stack, WebhookReplayer hooks, int issue, String login, String body)
            throws Exception {
        long id = stack.github().commentAsHuman(REPO, issue, login, body);
        ObjectNode payload = example("issue_comment", "created");
        ((ObjectNode) payload.get("issue")).put("number", issue);
        ObjectNode comment = (ObjectNode) payload.get("comment");
        String now = Instant.now().toString();
        comment.put("id", id).put("body", body).put("author_association", "MEMBER");
        comment.put("created_at", now).put("updated_at", now);
        ((ObjectNode) comment.get("user")).put("login", login).put("type", "User");
        deliver(hooks, "issue_comment", "created", payload);
    }

    private static ObjectNode example(String event, String action) throws Exception {
        ObjectNode payload =
                (ObjectNode) Json.mapper().readTree(WebhookExamples.first(event, action).json());
        ObjectNode repository = (ObjectNode) payload.get("repository");
        repository.put("full_name", REPO);
        repository.put("name", REPO.substring(REPO.indexOf('/') + 1));
        ((ObjectNode) repository.get("owner")).put("login", REPO.substring(0, REPO.indexOf('/')));
        return payload;
    }

    private static void deliver(
            WebhookReplayer hooks, String event, String action, ObjectNode payload)
            throws Exception {
        DemoDelivery delivery =
                new DemoDelivery(
                        event,
                        action,
                        UUID.randomUUID().toString(),
                        payload.toString(),
                        "SLA escalation");
        // GitHub gives a delivery 10 s and redelivers one that got no answer, under the same id
        // (a loaded machine's bridge can take longer); rules and executor are idempotent by it
        for (int attempt = 1; ; attempt++) {
            try {
                assertThat(hooks.post(delivery).statusCode()).isEqualTo(202);
                return;
            } catch (java.net.http.HttpTimeoutException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
