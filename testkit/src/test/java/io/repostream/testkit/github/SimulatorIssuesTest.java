package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issues, labels, comments and assignees over plain HTTP: state changes and their records. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatorIssuesTest {
    private static final String REPO = "octo/widgets";
    private static final String API = "/repos/" + REPO;

    private GitHubSimulator github;
    private SimulatorHttp http;

    @BeforeEach
    void start() {
        github = GitHubSimulator.start();
        github.createRepo(REPO);
        github.addToken("ghp_bob", "bob");
        http = new SimulatorHttp(github.baseUrl(), GitHubSimulator.DEFAULT_TOKEN);
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void recordsWhenEachMutationWasAppliedByTheRealClockWhileTheSimulatorsClockIsFrozen() {
        int issue = github.createIssue(REPO, "Bug", null, "alice");
        github.freezeTime();
        java.time.Instant before = java.time.Instant.now();

        http.post(API + "/issues/" + issue + "/labels", "{\"labels\":[\"bug\"]}");
        http.delete(API + "/issues/" + issue + "/labels/bug", null);
        java.time.Instant after = java.time.Instant.now();

        List<TimedMutation> timed = github.timedMutations();
        assertThat(timed)
                .extracting(TimedMutation::mutation)
                .containsExactlyElementsOf(github.mutations())
                .containsExactly(REPO + "#1:+label:bug", REPO + "#1:-label:bug");
        assertThat(timed)
                .extracting(TimedMutation::appliedAt)
                .allSatisfy(at -> assertThat(at).isBetween(before, after))
                .isSorted();
        github.clearMutations();
        assertThat(github.timedMutations()).isEmpty();
    }

    @Test
    void listsOpenIssuesNewestFirstAcrossPagesWithLinkHeaders() {
        for (int i = 1; i <= 5; i++) {
            github.createIssue(REPO, "Issue " + i, null, "alice");
        }
        github.closeAsHuman(REPO, 5, "alice");

        SimulatorHttp.Response first = http.get(API + "/issues?per_page=2");
        SimulatorHttp.Response last = http.get(API + "/issues?per_page=2&page=2");

        assertThat(numbers(first.json())).containsExactly(4, 3);
        assertThat(numbers(last.json())).containsExactly(2, 1);
        assertThat(first.header("Link"))
                .contains("page=2>; rel=\"next\"")
                .contains("page=2>; rel=\"last\"")
                .contains(github.baseUrl() + API + "/issues?per_page=2&page=2");
        assertThat(last.header("Link")).contains("rel=\"first\"").contains("rel=\"prev\"");
        assertThat(numbers(http.get(API + "/issues?state=closed").json())).containsExactly(5);
        assertThat(numbers(http.get(API + "/issues?state=all&direction=asc").json()))
                .containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void filtersIssuesByLabelAndUpdateTime() {
        int bug = github.createIssue(REPO, "Bug", null, "alice", "bug", "p1");
        github.createIssue(REPO, "Feature", null, "alice", "feature");

        assertThat(numbers(http.get(API + "/issues?labels=BUG,p1").json())).containsExactly(bug);
        assertThat(http.get(API + "/issues?since=2999-01-01T00:00:00Z").json()).isEmpty();
        assertThat(http.get(API + "/issues?since=yesterday").status()).isEqualTo(422);
    }

    @Test
    void pullRequestsAppearInTheIssueListWithAPullRequestLink() {
        github.createIssue(REPO, "Bug", null, "alice");
        github.createPullRequest(REPO, "Fix", null, "alice", "fix", "a".repeat(40));

        JsonNode issues = http.get(API + "/issues").json();

        assertThat(issues.get(0).path("pull_request").path("url").asText())
                .endsWith(API + "/pulls/2");
        assertThat(issues.get(1).has("pull_request")).isFalse();
    }

    @Test
    void createsAnIssueAndRecordsIt() {
        SimulatorHttp.Response created =
                http.post(API + "/issues", "{\"title\":\"Flaky test\",\"labels\":[\"ci\"]}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith(API + "/issues/1");
        assertThat(created.json().path("user").path("login").asText())
                .isEqualTo(GitHubSimulator.DEFAULT_LOGIN);
        assertThat(github.issue(REPO, 1).labels()).containsExactly("ci");
        assertThat(github.mutations()).containsExactly(REPO + "#1:created");
    }

    @Test
    void aMissingTitleIsAValidationErrorNamingTheField() {
        SimulatorHttp.Response response = http.post(API + "/issues", "{\"body\":\"x\"}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("message").asText()).isEqualTo("Validation Failed");
        assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("title");
        assertThat(response.json().path("errors").get(0).path("code").asText())
                .isEqualTo("missing_field");
        assertThat(github.mutations()).isEmpty();
    }

    @Test
    void closingRecordsTheStateAndReopeningClearsIt() {
        int n = github.createIssue(REPO, "Bug", null, "alice");

        http.patch(API + "/issues/" + n, "{\"state\":\"closed\",\"state_reason\":\"not_planned\"}");
        IssueView closed = github.issue(REPO, n);
        http.patch(API + "/issues/" + n, "{\"state\":\"open\"}");
        IssueView reopened = github.issue(REPO, n);

        assertThat(closed.state()).isEqualTo("closed");
        assertThat(closed.stateReason()).isEqualTo("not_planned");
        assertThat(closed.closedAt()).isNotNull();
        assertThat(reopened.isOpen()).isTrue();
        assertThat(reopened.stateReason()).isEqualTo("reopened");
        assertThat(reopened.closedAt()).isNull();
        assertThat(github.mutations())
                .containsExactly(REPO + "#1:state:closed", REPO + "#1:state:open");
    }

    @Test
    void addingLabelsDefinesNewOnesAndIgnoresCaseDuplicates() {
        int n = github.createIssue(REPO, "Bug", null, "alice", "Bug");

        SimulatorHttp.Response response =
                http.post(API + "/issues/" + n + "/labels", "[\"bug\", {\"name\": \"p1\"}]");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().findValuesAsText("name")).containsExactly("Bug", "p1");
        assertThat(http.get(API + "/labels").json().findValuesAsText("name"))
                .containsExactly("Bug", "p1");
        assertThat(github.mutations()).containsExactly(REPO + "#1:+label:p1");
    }

    @Test
    void removingALabelTheIssueDoesNotHaveIsA404() {
        int n = github.createIssue(REPO, "Bug", null, "alice", "bug");

        SimulatorHttp.Response removed = http.delete(API + "/issues/" + n + "/labels/BUG", null);
        SimulatorHttp.Response again = http.delete(API + "/issues/" + n + "/labels/bug", null);

        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json()).isEmpty();
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().path("message").asText()).isEqualTo("Label does not exist");
        assertThat(github.mutations()).containsExactly(REPO + "#1:-label:bug");
    }

    @Test
    void labelNamesWithSpacesTravelUrlEncoded() {
        int n = github.createIssue(REPO, "Bug", null, "alice", "good first issue");

        assertThat(
                        http.delete(API + "/issues/" + n + "/labels/good%20first%20issue", null)
                                .status())
                .isEqualTo(200);
        assertThat(github.labels(REPO, n)).isEmpty();
    }

    @Test
    void settingLabelsRecordsOnlyTheDifference() {
        int n = github.createIssue(REPO, "Bug", null, "alice", "bug", "triage");

        http.put(API + "/issues/" + n + "/labels", "{\"labels\":[\"bug\",\"p1\"]}");

        assertThat(github.labels(REPO, n)).containsExactly("bug", "p1");
        assertThat(github.mutations())
                .containsExactly(REPO + "#1:-label:triage", REPO + "#1:+label:p1");
    }

    @Test
    void commentsAreCreatedEditedAndDeletedWithTheirIds() {
        int n = github.createIssue(REPO, "Bug", null, "alice");

        long id =
                http.post(API + "/issues/" + n + "/comments", "{\"body\":\"On it\"}")
                        .json()
                        .path("id")
                        .asLong();
        http.patch(API + "/issues/comments/" + id, "{\"body\":\"On it (fixed)\"}");
        CommentView edited = github.comments(REPO, n).get(0);
        assertThat(http.get(API + "/issues/" + n).json().path("comments").asInt()).isEqualTo(1);
        http.delete(API + "/issues/comments/" + id, null);

        assertThat(edited.body()).isEqualTo("On it (fixed)");
        assertThat(github.comments(REPO, n)).isEmpty();
        assertThat(http.get(API + "/issues/comments/" + id).status()).isEqualTo(404);
        assertThat(github.mutations())
                .containsExactly(
                        REPO + "#1:+comment:" + id,
                        REPO + "#1:~comment:" + id,
                        REPO + "#1:-comment:" + id);
    }

    @Test
    void assigningSkipsUnknownAccountsAsGitHubDoes() {
        int n = github.createIssue(REPO, "Bug", null, "alice");

        SimulatorHttp.Response response =
                http.post(
                        API + "/issues/" + n + "/assignees",
                        "{\"assignees\":[\"bob\",\"nobody\"]}");
        http.delete(API + "/issues/" + n + "/assignees", "{\"assignees\":[\"BOB\"]}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().path("assignee").path("login").asText()).isEqualTo("bob");
        assertThat(github.issue(REPO, n).assignees()).isEmpty();
        assertThat(github.mutations())
                .containsExactly(REPO + "#1:+assignee:bob", REPO + "#1:-assignee:bob");
    }

    @Test
    void anIssueCreatedWithLabelsIsOpenedWithThemThenLabelledOnceEach() {
        int n = github.createIssue(REPO, "Bug", null, "alice", "bug", "P1");
        http.post(API + "/issues", "{\"title\":\"Via the API\",\"labels\":[\"docs\"]}");

        JsonNode events = http.get(API + "/events").json();

        assertThat(actions(events))
                .containsExactly("labeled", "opened", "labeled", "labeled", "opened");
        JsonNode opened = events.get(4).path("payload").path("issue");
        assertThat(opened.path("number").asInt()).isEqualTo(n);
        assertThat(field(opened.path("labels"), "name")).containsExactly("bug", "P1");
        assertThat(field(events.get(1).path("payload").path("issue").path("labels"), "name"))
                .containsExactly("docs");
        assertThat(github.labels(REPO, n)).containsExactly("bug", "P1");
    }

    @Test
    void changesByPeopleShowInTheFeedButNotInTheMutations() {
        int n = github.createIssue(REPO, "Bug", null, "alice");
        github.addLabelAsHuman(REPO, n, "wontfix", "bob");
        github.commentAsHuman(REPO, n, "bob", "Not a bug.");
        github.closeAsHuman(REPO, n, "bob");

        JsonNode events = http.get(API + "/events").json();

        assertThat(github.mutations()).isEmpty();
        assertThat(field(events, "type"))
                .containsExactly("IssuesEvent", "IssueCommentEvent", "IssuesEvent", "IssuesEvent");
        assertThat(actions(events)).containsExactly("closed", "created", "labeled", "opened");
        assertThat(events.get(0).path("actor").path("login").asText()).isEqualTo("bob");
        assertThat(events.get(0).path("payload").path("issue").path("state").asText())
                .isEqualTo("closed");
        // the feed keeps each issue as it was when the event happened
        assertThat(events.get(3).path("payload").path("issue").path("state").asText())
                .isEqualTo("open");
    }

    @Test
    void anUpdateTouchesUpdatedAtSoRollbacksCanSeeAHumanChange() throws Exception {
        int n = github.createIssue(REPO, "Bug", null, "alice");
        IssueView before = github.issue(REPO, n);
        Thread.sleep(1_100); // timestamps have second precision, as on GitHub

        github.addLabelAsHuman(REPO, n, "p1", "bob");

        assertThat(github.issue(REPO, n).updatedAt()).isAfter(before.updatedAt());
    }

    @Test
    void concurrentClientsNeverLoseAChange() throws Exception {
        int n = github.createIssue(REPO, "Busy", null, "alice");
        github.setLimitsEnabled(false); // 80 writes in a burst: this tests locking, not limits
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(
                    new Thread(
                            () -> {
                                for (int i = 0; i < 10; i++) {
                                    http.post(
                                            API + "/issues/" + n + "/labels",
                                            "[\"l" + thread + "-" + i + "\"]");
                                    http.post(
                                            API + "/issues/" + n + "/comments",
                                            "{\"body\":\"c" + thread + "-" + i + "\"}");
                                }
                            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(github.labels(REPO, n)).hasSize(40).doesNotHaveDuplicates();
        assertThat(github.comments(REPO, n)).hasSize(40);
        assertThat(github.issue(REPO, n).comments()).isEqualTo(40);
        assertThat(github.mutations()).hasSize(80);
    }

    private static List<Integer> numbers(JsonNode issues) {
        List<Integer> numbers = new ArrayList<>();
        issues.forEach(i -> numbers.add(i.path("number").asInt()));
        return numbers;
    }

    private static List<String> field(JsonNode array, String name) {
        List<String> values = new ArrayList<>();
        array.forEach(e -> values.add(e.path(name).asText()));
        return values;
    }

    private static List<String> actions(JsonNode events) {
        List<String> actions = new ArrayList<>();
        events.forEach(e -> actions.add(e.path("payload").path("action").asText()));
        return actions;
    }
}
