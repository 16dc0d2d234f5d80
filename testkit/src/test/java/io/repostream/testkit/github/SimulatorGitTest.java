package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator's git: refs and their fast-forward rule, merges that conflict when both sides
 * change one region of one path, pull requests whose mergeable is computed lazily and which land by
 * merge, squash or rebase, statuses and check runs (Apps only), and the simulated CI.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatorGitTest {
    private static final String REPO = "octo/widgets";
    private static final String API = "/repos/" + REPO;

    private GitHubSimulator github;
    private SimulatorHttp http;

    @BeforeEach
    void start() {
        github = GitHubSimulator.start();
        github.createRepo(REPO);
        http = new SimulatorHttp(github.baseUrl(), GitHubSimulator.DEFAULT_TOKEN);
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void refusesAnUpdateThatIsNotAFastForwardUnlessForced() {
        String base = github.branchSha(REPO, "main");
        github.createBranch(REPO, "side", "main");
        String side = github.commit(REPO, "side", "side", "a.txt");
        String ahead = github.commit(REPO, "main", "main", "b.txt");

        SimulatorHttp.Response refused =
                http.patch(API + "/git/refs/heads/main", "{\"sha\":\"" + side + "\"}");
        SimulatorHttp.Response forced =
                http.patch(
                        API + "/git/refs/heads/main", "{\"sha\":\"" + side + "\",\"force\":true}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("message").asText())
                .isEqualTo("Update is not a fast forward");
        assertThat(forced.status()).isEqualTo(200);
        assertThat(github.branchSha(REPO, "main")).isEqualTo(side);
        assertThat(github.isAncestor(REPO, base, side)).isTrue();
        assertThat(github.isAncestor(REPO, ahead, side)).isFalse();
    }

    @Test
    void readsCreatesAndDeletesRefsWithSlashesInTheirNames() {
        String sha = github.branchSha(REPO, "main");

        SimulatorHttp.Response created =
                http.post(
                        API + "/git/refs",
                        "{\"ref\":\"refs/heads/repostream/queue/main/1\",\"sha\":\"" + sha + "\"}");
        SimulatorHttp.Response read = http.get(API + "/git/ref/heads/repostream/queue/main/1");
        SimulatorHttp.Response again =
                http.post(
                        API + "/git/refs",
                        "{\"ref\":\"refs/heads/repostream/queue/main/1\",\"sha\":\"" + sha + "\"}");
        SimulatorHttp.Response unknownSha =
                http.post(
                        API + "/git/refs",
                        "{\"ref\":\"refs/heads/x\",\"sha\":\"" + "e".repeat(40) + "\"}");
        SimulatorHttp.Response deleted =
                http.delete(API + "/git/refs/heads/repostream/queue/main/1", null);

        assertThat(created.status()).isEqualTo(201);
        assertThat(read.json().path("object").path("sha").asText()).isEqualTo(sha);
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.json().path("message").asText()).isEqualTo("Reference already exists");
        assertThat(unknownSha.status()).isEqualTo(422);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(http.get(API + "/git/ref/heads/repostream/queue/main/1").status())
                .isEqualTo(404);
        assertThat(github.mutations())
                .containsExactly(
                        REPO + "@refs/heads/repostream/queue/main/1:created:" + sha,
                        REPO + "@refs/heads/repostream/queue/main/1:deleted");
    }

    static Stream<Arguments> merges() {
        return Stream.of(
                Arguments.of("other paths merge", "src/a.java", "src/b.java", 201),
                Arguments.of(
                        "other regions of one path merge", "src/a.java@1", "src/a.java@2", 201),
                Arguments.of(
                        "one region of one path conflicts", "src/a.java@1", "src/a.java@1", 409));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("merges")
    void mergesABranchIntoARefUnlessBothChangedOneRegion(
            String name, String onBase, String onHead, int expected) {
        github.createBranch(REPO, "topic", "main");
        String head = github.commit(REPO, "topic", "topic", onHead);
        String base = github.commit(REPO, "main", "main", onBase);

        SimulatorHttp.Response merged =
                http.post(API + "/merges", "{\"base\":\"main\",\"head\":\"topic\"}");

        assertThat(merged.status()).isEqualTo(expected);
        if (expected == 201) {
            String sha = merged.json().path("sha").asText();
            assertThat(github.branchSha(REPO, "main")).isEqualTo(sha);
            assertThat(github.parents(REPO, sha)).containsExactly(base, head);
            assertThat(
                            http.post(API + "/merges", "{\"base\":\"main\",\"head\":\"topic\"}")
                                    .status())
                    .as("nothing left to merge")
                    .isEqualTo(204);
        } else {
            assertThat(github.branchSha(REPO, "main")).isEqualTo(base);
        }
    }

    @Test
    void answers404ForAMissingBaseOrHead() {
        assertThat(http.post(API + "/merges", "{\"base\":\"nope\",\"head\":\"main\"}").status())
                .isEqualTo(404);
        assertThat(http.post(API + "/merges", "{\"base\":\"main\",\"head\":\"nope\"}").status())
                .isEqualTo(404);
    }

    @Test
    void computesMergeableLazilyAndAgainAfterAPush() {
        github.createBranch(REPO, "fix", "main");
        github.commit(REPO, "fix", "fix", "src/a.java");
        int pull = github.openPullRequest(REPO, "Fix", "alice", "fix", "main");

        assertThat(http.get(API + "/pulls/" + pull).json().path("mergeable").isNull()).isTrue();
        assertThat(http.get(API + "/pulls/" + pull).json().path("mergeable").asBoolean()).isTrue();

        github.commit(REPO, "main", "clash", "src/a.java");
        assertThat(http.get(API + "/pulls/" + pull).json().path("mergeable").isNull()).isTrue();
        SimulatorHttp.Response second = http.get(API + "/pulls/" + pull);
        assertThat(second.json().path("mergeable").asBoolean()).isFalse();
        assertThat(second.json().path("mergeable_state").asText()).isEqualTo("dirty");
        assertThat(http.put(API + "/pulls/" + pull + "/merge", "{}").status()).isEqualTo(405);
    }

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of("merge", 2, true),
                Arguments.of("squash", 1, false),
                Arguments.of("rebase", 1, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void landsAPullRequestOnItsBaseByEachMethod(String method, int parents, boolean headInBase) {
        github.createBranch(REPO, "fix", "main");
        github.commit(REPO, "fix", "one", "src/a.java");
        String head = github.commit(REPO, "fix", "two", "src/c.java");
        github.commit(REPO, "main", "other", "src/b.java");
        int pull = github.openPullRequest(REPO, "Fix", "alice", "fix", "main");

        SimulatorHttp.Response merged =
                http.put(
                        API + "/pulls/" + pull + "/merge",
                        "{\"sha\":\"" + head + "\",\"merge_method\":\"" + method + "\"}");

        assertThat(merged.status()).isEqualTo(200);
        String tip = github.branchSha(REPO, "main");
        assertThat(merged.json().path("sha").asText()).isEqualTo(tip);
        assertThat(github.parents(REPO, tip)).hasSize(parents);
        assertThat(github.isAncestor(REPO, head, tip)).isEqualTo(headInBase);
        assertThat(github.changedPaths(REPO, "main"))
                .contains("src/a.java", "src/b.java", "src/c.java");
        assertThat(github.issue(REPO, pull).merged()).isTrue();
    }

    @Test
    void refusesAMergeCommitOnABranchThatRequiresLinearHistory() {
        github.protectBranch(REPO, "main", List.of("ci"), true);
        github.createBranch(REPO, "fix", "main");
        github.commit(REPO, "fix", "one", "src/a.java");
        int pull = github.openPullRequest(REPO, "Fix", "alice", "fix", "main");

        assertThat(
                        http.put(API + "/pulls/" + pull + "/merge", "{\"merge_method\":\"merge\"}")
                                .status())
                .isEqualTo(405);
        assertThat(
                        http.put(API + "/pulls/" + pull + "/merge", "{\"merge_method\":\"squash\"}")
                                .status())
                .isEqualTo(200);
    }

    @Test
    void refusesAPushToAProtectedBranchBySomeoneNotAllowed() {
        github.protectBranch(REPO, "main", List.of(), false, "someone-else");
        github.createBranch(REPO, "fix", "main");
        String sha = github.commit(REPO, "fix", "one", "src/a.java");

        SimulatorHttp.Response refused =
                http.patch(API + "/git/refs/heads/main", "{\"sha\":\"" + sha + "\"}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("message").asText())
                .isEqualTo("Protected branch update failed for refs/heads/main.");
    }

    @Test
    void combinesTheLatestStatusOfEachContext() {
        String sha = github.branchSha(REPO, "main");
        http.post(API + "/statuses/" + sha, "{\"state\":\"failure\",\"context\":\"ci\"}");
        http.post(API + "/statuses/" + sha, "{\"state\":\"success\",\"context\":\"ci\"}");
        http.post(API + "/statuses/" + sha, "{\"state\":\"pending\",\"context\":\"lint\"}");

        SimulatorHttp.Response combined = http.get(API + "/commits/main/status");

        assertThat(combined.json().path("state").asText()).isEqualTo("pending");
        assertThat(combined.json().path("total_count").asInt()).isEqualTo(2);
        assertThat(
                        http.post(API + "/statuses/" + "e".repeat(40), "{\"state\":\"success\"}")
                                .status())
                .isEqualTo(422);
    }

    @Test
    void refusesCheckRunsToAnythingButAGitHubApp() throws Exception {
        String sha = github.branchSha(REPO, "main");
        KeyPair keys = AppKeys.generate();
        github.registerApp(42, keys.getPublic());
        github.installApp(42, 4200, REPO);
        String appToken =
                http.withToken(AppKeys.jwt(42, keys.getPrivate()))
                        .post("/app/installations/4200/access_tokens", null)
                        .json()
                        .path("token")
                        .asText();
        String body = "{\"name\":\"repostream/merge\",\"head_sha\":\"" + sha + "\"}";

        SimulatorHttp.Response asUser = http.post(API + "/check-runs", body);
        SimulatorHttp.Response asApp = http.withToken(appToken).post(API + "/check-runs", body);

        assertThat(asUser.status()).isEqualTo(403);
        assertThat(asUser.json().path("message").asText())
                .isEqualTo("You must authenticate via a GitHub App.");
        assertThat(asApp.status()).isEqualTo(201);
        assertThat(asApp.json().path("status").asText()).isEqualTo("queued");
        assertThat(
                        http.get(API + "/commits/main/check-runs")
                                .json()
                                .path("check_runs")
                                .path(0)
                                .path("name")
                                .asText())
                .isEqualTo("repostream/merge");
    }

    @Test
    void ciReportsOnQueueBranchesAfterItsRunTime() {
        github.freezeTime();
        github.ci()
                .configure(REPO)
                .onBranches("repostream/queue/**")
                .checks("build", "test")
                .taking(Duration.ofMinutes(30));
        String sha = github.createBranch(REPO, "repostream/queue/main/1", "main");
        github.createBranch(REPO, "elsewhere", "main");

        assertThat(github.commitChecks(REPO, sha))
                .containsExactly(
                        "check_run:build=in_progress null", "check_run:test=in_progress null");
        github.advanceTime(Duration.ofMinutes(29));
        assertThat(github.commitChecks(REPO, sha)).allMatch(c -> c.contains("in_progress"));
        github.advanceTime(Duration.ofMinutes(1));
        assertThat(github.commitChecks(REPO, sha))
                .containsExactly(
                        "check_run:build=success build: success",
                        "check_run:test=success test: success");
        assertThat(github.ci().runsStarted()).isEqualTo(1);
    }

    @Test
    void ciFailsBrokenPullRequestsBrokenPathsAndPairsThatFailOnlyTogether() {
        int[] pulls = new int[4];
        String[] paths = {"src/broken.java", "src/a.java", "src/b.java", "src/c.java"};
        for (int i = 0; i < 4; i++) {
            github.createBranch(REPO, "pr" + i, "main");
            github.commit(REPO, "pr" + i, "pr" + i, paths[i]);
            pulls[i] = github.openPullRequest(REPO, "PR " + i, "alice", "pr" + i, "main");
        }
        github.ci()
                .configure(REPO)
                .onBranches("repostream/queue/**")
                .checks("ci")
                .asStatuses()
                .brokenPath("src/broken.java")
                .brokenTogether(pulls[2], pulls[3]);

        assertThat(candidate("c1", "pr0")).isEqualTo("failure");
        assertThat(candidate("c2", "pr1", "pr2")).isEqualTo("success");
        assertThat(candidate("c3", "pr1", "pr3")).isEqualTo("success");
        assertThat(candidate("c4", "pr2", "pr3"))
                .as("pulls %d and %d", pulls[2], pulls[3])
                .isEqualTo("failure");
    }

    @Test
    void ciFlakesWithASeededProbabilitySoEveryRunOfTheTestSeesTheSameFlakes() {
        List<String> first = flakes(7);
        List<String> second = flakes(7);

        assertThat(first).isEqualTo(second);
        assertThat(first).contains("failure").contains("success");
    }

    private List<String> flakes(long seed) {
        github.close();
        github = GitHubSimulator.start();
        github.createRepo(REPO);
        http = new SimulatorHttp(github.baseUrl(), GitHubSimulator.DEFAULT_TOKEN);
        github.ci()
                .configure(REPO)
                .onBranches("q/*")
                .checks("ci")
                .asStatuses()
                .flaky(0.5)
                .seed(seed);
        List<String> results = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            github.createBranch(REPO, "t" + i, "main");
            github.commit(REPO, "t" + i, "t" + i, "f" + i);
            results.add(candidate("q" + i, "t" + i));
        }
        return results;
    }

    /** Builds branch {@code repostream/queue/<name>} from main with the branches merged in. */
    private String candidate(String name, String... branches) {
        String branch = name.startsWith("q") ? "q/" + name : "repostream/queue/" + name;
        github.createBranch(REPO, branch, "main");
        for (String b : branches) {
            assertThat(
                            http.post(
                                            API + "/merges",
                                            "{\"base\":\"" + branch + "\",\"head\":\"" + b + "\"}")
                                    .status())
                    .isEqualTo(201);
        }
        return http.get(API + "/commits/" + github.branchSha(REPO, branch) + "/status")
                .json()
                .path("state")
                .asText();
    }
}
