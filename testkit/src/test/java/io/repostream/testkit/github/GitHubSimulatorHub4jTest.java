package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.connector.GitHubConnector;

/** The simulator through the client the executor and the poller use: hub4j github-api. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GitHubSimulatorHub4jTest {
    private static final String REPO = "octo/widgets";

    private GitHubSimulator simulator;
    private int issue;

    @BeforeEach
    void seed() {
        simulator = GitHubSimulator.start();
        simulator.createRepo(REPO);
        issue = simulator.createIssue(REPO, "Crash on start", "It crashes.", "alice", "triage");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void hub4jReadsAnIssueWithItsLabelsAndAuthor() throws IOException {
        GHIssue read = client().getRepository(REPO).getIssue(issue);

        assertThat(read.getTitle()).isEqualTo("Crash on start");
        assertThat(read.getBody()).isEqualTo("It crashes.");
        assertThat(read.getUser().getLogin()).isEqualTo("alice");
        assertThat(read.getState()).isEqualTo(GHIssueState.OPEN);
        assertThat(read.getLabels()).extracting("name").containsExactly("triage");
    }

    @Test
    void hub4jLabelsCommentsAndClosesAnIssue() throws IOException {
        GHIssue read = client().getRepository(REPO).getIssue(issue);

        read.addLabels("bug", "p1");
        read.removeLabel("triage");
        GHIssueComment comment = read.comment("Thanks, looking into it.");
        read.close();

        assertThat(simulator.labels(REPO, issue)).containsExactly("bug", "p1");
        assertThat(simulator.comments(REPO, issue))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.id()).isEqualTo(comment.getId());
                            assertThat(c.author()).isEqualTo(GitHubSimulator.DEFAULT_LOGIN);
                            assertThat(c.body()).isEqualTo("Thanks, looking into it.");
                        });
        assertThat(simulator.issue(REPO, issue).state()).isEqualTo("closed");
        assertThat(simulator.mutations())
                .containsExactly(
                        REPO + "#1:+label:bug",
                        REPO + "#1:+label:p1",
                        REPO + "#1:-label:triage",
                        REPO + "#1:+comment:" + comment.getId(),
                        REPO + "#1:state:closed");
    }

    @Test
    void hub4jSeesAMissingIssueAsFileNotFound() throws IOException {
        GHRepository repo = client().getRepository(REPO);

        assertThatThrownBy(() -> repo.getIssue(999)).isInstanceOf(GHFileNotFoundException.class);
    }

    @Test
    void anExhaustedQuotaSurfacesAsHub4jsRateLimitFailure() throws IOException {
        GitHub github = client();
        GHRepository repo = github.getRepository(REPO);
        simulator.exhaustQuota(GitHubSimulator.DEFAULT_TOKEN);

        assertThatThrownBy(() -> repo.getIssue(issue))
                .isInstanceOfSatisfying(
                        HttpException.class,
                        e -> {
                            assertThat(e.getResponseCode()).isEqualTo(403);
                            assertThat(e.getMessage()).contains("API rate limit reached");
                        });
        assertThat(github.lastRateLimit().getRemaining()).isZero();
    }

    @Test
    void aSecondaryLimitSurfacesAsHub4jsAbuseLimitFailure() throws IOException {
        simulator.setSecondaryLimit(1);
        GHIssue read = client().getRepository(REPO).getIssue(issue);
        read.comment("first");

        assertThatThrownBy(() -> read.comment("second"))
                .isInstanceOfSatisfying(
                        HttpException.class, e -> assertThat(e.getResponseCode()).isEqualTo(403));
        assertThat(simulator.comments(REPO, issue)).hasSize(1);
    }

    @Test
    void aRevalidatedReadThatIsNotModifiedCostsNoQuota() throws IOException {
        ConditionalRequestConnector connector = new ConditionalRequestConnector();
        GitHub github = client(connector);
        GHRepository repo = github.getRepository(REPO);
        repo.getIssue(issue);
        int remaining = simulator.remainingQuota(GitHubSimulator.DEFAULT_TOKEN);

        GHIssue again = repo.getIssue(issue);

        assertThat(again.getTitle()).isEqualTo("Crash on start");
        assertThat(connector.notModifiedCount()).isEqualTo(1);
        assertThat(simulator.remainingQuota(GitHubSimulator.DEFAULT_TOKEN)).isEqualTo(remaining);
        assertThat(github.lastRateLimit().getRemaining()).isEqualTo(remaining);
    }

    @Test
    void aChangedIssueIsFetchedAgainInsteadOfServedFromTheCache() throws IOException {
        ConditionalRequestConnector connector = new ConditionalRequestConnector();
        GHRepository repo = client(connector).getRepository(REPO);
        repo.getIssue(issue);
        simulator.addLabelAsHuman(REPO, issue, "needs-info", "bob");

        GHIssue again = repo.getIssue(issue);

        assertThat(connector.notModifiedCount()).isZero();
        assertThat(again.getLabels()).extracting("name").containsExactly("triage", "needs-info");
    }

    @Test
    void anUnknownTokenIsRejected() {
        assertThatThrownBy(
                        () ->
                                new GitHubBuilder()
                                        .withEndpoint(simulator.baseUrl())
                                        .withOAuthToken("ghp_unknown")
                                        .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                                        .build()
                                        .getRepository(REPO))
                .isInstanceOfSatisfying(
                        HttpException.class, e -> assertThat(e.getResponseCode()).isEqualTo(401));
    }

    private GitHub client() throws IOException {
        return builder().build();
    }

    private GitHub client(GitHubConnector connector) throws IOException {
        return builder().withConnector(connector).build();
    }

    /** FAIL handlers: hub4j's defaults would sleep until the limit resets. */
    private GitHubBuilder builder() {
        return new GitHubBuilder()
                .withEndpoint(simulator.baseUrl())
                .withOAuthToken(GitHubSimulator.DEFAULT_TOKEN)
                .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL);
    }
}
