package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Two commits compared as GitHub compares them: the status of HEAD against BASE, the commits of
 * {@code git log BASE..HEAD} in the order they were made, the files HEAD changed since the merge
 * base, an ETag; 404 for what GitHub refuses.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatorCompareTest {
    private static final String REPO = "octo/widgets";
    private static final String COMPARE = "/repos/octo/widgets/compare/";

    private GitHubSimulator simulator;
    private SimulatorHttp http;
    private String base;
    private String fix;
    private String test;

    @BeforeEach
    void start() {
        simulator = GitHubSimulator.start();
        simulator.createRepo(REPO);
        http = new SimulatorHttp(simulator.baseUrl(), GitHubSimulator.DEFAULT_TOKEN);
        base = simulator.branchSha(REPO, "main");
        simulator.createBranch(REPO, "release/1.0", "main");
        fix = simulator.commit(REPO, "release/1.0", "Fix the login\n\nFixes #12", "src/a.js");
        test = simulator.commit(REPO, "release/1.0", "Test it", "test/a.test.js");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void listsTheCommitsOfHeadSinceBaseOldestFirstWithTheFilesTheyChanged() {
        SimulatorHttp.Response r = http.get(COMPARE + "main...release/1.0");

        JsonNode c = r.json();
        assertThat(r.status()).isEqualTo(200);
        assertThat(c.path("status").asText()).isEqualTo("ahead");
        assertThat(c.path("ahead_by").asInt()).isEqualTo(2);
        assertThat(c.path("behind_by").asInt()).isZero();
        assertThat(c.path("total_commits").asInt()).isEqualTo(2);
        assertThat(c.path("base_commit").path("sha").asText()).isEqualTo(base);
        assertThat(c.path("merge_base_commit").path("sha").asText()).isEqualTo(base);
        assertThat(c.path("commits").findValuesAsText("sha")).contains(fix, test);
        assertThat(c.path("commits").get(0).path("sha").asText()).isEqualTo(fix);
        assertThat(c.path("commits").get(0).path("commit").path("message").asText())
                .isEqualTo("Fix the login\n\nFixes #12");
        assertThat(c.path("files").findValuesAsText("filename"))
                .containsExactlyInAnyOrder("src/a.js", "test/a.test.js");
        assertThat(c.path("files").findValuesAsText("status")).containsOnly("added");
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of("main...release/1.0", "ahead", 2, 0),
                Arguments.of("release/1.0...main", "behind", 0, 2),
                Arguments.of("release/1.0...release/1.0", "identical", 0, 0),
                Arguments.of("octo:main...octo:release/1.0", "ahead", 2, 0));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("statuses")
    void saysWhereHeadStandsAgainstBase(String basehead, String status, int ahead, int behind) {
        JsonNode c = http.get(COMPARE + basehead).json();

        assertThat(c.path("status").asText()).isEqualTo(status);
        assertThat(c.path("ahead_by").asInt()).isEqualTo(ahead);
        assertThat(c.path("behind_by").asInt()).isEqualTo(behind);
    }

    @Test
    void twoBranchesThatBothMovedOnHaveDiverged() {
        simulator.commit(REPO, "main", "Elsewhere", "src/b.js");

        JsonNode c = http.get(COMPARE + "main...release/1.0").json();

        assertThat(c.path("status").asText()).isEqualTo("diverged");
        assertThat(c.path("ahead_by").asInt()).isEqualTo(2);
        assertThat(c.path("behind_by").asInt()).isEqualTo(1);
        assertThat(c.path("merge_base_commit").path("sha").asText()).isEqualTo(base);
        assertThat(c.path("files").findValuesAsText("filename")).doesNotContain("src/b.js");
    }

    @Test
    void anUnchangedComparisonIsA304AndOneWithANewCommitANewAnswer() {
        String etag = http.get(COMPARE + base + "...release/1.0").header("ETag");

        SimulatorHttp.Response same =
                http.get(COMPARE + base + "...release/1.0", "If-None-Match", etag);
        simulator.commit(REPO, "release/1.0", "More", "src/c.js");
        SimulatorHttp.Response changed =
                http.get(COMPARE + base + "...release/1.0", "If-None-Match", etag);

        assertThat(same.status()).isEqualTo(304);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("ahead_by").asInt()).isEqualTo(3);
    }

    static Stream<String> refused() {
        return Stream.of(
                "main",
                "main..release/1.0",
                "main...",
                "...main",
                "main...no-such-branch",
                "0000000000000000000000000000000000000001...main",
                "mallory:main...release/1.0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void whatGitHubCannotCompareIsNotFound(String basehead) {
        assertThat(http.get(COMPARE + basehead).status()).isEqualTo(404);
        assertThat(http.get("/repos/octo/nothing/compare/main...main").status()).isEqualTo(404);
    }
}
