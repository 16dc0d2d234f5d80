package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Merging pull requests, review requests, and re-running or cancelling workflow runs. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatorPullsAndRunsTest {
    private static final String REPO = "octo/widgets";
    private static final String API = "/repos/" + REPO;
    private static final String HEAD = "a".repeat(40);

    private GitHubSimulator github;
    private SimulatorHttp http;
    private int pull;

    @BeforeEach
    void start() {
        github = GitHubSimulator.start();
        github.createRepo(REPO);
        github.addToken("ghp_bob", "bob");
        pull = github.createPullRequest(REPO, "Fix crash", null, "alice", "fix-crash", HEAD);
        http = new SimulatorHttp(github.baseUrl(), GitHubSimulator.DEFAULT_TOKEN);
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void mergesWhenTheShaIsTheHeadAndClosesThePullRequest() {
        SimulatorHttp.Response merged =
                http.put(API + "/pulls/" + pull + "/merge", "{\"sha\":\"" + HEAD + "\"}");

        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.json().path("merged").asBoolean()).isTrue();
        assertThat(merged.json().path("sha").asText()).hasSize(40);
        IssueView view = github.issue(REPO, pull);
        assertThat(view.merged()).isTrue();
        assertThat(view.state()).isEqualTo("closed");
        assertThat(http.get(API + "/pulls/" + pull + "/merge").status()).isEqualTo(204);
        assertThat(http.get(API + "/pulls/" + pull).json().path("merged_by").path("login").asText())
                .isEqualTo(GitHubSimulator.DEFAULT_LOGIN);
        assertThat(github.mutations()).containsExactly(REPO + "#1:merged");
    }

    @Test
    void refusesAMergeWhoseShaIsNoLongerTheHeadWith409() {
        github.pushToPullRequest(REPO, pull, "b".repeat(40));

        SimulatorHttp.Response response =
                http.put(API + "/pulls/" + pull + "/merge", "{\"sha\":\"" + HEAD + "\"}");

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("message").asText()).startsWith("Head branch was modified");
        assertThat(github.issue(REPO, pull).merged()).isFalse();
        assertThat(github.mutations()).isEmpty();
    }

    @Test
    void refusesToMergeTwiceOrWithConflictsWith405() {
        http.put(API + "/pulls/" + pull + "/merge", "{}");
        int conflicting = github.createPullRequest(REPO, "Other", null, "alice", "other", HEAD);
        github.setMergeable(REPO, conflicting, false);

        assertThat(http.put(API + "/pulls/" + pull + "/merge", "{}").status()).isEqualTo(405);
        assertThat(http.put(API + "/pulls/" + conflicting + "/merge", "{}").status())
                .isEqualTo(405);
        assertThat(http.get(API + "/pulls/" + conflicting).json().path("mergeable_state").asText())
                .isEqualTo("dirty");
    }

    @Test
    void anIssueIsNotAPullRequest() {
        int issue = github.createIssue(REPO, "Bug", null, "alice");

        assertThat(http.get(API + "/pulls/" + issue).status()).isEqualTo(404);
        assertThat(http.put(API + "/pulls/" + issue + "/merge", "{}").status()).isEqualTo(404);
    }

    @Test
    void requestsReviewsButNotFromTheAuthor() {
        SimulatorHttp.Response requested =
                http.post(
                        API + "/pulls/" + pull + "/requested_reviewers",
                        "{\"reviewers\":[\"bob\"]}");
        SimulatorHttp.Response author =
                http.post(
                        API + "/pulls/" + pull + "/requested_reviewers",
                        "{\"reviewers\":[\"alice\"]}");
        http.delete(API + "/pulls/" + pull + "/requested_reviewers", "{\"reviewers\":[\"bob\"]}");

        assertThat(requested.status()).isEqualTo(201);
        assertThat(requested.json().path("requested_reviewers").get(0).path("login").asText())
                .isEqualTo("bob");
        assertThat(author.status()).isEqualTo(422);
        assertThat(github.issue(REPO, pull).requestedReviewers()).isEmpty();
        assertThat(github.mutations())
                .containsExactly(REPO + "#1:+reviewer:bob", REPO + "#1:-reviewer:bob");
    }

    @Test
    void rerunningFailedJobsRetriesOnlyThoseInANewAttempt() {
        long run = github.createWorkflowRun(REPO, 7, HEAD, "completed", "failure");
        github.addJob(REPO, run, "lint", "completed", "success");

        SimulatorHttp.Response response =
                http.post(API + "/actions/runs/" + run + "/rerun-failed-jobs", null);

        assertThat(response.status()).isEqualTo(201);
        WorkflowRunView view = github.workflowRun(REPO, run);
        assertThat(view.runAttempt()).isEqualTo(2);
        assertThat(view.status()).isEqualTo("queued");
        assertThat(view.jobs())
                .extracting(WorkflowRunView.Job::name, WorkflowRunView.Job::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("build", "queued"),
                        org.assertj.core.groups.Tuple.tuple("lint", "completed"));
        assertThat(github.mutations()).containsExactly(REPO + "#run/" + run + ":rerun-failed-jobs");

        github.completeWorkflowRun(REPO, run, "success");
        assertThat(github.workflowRun(REPO, run).conclusion()).isEqualTo("success");
    }

    @Test
    void refusesToRerunARunThatIsStillGoingOrHasNothingFailed() {
        long running = github.createWorkflowRun(REPO, 7, HEAD, "in_progress", null);
        long green = github.createWorkflowRun(REPO, 7, HEAD, "completed", "success");

        assertThat(http.post(API + "/actions/runs/" + running + "/rerun", null).status())
                .isEqualTo(403);
        SimulatorHttp.Response nothingFailed =
                http.post(API + "/actions/runs/" + green + "/rerun-failed-jobs", null);
        assertThat(nothingFailed.status()).isEqualTo(403);
        assertThat(nothingFailed.json().path("message").asText()).contains(REPO + "#run/" + green);
        assertThat(http.post(API + "/actions/runs/" + green + "/rerun", null).status())
                .isEqualTo(201);
        assertThat(github.workflowRun(REPO, green).jobs())
                .allSatisfy(j -> assertThat(j.runAttempt()).isEqualTo(2));
    }

    @Test
    void cancelsARunningRunOnceAndThenAnswers409() {
        long run = github.createWorkflowRun(REPO, 7, HEAD, "in_progress", null);

        SimulatorHttp.Response cancelled =
                http.post(API + "/actions/runs/" + run + "/cancel", null);
        SimulatorHttp.Response again = http.post(API + "/actions/runs/" + run + "/cancel", null);

        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(github.workflowRun(REPO, run).conclusion()).isEqualTo("cancelled");
        assertThat(again.status()).isEqualTo(409);
        assertThat(github.mutations()).containsExactly(REPO + "#run/" + run + ":cancel");
    }

    @Test
    void listsRunsNewestFirstFilteredByStatusOrConclusion() {
        long failed = github.createWorkflowRun(REPO, 7, HEAD, "completed", "failure");
        long queued = github.createWorkflowRun(REPO, 7, HEAD, "queued", null);

        assertThat(
                        http.get(API + "/actions/runs")
                                .json()
                                .path("workflow_runs")
                                .findValuesAsText("head_sha"))
                .hasSize(2);
        assertThat(
                        http.get(API + "/actions/runs")
                                .json()
                                .path("workflow_runs")
                                .get(0)
                                .path("id")
                                .asLong())
                .isEqualTo(queued);
        assertThat(
                        http.get(API + "/actions/runs?status=failure")
                                .json()
                                .path("total_count")
                                .asInt())
                .isEqualTo(1);
        assertThat(
                        http.get(API + "/actions/runs?status=failure")
                                .json()
                                .path("workflow_runs")
                                .get(0)
                                .path("id")
                                .asLong())
                .isEqualTo(failed);
        assertThat(
                        http.get(API + "/actions/runs/" + failed + "/jobs")
                                .json()
                                .path("jobs")
                                .get(0)
                                .path("conclusion")
                                .asText())
                .isEqualTo("failure");
    }
}
