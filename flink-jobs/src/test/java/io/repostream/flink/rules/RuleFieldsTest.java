package io.repostream.flink.rules;

import static io.repostream.flink.rules.PayloadProjection.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.Events;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleFieldsTest {
    private final RuleFields projection = new RuleFields();

    private static final Map<String, Object> LEAF = PayloadProjection.WHOLE;
    private static final Map<String, Object> USER = fields("login", LEAF, "type", LEAF);
    private static final Map<String, Object> ITEM =
            fields(
                    "number", LEAF,
                    "labels", fields("name", LEAF),
                    "user", USER,
                    "state", LEAF,
                    "merged", LEAF,
                    "pull_request", fields("url", LEAF));

    /** The projection as it was kept by hand before the rules declared their fields. */
    private static final Map<String, Object> HAND_KEPT =
            fields(
                    "repostream_incomplete",
                    LEAF,
                    "action",
                    LEAF,
                    "issue",
                    ITEM,
                    "pull_request",
                    ITEM,
                    "comment",
                    fields("user", USER),
                    "review",
                    fields("user", USER, "state", LEAF),
                    "sender",
                    USER,
                    "workflow_run",
                    fields(
                            "id", LEAF,
                            "name", LEAF,
                            "head_sha", LEAF,
                            "conclusion", LEAF,
                            "run_attempt", LEAF,
                            "pull_requests", fields("number", LEAF)),
                    "workflow_job",
                    fields(
                            "run_id", LEAF,
                            "workflow_name", LEAF,
                            "name", LEAF,
                            "conclusion", LEAF,
                            "steps", fields("name", LEAF, "conclusion", LEAF)),
                    "check_run",
                    fields(
                            "name", LEAF,
                            "head_sha", LEAF,
                            "conclusion", LEAF,
                            "output", fields("title", LEAF, "summary", LEAF, "text", LEAF),
                            "app", fields("slug", LEAF)));

    @Test
    void theUnionOfTheRegisteredRulesFieldsKeepsWhatTheHandKeptProjectionKept() {
        // plus what the slash-command framework added: the comment and the enrichment it reads;
        // and what the merge rules read of pull requests, reviews, checks and statuses;
        // and the lifecycle rule: assignees, milestone, draft, the label of a label change;
        // and the routing rule: people of assignments, reviews and pushes, a push's files, the
        // repository's default branch;
        // and the completion rule: links and paths of pushes and pull requests, checks' verdicts;
        // and the maintenance rule: a merged pull request's head repository, a ref's type
        // and the in-repo configuration: installations' account and repositories
        // and the merge queue: the base's pushes, CI on candidate branches, its steps' audits
        assertThat(RuleFields.KEPT)
                .isEqualTo(
                        PayloadProjection.union(
                                PayloadProjection.union(
                                        HAND_KEPT,
                                        io.repostream.flink.rules.PayloadFields.spec(
                                                List.of(
                                                        "/comment/id",
                                                        "/comment/body",
                                                        "/enrichment"))),
                                io.repostream.flink.rules.PayloadFields.spec(
                                        java.util.stream.Stream.concat(
                                                        java.util.stream.Stream.concat(
                                                                java.util.stream.Stream.concat(
                                                                        Rules.MERGE_ELIGIBILITY
                                                                                .fields()
                                                                                .stream(),
                                                                        Rules.ROUTING
                                                                                .fields()
                                                                                .stream()),
                                                                // the completion rule: pushes'
                                                                // commits, PR text, checks; the
                                                                // in-repo configuration:
                                                                // installations' repositories;
                                                                // the merge queue: pushes,
                                                                // checks on candidate branches
                                                                java.util.stream.Stream.concat(
                                                                        Rules.COMPLETION
                                                                                .fields()
                                                                                .stream(),
                                                                        // the maintenance rule:
                                                                        // whose branch a merged
                                                                        // pull request's is
                                                                        java.util.stream.Stream
                                                                                .<Rule<?>>of(
                                                                                        Rules
                                                                                                .MAINTENANCE,
                                                                                        Rules
                                                                                                .REPO_CONFIG,
                                                                                        Rules
                                                                                                .MERGE_QUEUE)
                                                                                .flatMap(
                                                                                        r ->
                                                                                                r
                                                                                                        .fields()
                                                                                                        .stream()))),
                                                        java.util.stream.Stream.of(
                                                                "/comment/id",
                                                                "/comment/body",
                                                                "/enrichment",
                                                                "/issue/assignees/login",
                                                                "/pull_request/assignees/login",
                                                                "/issue/milestone/title",
                                                                "/pull_request/milestone/title",
                                                                "/issue/draft",
                                                                "/pull_request/draft",
                                                                "/label/name",
                                                                // the SLA rule: who
                                                                // acknowledges an incident
                                                                "/comment/author_association",
                                                                "/review/author_association",
                                                                // the CI classifier reading logs:
                                                                // the job to read, the branch
                                                                // of flaky tests
                                                                "/workflow_job/id",
                                                                "/workflow_run/head_branch"))
                                                .toList())));
    }

    @Test
    void aRulesOwnProjectionDropsWhatItDoesNotDeclare() throws Exception {
        GitHubEvent comment = Events.comment("o/r", 5, "bob", "User", Instant.EPOCH);

        GitHubEvent forTriage = RuleFields.declaredBy(Rules.TRIAGE).map(comment);
        GitHubEvent forSla = RuleFields.declaredBy(Rules.SLA).map(comment);

        assertThat(forTriage.payload().path("comment").isMissingNode()).isTrue();
        assertThat(forSla.payload().at("/comment/user/login").asText()).isEqualTo("bob");
        assertThat(forSla.payload().at("/comment/body").isMissingNode()).isTrue();
    }

    @Test
    void keepsWhatTheRulesReadAndDropsTheRest() throws Exception {
        GitHubEvent opened =
                Events.authoredBy(
                        Events.issue("opened", "o/r", 5, List.of("bug", "P1"), Instant.EPOCH),
                        "alice");

        GitHubEvent slim = projection.map(opened);

        assertThat(GitHubPayloads.itemNumber(slim)).hasValue(5);
        assertThat(GitHubPayloads.labels(slim)).containsExactly("bug", "P1");
        assertThat(GitHubPayloads.author(slim)).isEqualTo("alice");
        assertThat(slim.payload().path("issue").has("body")).isFalse();
        // of the repository, only its default branch (the routing rule's)
        assertThat(slim.payload().path("repository").has("full_name")).isFalse();
        assertThat(slim.eventId()).isEqualTo(opened.eventId());
    }

    @Test
    void shrinksEveryRealPayloadAndKeepsCiFields() throws Exception {
        long before = 0;
        long after = 0;
        for (WebhookExample example : WebhookExamples.all()) {
            var payload = Json.mapper().readTree(example.json());
            before += Json.mapper().writeValueAsBytes(payload).length;
            after +=
                    Json.mapper()
                            .writeValueAsBytes(PayloadProjection.project(payload, RuleFields.KEPT))
                            .length;
        }
        assertThat(after).isLessThan(before / 10);

        GitHubEvent job =
                projection.map(
                        Events.workflowJob(
                                "o/r",
                                "CI",
                                77,
                                "build",
                                "failure",
                                List.of("Compile"),
                                Instant.EPOCH));
        assertThat(job.payload().path("workflow_job").path("run_id").asLong()).isEqualTo(77);
        assertThat(job.payload().path("workflow_job").path("steps").get(1).path("name").asText())
                .isEqualTo("Compile");
    }
}
