package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The event feed trims payloads: the poller completes what it lacks with its own conditional reads
 * of the item (polling is ingestion), so that no rule reads an absent field as an empty one.
 */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(90)
class PollCompletionTest {
    private static final java.util.concurrent.atomic.AtomicInteger REPO_NUMBERS =
            new java.util.concurrent.atomic.AtomicInteger();
    private static final String SECRET = "completion-test-secret";

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private String repo;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
    }

    @BeforeEach
    void createRepo() {
        repo = "octo/trimmed-" + REPO_NUMBERS.incrementAndGet();
        github.createRepo(repo);
        github.resetQuotas();
        // as the Events API does: no labels, no updated_at in the feed's issues and pulls
        github.omitFromEventFeedItems("labels", "updated_at");
    }

    @AfterEach
    void untrim() {
        github.omitFromEventFeedItems();
    }

    private IngestBridge startBridge() {
        return TestBridges.startPolling(
                TestBridges.config(kafka, SECRET)
                        .withPoll(TestBridges.polling(github, repo, Duration.ofHours(1), null)),
                github,
                repo);
    }

    static Stream<Arguments> labelsAtOpening() {
        return Stream.of(
                Arguments.of(List.of()),
                Arguments.of(List.of("bug")),
                Arguments.of(List.of("bug", "p1")));
    }

    @ParameterizedTest(name = "opened with {0}")
    @MethodSource("labelsAtOpening")
    void aPolledOpeningWhoseFeedPayloadLacksLabelsCarriesTheLabelsTheIssueReallyHas(
            List<String> labels) throws Exception {
        github.createIssue(repo, "trimmed", "body", "alice", labels.toArray(String[]::new));
        JsonNode fed = GitHubSide.get(github, "/repos/" + repo + "/events").at("/0/payload/issue");
        assertThat(fed.has("labels")).as("the feed's copy has labels").isFalse();

        try (IngestBridge bridge = startBridge()) {
            bridge.pollNow();
        }

        GitHubEvent opened = openings().get(0);
        assertThat(opened.action()).isEqualTo("opened");
        JsonNode issue = opened.payload().path("issue");
        // present, and what the issue really has: an empty list only when it has none
        assertThat(issue.path("labels").isArray()).isTrue();
        assertThat(names(issue.path("labels"))).containsExactlyElementsOf(labels);
        assertThat(issue.path("updated_at").isTextual()).isTrue();
        assertThat(issue.path("title").asText()).isEqualTo("trimmed");
    }

    @Test
    void aPolledPullRequestAsMinimalAsTheFeedGivesItIsCompletedFromThePullsEndpoint() {
        // the OpenAPI description's "Pull Request Minimal": id, number, url, head, base
        github.omitFromEventFeedItems(
                "labels", "updated_at", "user", "state", "merged", "merged_at", "title");
        int pr = github.createPullRequest(repo, "Fix", "body", "carol", "fix", "c".repeat(40));

        try (IngestBridge bridge = startBridge()) {
            bridge.pollNow();
        }

        JsonNode pull = openings().get(0).payload().path("pull_request");
        assertThat(pull.path("number").asInt()).isEqualTo(pr);
        assertThat(pull.path("labels").isArray()).isTrue();
        assertThat(pull.path("user").path("login").asText()).isEqualTo("carol");
        assertThat(pull.path("state").asText()).isEqualTo("open");
        assertThat(pull.path("merged").isBoolean()).isTrue();
        assertThat(github.requests())
                .anyMatch(r -> r.contains("/repos/" + repo + "/pulls/" + pr + " "));
    }

    @Test
    void anIssueGitHubNoLongerHasIsWrittenNamingWhatIsUnknownNotAsAnIssueWithoutLabels(
            Vertx vertx) {
        github.createIssue(repo, "short-lived", "body", "alice", "bug");
        github.deleteIssueAsHuman(repo, 1);

        try (IngestBridge bridge = startBridge();
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            bridge.pollNow();
            assertThat(client.get("/metrics").body())
                    .contains(
                            "repostream_bridge_poll_completions_total{kind=\"issue\",outcome=\"gone\"} 1.0");
        }

        GitHubEvent opened = openings().get(0);
        assertThat(opened.payload().at("/issue/labels").isMissingNode()).isTrue();
        assertThat(opened.payload().path("repostream_incomplete"))
                .extracting(JsonNode::asText)
                .contains("/issue/labels", "/issue/updated_at");
    }

    @Test
    void aWebhookCopyAndATrimmedPolledCopyOfOneOpeningAreStillOneEvent(Vertx vertx)
            throws Exception {
        try (IngestBridge bridge = startBridge();
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            github.createIssue(repo, "seen twice", "body", "alice");
            // the webhook carries the whole issue, as GitHub sends it
            JsonNode issue = GitHubSide.get(github, "/repos/" + repo + "/issues/1");
            assertThat(
                            client.post(GitHubSide.issuesWebhook(repo, "opened", issue, SECRET))
                                    .status())
                    .isEqualTo(202);

            assertThat(bridge.pollNow()).isZero();
        }
        assertThat(TopicContents.eventsOf(kafka, repo))
                .singleElement()
                .extracting(GitHubEvent::source)
                .isEqualTo(EventSource.WEBHOOK);
    }

    @Test
    void anItemReadAgainIsAskedConditionallySoAnUnchangedOneCostsNoQuota(Vertx vertx) {
        github.createIssue(repo, "first", "body", "alice", "bug");
        github.createIssue(repo, "second", "body", "bob");
        // the start-up round completes #1, then is limited on #2: nothing is written yet
        github.limitNext(429, 1, "/repos/" + repo + "/issues/2");
        try (IngestBridge bridge = startBridge();
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                bridge.pollNow();
                                return openings().size() == 2;
                            });

            assertThat(issueRequests(1)).first().asString().endsWith(" 200");
            assertThat(issueRequests(1)).last().asString().endsWith(" 304");
            assertThat(client.get("/metrics").body())
                    .contains(
                            "repostream_bridge_poll_completions_total{kind=\"issue\",outcome=\"not_modified\"}")
                    .contains(
                            "repostream_bridge_poll_completions_total{kind=\"issue\",outcome=\"fetched\"}")
                    .contains(
                            "repostream_bridge_poll_completions_total{kind=\"issue\",outcome=\"failed\"} 1.0");
        }
        // #1 was opened with its label (an opening, then a labeling); #2 without
        assertThat(openings())
                .extracting(e -> names(e.payload().at("/issue/labels")))
                .containsExactlyInAnyOrder(List.of("bug"), List.of());
    }

    @Test
    void aFailedRunBringsItsJobsAsTheWorkflowJobEventsItsWebhooksWouldHave() throws Exception {
        long run;
        try (IngestBridge bridge = startBridge()) {
            assertThat(bridge.pollNow()).isZero();
            run = github.createWorkflowRun(repo, 9, "abc123", "in_progress", null);
            github.addJob(repo, run, "lint", "completed", "success");
            assertThat(bridge.pollNow()).isEqualTo(1); // in progress: no jobs read
            assertThat(jobRequests(run)).isEmpty();

            github.completeWorkflowRun(repo, run, "failure");
            assertThat(bridge.pollNow()).isEqualTo(3);
            assertThat(bridge.pollNow()).isZero();
        }
        List<GitHubEvent> ci =
                polled().stream().filter(e -> e.type().startsWith("workflow_")).toList();
        // the jobs first, as their webhooks arrive before the run's completion
        assertThat(ci)
                .extracting(e -> e.type() + "." + e.action())
                .containsExactly(
                        "workflow_run.in_progress",
                        "workflow_job.completed",
                        "workflow_job.completed",
                        "workflow_run.completed");
        List<GitHubEvent> jobs = ci.subList(1, 3);
        assertThat(jobs)
                .extracting(e -> e.payload().at("/workflow_job/name").asText())
                .containsExactlyInAnyOrder("build", "lint");
        assertThat(jobs)
                .allSatisfy(
                        job -> {
                            // what the CI classifier reads, in the webhook's shape
                            JsonNode j = job.payload().path("workflow_job");
                            assertThat(job.payload().path("action").asText())
                                    .isEqualTo("completed");
                            assertThat(j.path("run_id").asLong()).isEqualTo(run);
                            assertThat(j.path("workflow_name").asText()).isEqualTo("CI");
                            assertThat(j.path("steps").isArray()).isTrue();
                            assertThat(j.path("steps").get(0).path("name").isTextual()).isTrue();
                            assertThat(job.payload().at("/repository/full_name").asText())
                                    .isEqualToIgnoringCase(repo);
                            assertThat(job.eventId()).startsWith("github-job-");
                        });
        assertThat(jobs)
                .filteredOn(e -> e.payload().at("/workflow_job/name").asText().equals("build"))
                .singleElement()
                .satisfies(
                        build -> {
                            assertThat(build.payload().at("/workflow_job/conclusion").asText())
                                    .isEqualTo("failure");
                            assertThat(
                                            build.payload()
                                                    .at("/workflow_job/steps/0/conclusion")
                                                    .asText())
                                    .isEqualTo("failure");
                        });
        assertThat(jobRequests(run)).hasSize(1);
        // every field the classifier reads is where a real workflow_job webhook has it
        JsonNode webhook =
                io.repostream.schemas.json.Json.mapper()
                        .readTree(
                                io.repostream.testkit.fixtures.WebhookExamples.first(
                                                "workflow_job", "completed")
                                        .json());
        for (String pointer :
                List.of(
                        "/action",
                        "/workflow_job/run_id",
                        "/workflow_job/workflow_name",
                        "/workflow_job/name",
                        "/workflow_job/conclusion",
                        "/workflow_job/steps/0/name",
                        "/workflow_job/steps/0/conclusion",
                        "/repository/full_name",
                        "/sender/login")) {
            assertThat(jobs.get(0).payload().at(pointer).getNodeType())
                    .as(pointer)
                    .isEqualTo(webhook.at(pointer).getNodeType());
        }
    }

    @Test
    void aSuccessfulRunCostsNoJobsRead() {
        try (IngestBridge bridge = startBridge()) {
            assertThat(bridge.pollNow()).isZero();
            long run = github.createWorkflowRun(repo, 9, "def456", "completed", "success");
            assertThat(bridge.pollNow()).isEqualTo(1);
            assertThat(jobRequests(run)).isEmpty();
        }
    }

    @Test
    void aFailedRunWhoseJobsCannotBeReadNowIsWrittenWithThemOnceGitHubAnswers() {
        try (IngestBridge bridge = startBridge()) {
            assertThat(bridge.pollNow()).isZero();
            long run = github.createWorkflowRun(repo, 9, "0a0b0c", "completed", "failure");
            github.limitNext(429, 1, "/repos/" + repo + "/actions/runs/" + run + "/jobs");
            // nothing of the runs is written while its jobs are unknown
            assertThat(bridge.pollNow()).isZero();
            assertThat(polled()).noneMatch(e -> e.type().startsWith("workflow_"));

            // once the limit has passed, the runs list is read again, and the jobs
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> bridge.pollNow() > 0);
            assertThat(jobRequests(run)).hasSize(2);
        }
        assertThat(polled())
                .extracting(e -> e.type() + "." + e.action())
                .containsExactly("workflow_job.completed", "workflow_run.completed");
    }

    private List<String> jobRequests(long run) {
        return github.requests().stream()
                .filter(r -> r.contains("/repos/" + repo + "/actions/runs/" + run + "/jobs"))
                .toList();
    }

    private List<String> issueRequests(int number) {
        return github.requests().stream()
                .filter(r -> r.contains("/repos/" + repo + "/issues/" + number + " "))
                .toList();
    }

    private static List<String> names(JsonNode labels) {
        List<String> names = new ArrayList<>();
        labels.forEach(l -> names.add(l.path("name").asText()));
        return names;
    }

    private List<GitHubEvent> openings() {
        return polled().stream().filter(e -> "opened".equals(e.action())).toList();
    }

    private List<GitHubEvent> polled() {
        return TopicContents.polledEventsOf(kafka, repo);
    }
}
