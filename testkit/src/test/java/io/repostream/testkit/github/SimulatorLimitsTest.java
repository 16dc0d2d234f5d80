package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Authentication, rate limits, conditional requests, fault injection and GitHub's error shapes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatorLimitsTest {
    private static final String REPO = "octo/widgets";
    private static final String API = "/repos/" + REPO;
    private static final String TOKEN = GitHubSimulator.DEFAULT_TOKEN;

    private GitHubSimulator github;
    private SimulatorHttp http;
    private int issue;

    @BeforeEach
    void start() {
        github = GitHubSimulator.start();
        github.createRepo(REPO);
        issue = github.createIssue(REPO, "Bug", null, "alice");
        http = new SimulatorHttp(github.baseUrl(), TOKEN);
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void everyAnswerCarriesTheRateLimitHeadersAndCountsDown() {
        SimulatorHttp.Response first = http.get(API + "/issues/" + issue);
        SimulatorHttp.Response missing = http.get(API + "/issues/999");

        assertThat(first.header("x-ratelimit-limit")).isEqualTo("5000");
        assertThat(first.header("x-ratelimit-remaining")).isEqualTo("4999");
        assertThat(first.header("x-ratelimit-used")).isEqualTo("1");
        assertThat(first.header("x-ratelimit-resource")).isEqualTo("core");
        assertThat(Long.parseLong(first.header("x-ratelimit-reset")))
                .isGreaterThan(System.currentTimeMillis() / 1000);
        assertThat(missing.header("x-ratelimit-remaining")).isEqualTo("4998");
        assertThat(github.remainingQuota(TOKEN)).isEqualTo(4998);
    }

    @Test
    void aConditionalRequestForAnUnchangedResourceIsA304ThatCostsNothing() {
        SimulatorHttp.Response first = http.get(API + "/issues/" + issue);
        String etag = first.header("ETag");

        SimulatorHttp.Response again = http.get(API + "/issues/" + issue, "If-None-Match", etag);
        SimulatorHttp.Response strongForm =
                http.get(API + "/issues/" + issue, "If-None-Match", etag.substring(2));

        assertThat(etag).matches("W/\"[0-9a-f]{64}\"");
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.raw().body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(again.header("x-ratelimit-remaining")).isEqualTo("4999");
        assertThat(strongForm.status()).isEqualTo(304);
        assertThat(github.remainingQuota(TOKEN)).isEqualTo(4999);
    }

    @Test
    void aChangedResourceGetsANewETagAndIsServedAgain() {
        String etag = http.get(API + "/issues/" + issue).header("ETag");
        github.addLabelAsHuman(REPO, issue, "bug", "bob");

        SimulatorHttp.Response again = http.get(API + "/issues/" + issue, "If-None-Match", etag);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void theEventFeedTellsPollersHowOftenToAskAndAnswers304WhenNothingHappened() {
        SimulatorHttp.Response feed = http.get(API + "/events");
        SimulatorHttp.Response unchanged =
                http.get(API + "/events", "If-None-Match", feed.header("ETag"));

        assertThat(feed.header("X-Poll-Interval")).isEqualTo("60");
        assertThat(unchanged.status()).isEqualTo(304);
        github.commentAsHuman(REPO, issue, "bob", "ping");
        assertThat(http.get(API + "/events", "If-None-Match", feed.header("ETag")).status())
                .isEqualTo(200);
    }

    @Test
    void anExhaustedQuotaIsA403WithNoRemainingRequests() {
        github.exhaustQuota(TOKEN);

        SimulatorHttp.Response response = http.get(API + "/issues/" + issue);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("x-ratelimit-remaining")).isEqualTo("0");
        assertThat(response.json().path("message").asText()).startsWith("API rate limit exceeded");
        assertThat(response.json().path("documentation_url").asText()).contains("rate-limits");
        assertThat(http.post(API + "/issues/" + issue + "/labels", "[\"bug\"]").status())
                .isEqualTo(403);
        assertThat(github.labels(REPO, issue)).isEmpty();
        // /rate_limit is free, so a client can always find out when to come back
        assertThat(
                        http.get("/rate_limit")
                                .json()
                                .path("resources")
                                .path("core")
                                .path("remaining")
                                .asInt())
                .isZero();
    }

    @Test
    void theQuotaCanBeSmallAndAnsweredWith429() {
        github.setPrimaryLimit(2);
        github.setPrimaryLimitStatus(429);

        http.get(API);
        http.get(API);
        SimulatorHttp.Response third = http.get(API);

        assertThat(third.status()).isEqualTo(429);
        assertThat(third.header("x-ratelimit-limit")).isEqualTo("2");
        github.resetQuotas();
        assertThat(http.get(API).status()).isEqualTo(200);
    }

    @Test
    void tooManyWritesInAMinuteHitTheSecondaryLimitWithRetryAfter() {
        github.setSecondaryLimit(2);

        http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"1\"}");
        http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"2\"}");
        SimulatorHttp.Response third =
                http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"3\"}");
        github.setSecondaryLimitStatus(429);
        SimulatorHttp.Response fourth =
                http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"4\"}");

        assertThat(third.status()).isEqualTo(403);
        assertThat(third.json().path("message").asText()).contains("secondary rate limit");
        assertThat(Integer.parseInt(third.header("Retry-After"))).isBetween(1, 61);
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(github.comments(REPO, issue)).hasSize(2);
        // reads are not content creation
        assertThat(http.get(API + "/issues/" + issue).status()).isEqualTo(200);
    }

    @Test
    void withLimitsOffNothingIsRefusedButUsageIsStillReported() {
        github.setLimitsEnabled(false);
        github.setSecondaryLimit(1);
        github.exhaustQuota(TOKEN);

        SimulatorHttp.Response write = http.post(API + "/issues/" + issue + "/labels", "[\"a\"]");
        SimulatorHttp.Response secondWrite =
                http.post(API + "/issues/" + issue + "/labels", "[\"b\"]");

        assertThat(write.status()).isEqualTo(200);
        assertThat(secondWrite.status()).isEqualTo(200);
        assertThat(secondWrite.header("x-ratelimit-remaining")).isEqualTo("0");
    }

    @Test
    void withLimitsRemovedNothingIsRefusedAndTheQuotaNeverRunsOut() {
        github.setSecondaryLimit(1);
        github.setPrimaryLimit(2);
        github.removeLimits();

        SimulatorHttp.Response first =
                http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"a\"}");
        SimulatorHttp.Response second =
                http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"b\"}");
        SimulatorHttp.Response third =
                http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"c\"}");

        assertThat(List.of(first.status(), second.status(), third.status())).containsOnly(201);
        assertThat(third.header("x-ratelimit-limit")).isEqualTo("100000000");
        assertThat(third.header("x-ratelimit-remaining")).isEqualTo("99999997");
    }

    @Test
    void injectedFaultsFailTheNextRequestsThenRecover() {
        github.setFailNext(502, 2);

        assertThat(http.get(API).status()).isEqualTo(502);
        assertThat(http.post(API + "/issues/" + issue + "/labels", "[\"bug\"]").status())
                .isEqualTo(502);
        assertThat(http.get(API).status()).isEqualTo(200);
        assertThat(github.labels(REPO, issue)).isEmpty();
        assertThat(github.requestCount()).isEqualTo(3);
        assertThat(github.requests())
                .containsExactly(
                        "GET " + API + " 502",
                        "POST " + API + "/issues/1/labels 502",
                        "GET " + API + " 200");
    }

    @Test
    void aWriteCanBeAppliedAndItsAnswerLostOnTheWayBack() {
        github.setFailNextWritesAfterApplying(502, 1);

        SimulatorHttp.Response lost =
                http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"once\"}");
        SimulatorHttp.Response next =
                http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"twice\"}");

        assertThat(lost.status()).isEqualTo(502);
        assertThat(next.status()).isEqualTo(201);
        // the 502 came after GitHub had made the comment: both are there
        assertThat(github.comments(REPO, issue))
                .extracting(CommentView::body)
                .containsExactly("once", "twice");
        assertThat(github.mutations()).hasSize(2);
    }

    @Test
    void aWriteCanBeAppliedAndItsConnectionDroppedWithoutAnAnswer() {
        github.setFailNextWritesAfterApplying(0, 1);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> http.post(API + "/issues/" + issue + "/labels", "[\"bug\"]"))
                .isInstanceOf(java.io.UncheckedIOException.class);

        assertThat(github.labels(REPO, issue)).containsExactly("bug");
        assertThat(github.requests()).containsExactly("POST " + API + "/issues/1/labels dropped");
        // reads are never touched, and the fault is used up
        assertThat(http.get(API + "/issues/" + issue).status()).isEqualTo(200);
        assertThat(http.post(API + "/issues/" + issue + "/labels", "[\"p1\"]").status())
                .isEqualTo(200);
    }

    @Test
    void aWriteThatFailsIsNotCountedAsAppliedByAFaultAfterApplying() {
        github.setFailNextWritesAfterApplying(503, 1);

        SimulatorHttp.Response missing = http.post(API + "/issues/999/labels", "[\"bug\"]");
        SimulatorHttp.Response applied = http.post(API + "/issues/" + issue + "/labels", "[\"a\"]");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(applied.status()).isEqualTo(503);
        assertThat(github.labels(REPO, issue)).containsExactly("a");
    }

    @Test
    void aSecondaryLimitCanComeWithoutRetryAfter() {
        github.setSecondaryLimit(1);
        github.setSecondaryLimitRetryAfter(false);

        http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"1\"}");
        SimulatorHttp.Response limited =
                http.post(API + "/issues/" + issue + "/comments", "{\"body\":\"2\"}");

        assertThat(limited.status()).isEqualTo(403);
        assertThat(limited.json().path("message").asText()).contains("secondary rate limit");
        assertThat(limited.header("Retry-After")).isNull();
        assertThat(Integer.parseInt(limited.header("x-ratelimit-remaining"))).isPositive();
    }

    @Test
    void aReadOnlyTokenReadsButEveryWriteIsAPlain403() {
        github.addReadOnlyToken("ghp_readOnly", "carol");
        SimulatorHttp readOnly = http.withToken("ghp_readOnly");

        SimulatorHttp.Response read = readOnly.get(API + "/issues/" + issue);
        SimulatorHttp.Response write =
                readOnly.post(API + "/issues/" + issue + "/labels", "[\"bug\"]");

        assertThat(read.status()).isEqualTo(200);
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().path("message").asText())
                .isEqualTo("Resource not accessible by personal access token");
        assertThat(write.header("Retry-After")).isNull();
        assertThat(Integer.parseInt(write.header("x-ratelimit-remaining"))).isPositive();
        assertThat(github.labels(REPO, issue)).isEmpty();
    }

    @Test
    void slowAnswersLetRequestsPileUpAndTheMostAtOnceIsMeasured() throws Exception {
        github.setResponseDelay(java.time.Duration.ofMillis(300));
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            java.util.List<java.util.concurrent.Future<SimulatorHttp.Response>> answers =
                    new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(pool.submit(() -> http.get(API + "/issues/" + issue)));
            }
            for (java.util.concurrent.Future<SimulatorHttp.Response> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        // five requests held for 300 ms each: they overlap, and none is still held
        assertThat(github.maxConcurrentRequests()).isBetween(2, 5);
        github.resetMaxConcurrentRequests();
        assertThat(github.maxConcurrentRequests()).isZero();
        assertThat(github.requestCounts()).containsEntry("GET " + API + "/issues/1 200", 5L);
    }

    @Test
    void anUnknownTokenIsRejectedAs401BadCredentials() {
        SimulatorHttp.Response response = http.withToken("ghp_stolen").get(API);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("message").asText()).isEqualTo("Bad credentials");
    }

    @Test
    void anonymousClientsMayReadWithASmallQuotaButNotWrite() {
        SimulatorHttp anonymous = http.withToken(null);

        SimulatorHttp.Response read = anonymous.get(API);
        SimulatorHttp.Response write =
                anonymous.post(API + "/issues/" + issue + "/labels", "[\"bug\"]");

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("x-ratelimit-limit")).isEqualTo("60");
        assertThat(write.status()).isEqualTo(401);
        assertThat(write.json().path("message").asText()).isEqualTo("Requires authentication");
    }

    @Test
    void unknownRoutesAndMethodsAreGitHubsNotFound() {
        SimulatorHttp.Response unknown = http.get("/repos/octo/widgets/teleport");
        SimulatorHttp.Response wrongMethod = http.delete(API + "/issues/" + issue, null);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).isEqualTo("Not Found");
        assertThat(unknown.json().path("documentation_url").asText())
                .startsWith("https://docs.github.com/");
        assertThat(unknown.header("ETag")).as("hub4j retries a 404 that has an ETag").isNull();
        assertThat(wrongMethod.status()).isEqualTo(404);
    }

    @Test
    void aBodyThatIsNotJsonIsA400() {
        SimulatorHttp.Response response = http.post(API + "/issues", "{title:");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("message").asText()).isEqualTo("Problems parsing JSON");
    }

    @Test
    void seedingAnUnknownRepositoryNamesIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> github.createIssue("octo/nothing", "x", null, "alice"))
                .hasMessageContaining("octo/nothing");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> github.labels(REPO, 42))
                .hasMessageContaining("octo/widgets#42");
    }
}
