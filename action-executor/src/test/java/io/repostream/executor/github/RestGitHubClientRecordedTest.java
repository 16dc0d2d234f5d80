package io.repostream.executor.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.github.RecordedGitHub.Request;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.schemas.TargetState;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The REST client against GitHub's answers, replayed over real HTTP by {@link RecordedGitHub}: the
 * request each operation sends (method, path, body) and what it reads from the answer (JSON,
 * status, rate-limit headers). What answers each request, and how honest each answer is, is in
 * {@code src/test/resources/recorded/exchanges.json} and its NOTICE:
 *
 * <ul>
 *   <li><b>recorded</b> from api.github.com by {@code @octokit/fixtures} 23.1.2 and replayed as
 *       recorded: adding labels to an issue ({@code add-labels-to-issue}), a 404 ({@code
 *       branch-protection}) and a 422 ({@code errors}); the last two straight through the transport
 *       ({@link HttpTransport}), as no executor operation makes those exact requests.
 *   <li><b>adapted</b> recordings, for reads the scenarios did not make: the repository (no longer
 *       asked for since the client stopped using hub4j), issue 1, and a missing issue.
 *   <li><b>example responses of GitHub's OpenAPI description</b> ({@code @octokit/openapi} 23.0.2),
 *       where no recording exists: closing and reopening, removing a label, comments.
 *   <li><b>constructed</b> after GitHub's rate-limit documentation: the 403 of an exhausted quota
 *       and the 429 of a secondary limit. Neither package has such an answer, recorded or as an
 *       example, so these two check the adapter against the documented shape, not a recording.
 * </ul>
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RestGitHubClientRecordedTest {
    private static final String REPO = "octokit-fixture-org/add-labels-to-issue";
    private static final String ISSUE = "/repos/" + REPO + "/issues/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordedGitHub github = new RecordedGitHub();
    private final RestGitHubClient client = client(1);

    private RestGitHubClient client(int attempts) {
        ExecutorConfig config = config(attempts);
        ExecutorMetrics metrics = new ExecutorMetrics();
        return new RestGitHubClient(config, new RequestGate(config, metrics), metrics);
    }

    private ExecutorConfig config(int attempts) {
        return ExecutorConfig.defaults("127.0.0.1:1", github.baseUrl(), "ghp_recordedReplayToken")
                .withoutPacing()
                .withRetries(attempts, Duration.ofMillis(10), Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private List<Request> sent(String method, String path) {
        return github.requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path))
                .toList();
    }

    @Test
    void readsAnIssueFromTheRepositoryAndIssueGitHubReturned() {
        TargetState issue = client.issue(REPO, 1).value();

        assertThat(issue.kind()).isEqualTo("issue");
        assertThat(issue.state()).isEqualTo("open");
        assertThat(issue.stateReason()).isNull();
        assertThat(issue.labels()).isEmpty();
        assertThat(issue.assignees()).isEmpty();
        assertThat(issue.updatedAt()).isEqualTo(Instant.parse("2017-10-10T16:00:00Z"));
        // one request per read: the issue itself, not the repository first as hub4j did
        assertThat(github.served()).containsExactly("adapted add-labels-to-issue#0");
        assertThat(github.unmatched()).isEmpty();
    }

    @Test
    void addsLabelsWithTheRecordedRequestAndReturnsTheLabelsGitHubAnswered() throws Exception {
        client.issue(REPO, 1);
        List<String> labels = client.addLabels(REPO, 1, List.of("Foo", "bAr", "baZ")).value();

        assertThat(labels).containsExactly("Foo", "bAr", "baZ");
        assertThat(sent("POST", ISSUE + "/labels"))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.body())
                                        .isEqualTo(
                                                JSON.readTree(
                                                        "{\"labels\":[\"Foo\",\"bAr\",\"baZ\"]}")));
        assertThat(github.served()).last().isEqualTo("recorded add-labels-to-issue#1");
        assertThat(github.unmatched()).isEmpty();
    }

    @Test
    void reportsTheRateLimitHeadersOfTheRecordedAnswer() {
        client.issue(REPO, 1);
        GitHubResponse last = client.addLabels(REPO, 1, List.of("Foo", "bAr", "baZ")).response();
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.rateLimit().limit()).isEqualTo(5000);
        assertThat(last.rateLimit().remaining()).isEqualTo(4999);
        assertThat(last.rateLimit().used()).isEqualTo(1);
        // @octokit/fixtures normalizes the reset to a fixed value (in milliseconds)
        assertThat(last.rateLimit().resetEpochSeconds()).isEqualTo(1507651200000L);
        assertThat(last.rateLimit().resource()).isEqualTo("core");
        assertThat(last.rateLimit().retryAfterSeconds()).isNull();
    }

    @Test
    void failsFinallyOnGitHubs404NamingTheIssue() {
        assertThatThrownBy(() -> client.issue(REPO, 2))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(404);
                            assertThat(e.isFinal()).isTrue();
                            assertThat(e.isRateLimited()).isFalse();
                            assertThat(e.getMessage()).contains(REPO + "#2").contains("404");
                        });
        assertThat(github.served()).last().isEqualTo("adapted branch-protection#0");
    }

    @Test
    void thePlainRestPathFailsFinallyOnRecorded404And422WithGitHubsMessage() throws Exception {
        GitHubHttp rest =
                new AuthenticatedHttp(
                        Credentials.token("ghp_recordedReplayToken"),
                        new HttpTransport(
                                HttpClient.newHttpClient(),
                                github.baseUrl(),
                                Duration.ofSeconds(10)));
        String protection = "/repos/octokit-fixture-org/branch-protection/branches/main/protection";
        assertThatThrownBy(
                        () ->
                                rest.send(
                                        GitHubRequest.read(
                                                "get_branch_protection",
                                                "octokit-fixture-org/branch-protection",
                                                "octokit-fixture-org/branch-protection#main",
                                                protection)))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(404);
                            assertThat(e.isFinal()).isTrue();
                            assertThat(e.getMessage())
                                    .contains("octokit-fixture-org/branch-protection#main")
                                    .contains("Branch not protected");
                        });

        String labels = "/repos/octokit-fixture-org/errors/labels";
        assertThatThrownBy(
                        () ->
                                rest.send(
                                        GitHubRequest.write(
                                                "create_label",
                                                RequestGate.Kind.WRITE,
                                                "POST",
                                                labels,
                                                JSON.readTree(
                                                        "{\"name\":\"foo\",\"color\":\"invalid\"}"),
                                                "octokit-fixture-org/errors",
                                                "octokit-fixture-org/errors#labels")))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(422);
                            assertThat(e.isFinal()).isTrue();
                            assertThat(e.getMessage())
                                    .contains("octokit-fixture-org/errors#labels")
                                    .contains("Validation Failed");
                            assertThat(e.response().orElseThrow().rateLimit().remaining())
                                    .isEqualTo(4999);
                        });
        assertThat(github.served())
                .containsExactly("recorded branch-protection#0", "recorded errors#0");
    }

    @Test
    void closesAsNotPlannedAndReopensWithTheBodiesGitHubDocuments() throws Exception {
        client.issue(REPO, 1);
        client.closeIssue(REPO, 1, "not_planned");
        client.reopenIssue(REPO, 1);

        assertThat(sent("PATCH", ISSUE))
                .extracting(Request::body)
                .containsExactly(
                        JSON.readTree("{\"state\":\"closed\",\"state_reason\":\"not_planned\"}"),
                        JSON.readTree("{\"state\":\"open\"}"));
        assertThat(github.served()).endsWith("openapi-example issue", "openapi-example issue");
        assertThat(github.unmatched()).isEmpty();
    }

    @Test
    void removesALabelByNameAndReturnsTheLabelsLeft() {
        client.issue(REPO, 1);
        List<String> left = client.removeLabel(REPO, 1, "Foo").value();

        assertThat(left).containsExactly("bug");
        assertThat(sent("DELETE", ISSUE + "/labels/Foo")).hasSize(1);
        assertThat(github.unmatched()).isEmpty();
    }

    @Test
    void createsFindsByMarkerAndDeletesAComment() throws Exception {
        client.issue(REPO, 1);
        long id = client.createComment(REPO, 1, "Me too").value();
        assertThat(id).isEqualTo(1);
        assertThat(sent("POST", ISSUE + "/comments"))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.body())
                                        .isEqualTo(JSON.readTree("{\"body\":\"Me too\"}")));

        assertThat(client.findComment(REPO, 1, "Me too").value()).contains(1L);
        assertThat(client.findComment(REPO, 1, "<!-- repostream:action-42 -->").value()).isEmpty();
        // only its own comments count: it asked GitHub who it is (octocat, the comment's author)
        assertThat(sent("GET", "/user")).isNotEmpty();

        GitHubResponse deleted = client.deleteComment(REPO, 1, 1).response();
        assertThat(sent("DELETE", "/repos/" + REPO + "/issues/comments/1")).hasSize(1);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(github.unmatched()).isEmpty();
    }

    @Test
    void recognisesAnExhaustedQuotaInAConstructed403() {
        RestGitHubClient retrying = client(3);
        assertThatThrownBy(() -> retrying.issue(REPO, 19))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.isRateLimited()).isTrue();
                            assertThat(e.isFinal()).isFalse();
                            assertThat(e.response().orElseThrow().rateLimit().remaining()).isZero();
                            // the reset is far away: waiting for it exceeds the maximum wait
                            assertThat(e.getMessage())
                                    .contains("longer than the configured maximum wait")
                                    .contains(REPO + "#19");
                        });
        assertThat(github.served()).last().isEqualTo("constructed");
    }

    @Test
    void recognisesASecondaryLimitWithItsRetryAfterInAConstructed429() {
        client.issue(REPO, 1);
        assertThatThrownBy(() -> client.addLabels(REPO, 1, List.of("bug")))
                .isInstanceOfSatisfying(
                        GitHubException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(429);
                            assertThat(e.isRateLimited()).isTrue();
                            assertThat(e.response().orElseThrow().rateLimit().retryAfterSeconds())
                                    .isEqualTo(60);
                        });
        assertThat(github.served()).last().isEqualTo("constructed");
        assertThat(github.unmatched()).isEmpty();
    }

    @Test
    void everyRecordedAnswerIsTheExchangeOfItsScenario() {
        assertThat(github.answers())
                .filteredOn(a -> a.source().startsWith("recorded "))
                .extracting(RecordedGitHub.Answer::source)
                .containsExactlyInAnyOrder(
                        "recorded add-labels-to-issue#1",
                        "recorded branch-protection#0",
                        "recorded errors#0");
        assertThat(github.answers())
                .filteredOn(a -> a.source().equals("recorded add-labels-to-issue#1"))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.method()).isEqualTo("POST");
                            assertThat(a.path()).isEqualTo(ISSUE + "/labels");
                            assertThat(a.status()).isEqualTo(200);
                            assertThat(a.headers()).containsEntry("x-ratelimit-remaining", "4999");
                        });
    }
}
