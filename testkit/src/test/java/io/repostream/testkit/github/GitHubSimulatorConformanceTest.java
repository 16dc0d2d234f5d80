package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Drives every route the simulator declares, through its success and error answers, and checks each
 * answer's status and body against GitHub's OpenAPI description (the committed fixture), so a
 * simulator whose shapes drift from GitHub's fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GitHubSimulatorConformanceTest {
    private static final String REPO = "/repos/octo/widgets";

    private final OpenApiFixture openApi = OpenApiFixture.load();
    private final Set<String> exercised = new LinkedHashSet<>();
    private GitHubSimulator simulator;
    private SimulatorHttp http;
    private long runId;
    private long lintJobId;
    private long commentId;
    private String appJwt;
    private long hookId;
    private long deliveryId;
    private long oldDeliveryId;
    private long orgHookId;
    private long orgDeliveryId;
    private long appDeliveryId;
    private String manifestCode;
    private String appToken;
    private String featureSha;
    private String conflictingSha;
    private String mainSha;

    @BeforeAll
    void seed() {
        simulator = GitHubSimulator.start();
        simulator.createRepo("octo/widgets");
        simulator.addToken("ghp_bob", "bob");
        simulator.createIssue("octo/widgets", "Crash on start", "It crashes.", "alice", "triage");
        simulator.createPullRequest(
                "octo/widgets", "Fix crash", "Fixes #1", "alice", "fix-crash", "a".repeat(40));
        commentId = simulator.commentAsHuman("octo/widgets", 1, "bob", "Same here.");
        simulator.createRepo("octo/spammed");
        simulator.createIssue("octo/spammed", "Spam", "...", "mallory");
        simulator.deleteIssueAsHuman("octo/spammed", 1);
        runId =
                simulator.createWorkflowRun(
                        "octo/widgets", 7, "a".repeat(40), "completed", "failure");
        long lint = simulator.addJob("octo/widgets", runId, "lint", "completed", "success");
        simulator.setJobLog("octo/widgets", lint, "lint passed\n");
        lintJobId = lint;
        http = new SimulatorHttp(simulator.baseUrl(), GitHubSimulator.DEFAULT_TOKEN);
        java.security.KeyPair app = AppKeys.generate();
        simulator.registerApp(77, app.getPublic());
        simulator.installApp(77, 7_700, "octo/widgets");
        appJwt = AppKeys.jwt(77, app.getPrivate());
        // nothing listens there: redeliveries are listed as failed to connect
        hookId = simulator.createHook("octo/widgets", "http://127.0.0.1:1/hook", "s3cret");
        String payload = "{\"action\":\"opened\",\"repository\":{\"id\":1}}";
        java.time.Instant now = java.time.Instant.now();
        oldDeliveryId =
                simulator
                        .recordDelivery(
                                hookId,
                                "guid-0",
                                "issues",
                                payload,
                                503,
                                now.minus(java.time.Duration.ofDays(2)))
                        .id();
        simulator.recordDelivery(hookId, "guid-1", "issues", payload, 202, now);
        deliveryId = simulator.recordDelivery(hookId, "guid-2", "issues", payload, 503, now).id();
        simulator.createOrganization("acme");
        orgHookId = simulator.createOrgHook("acme", "http://127.0.0.1:1/hook", "s3cret");
        orgDeliveryId = simulator.recordDelivery(orgHookId, "guid-3", "ping", "{}", 0, now).id();
        long appHookId = simulator.setAppWebhook(77, null, "s3cret");
        String appPayload =
                "{\"action\":\"opened\",\"installation\":{\"id\":7700},\"repository\":{\"id\":1}}";
        simulator.recordDelivery(appHookId, "guid-4", "issues", appPayload, 0, now);
        appDeliveryId =
                simulator.recordDelivery(appHookId, "guid-5", "issues", appPayload, 202, now).id();
        appToken =
                http.withToken(appJwt)
                        .post("/app/installations/7700/access_tokens", null)
                        .json()
                        .path("token")
                        .asText();
        simulator.createBranch("octo/widgets", "feature/a", "main");
        featureSha = simulator.commit("octo/widgets", "feature/a", "Change a", "src/a.java");
        simulator.createBranch("octo/widgets", "conflicting", "main");
        conflictingSha = simulator.commit("octo/widgets", "conflicting", "Also a", "src/a.java");
        mainSha = simulator.commit("octo/widgets", "main", "Change b", "src/b.java");
        simulator.putFile("octo/widgets", "feature/a", ".github/CODEOWNERS", "* @octo/core\n");
        manifestCode = manifestCode();
    }

    /** Registers an app through the manifest flow's web form and returns the redirect's code. */
    private String manifestCode() {
        simulator.signInOnWeb("alice");
        String manifest =
                "{\"name\":\"Conformance\",\"url\":\"https://example.com\","
                        + "\"redirect_url\":\"http://127.0.0.1:1/done\","
                        + "\"default_permissions\":{\"issues\":\"write\"},"
                        + "\"default_events\":[\"issues\"]}";
        try {
            java.net.http.HttpResponse<Void> redirect =
                    java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(
                                                            simulator.baseUrl()
                                                                    + "/settings/apps/new"))
                                            .header(
                                                    "Content-Type",
                                                    "application/x-www-form-urlencoded")
                                            .POST(
                                                    java.net.http.HttpRequest.BodyPublishers
                                                            .ofString(
                                                                    "manifest="
                                                                            + java.net.URLEncoder
                                                                                    .encode(
                                                                                            manifest,
                                                                                            java.nio
                                                                                                    .charset
                                                                                                    .StandardCharsets
                                                                                                    .UTF_8)))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.discarding());
            String location = redirect.headers().firstValue("Location").orElseThrow();
            return location.substring(location.indexOf("code=") + 5);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stop() {
        simulator.close();
    }

    @TestFactory
    Stream<DynamicTest> everyAnswerMatchesGitHubsDescription() {
        String issue = REPO + "/issues/1";
        String pull = REPO + "/pulls/2";
        String run = REPO + "/actions/runs/" + runId;
        String comment = REPO + "/issues/comments/" + commentId;
        return Stream.of(
                step("GET /", 200, () -> http.get("/")),
                step(
                        "GET /repos/{owner}/{repo}/installation",
                        200,
                        () -> http.withToken(appJwt).get(REPO + "/installation")),
                step(
                        "GET /repos/{owner}/{repo}/installation",
                        404,
                        () -> http.withToken(appJwt).get("/repos/octo/nothing/installation")),
                step(
                        "POST /app/installations/{installation_id}/access_tokens",
                        201,
                        () ->
                                http.withToken(appJwt)
                                        .post("/app/installations/7700/access_tokens", null)),
                step(
                        "POST /app/installations/{installation_id}/access_tokens",
                        404,
                        () ->
                                http.withToken(appJwt)
                                        .post("/app/installations/1/access_tokens", null)),
                step(
                        "POST /app/installations/{installation_id}/access_tokens",
                        401,
                        () ->
                                http.withToken("not.a.jwt")
                                        .post("/app/installations/7700/access_tokens", null)),
                step("GET /app", 200, () -> http.withToken(appJwt).get("/app")),
                step(
                        "GET /app/installations",
                        200,
                        () -> http.withToken(appJwt).get("/app/installations")),
                step(
                        "POST /app-manifests/{code}/conversions",
                        201,
                        () ->
                                http.withToken(null)
                                        .post(
                                                "/app-manifests/" + manifestCode + "/conversions",
                                                null)),
                step(
                        "POST /app-manifests/{code}/conversions",
                        404,
                        () ->
                                http.withToken(null)
                                        .post(
                                                "/app-manifests/" + manifestCode + "/conversions",
                                                null)),
                step(
                        "GET /app/installations/{installation_id}",
                        200,
                        () -> http.withToken(appJwt).get("/app/installations/7700")),
                step(
                        "GET /app/installations/{installation_id}",
                        404,
                        () -> http.withToken(appJwt).get("/app/installations/1")),
                step(
                        "GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries",
                        200,
                        () -> http.get(REPO + "/hooks/" + hookId + "/deliveries?per_page=2")),
                step(
                        "GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries",
                        400,
                        () -> http.get(REPO + "/hooks/" + hookId + "/deliveries?cursor=bogus")),
                step(
                        "POST /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts",
                        202,
                        () ->
                                http.post(
                                        REPO
                                                + "/hooks/"
                                                + hookId
                                                + "/deliveries/"
                                                + deliveryId
                                                + "/attempts",
                                        null)),
                step(
                        "POST /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts",
                        202,
                        () ->
                                http.post(
                                        REPO
                                                + "/hooks/"
                                                + hookId
                                                + "/deliveries/"
                                                + oldDeliveryId
                                                + "/attempts",
                                        null)),
                step(
                        "GET /app/hook/deliveries",
                        200,
                        () -> http.withToken(appJwt).get("/app/hook/deliveries?per_page=1")),
                step(
                        "GET /app/hook/deliveries",
                        400,
                        () -> http.withToken(appJwt).get("/app/hook/deliveries?cursor=bogus")),
                step(
                        "GET /app/hook/deliveries/{delivery_id}",
                        200,
                        () -> http.withToken(appJwt).get("/app/hook/deliveries/" + appDeliveryId)),
                step(
                        "GET /orgs/{org}/hooks/{hook_id}/deliveries",
                        200,
                        () -> http.get("/orgs/acme/hooks/" + orgHookId + "/deliveries")),
                step(
                        "POST /orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}/attempts",
                        202,
                        () ->
                                http.post(
                                        "/orgs/acme/hooks/"
                                                + orgHookId
                                                + "/deliveries/"
                                                + orgDeliveryId
                                                + "/attempts",
                                        null)),
                step("GET /rate_limit", 200, () -> http.get("/rate_limit")),
                step("GET /user", 200, () -> http.get("/user")),
                step("GET /user", 401, () -> http.withToken(null).get("/user")),
                step("GET /repos/{owner}/{repo}", 200, () -> http.get(REPO)),
                step("GET /repos/{owner}/{repo}", 404, () -> http.get("/repos/octo/nothing")),
                step("GET /repos/{owner}/{repo}/labels", 200, () -> http.get(REPO + "/labels")),
                step(
                        "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
                        200,
                        () -> http.get(REPO + "/collaborators/bob/permission")),
                step(
                        "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
                        404,
                        () -> http.get(REPO + "/collaborators/nobody-known/permission")),
                step(
                        "GET /repos/{owner}/{repo}/contents/{path}",
                        200,
                        () -> http.get(REPO + "/contents/.github/CODEOWNERS?ref=feature/a")),
                step(
                        "GET /repos/{owner}/{repo}/contents/{path}",
                        304,
                        () ->
                                http.get(
                                        REPO + "/contents/.github/CODEOWNERS?ref=feature/a",
                                        "If-None-Match",
                                        http.get(
                                                        REPO
                                                                + "/contents/.github/CODEOWNERS?ref=feature/a")
                                                .header("ETag"))),
                step(
                        "GET /repos/{owner}/{repo}/contents/{path}",
                        404,
                        () -> http.get(REPO + "/contents/.github/CODEOWNERS")),
                step(
                        "GET /repos/{owner}/{repo}/compare/{basehead}",
                        200,
                        () -> http.get(REPO + "/compare/main...feature/a")),
                step(
                        "GET /repos/{owner}/{repo}/compare/{basehead}",
                        404,
                        () -> http.get(REPO + "/compare/main...no-such-branch")),
                step(
                        "GET /repos/{owner}/{repo}/compare/{basehead}",
                        404,
                        () -> http.get(REPO + "/compare/main")),
                step(
                        "GET /repos/{owner}/{repo}/issues",
                        200,
                        () -> http.get(REPO + "/issues?state=all&per_page=1")),
                step(
                        "GET /repos/{owner}/{repo}/issues",
                        404,
                        () -> http.get("/repos/octo/nothing/issues")),
                step(
                        "GET /repos/{owner}/{repo}/issues",
                        422,
                        () -> http.get(REPO + "/issues?state=bogus")),
                step(
                        "POST /repos/{owner}/{repo}/issues",
                        201,
                        () ->
                                http.post(
                                        REPO + "/issues",
                                        "{\"title\":\"New\",\"labels\":[\"bug\"],\"assignees\":[\"bob\"]}")),
                step(
                        "POST /repos/{owner}/{repo}/issues",
                        422,
                        () -> http.post(REPO + "/issues", "{\"body\":\"no title\"}")),
                step(
                        "POST /repos/{owner}/{repo}/issues",
                        404,
                        () -> http.post("/repos/octo/nothing/issues", "{\"title\":\"x\"}")),
                step("GET /repos/{owner}/{repo}/issues/{issue_number}", 200, () -> http.get(issue)),
                step(
                        "GET /repos/{owner}/{repo}/issues/{issue_number}",
                        200,
                        () -> http.get(REPO + "/issues/2")),
                step(
                        "GET /repos/{owner}/{repo}/issues/{issue_number}",
                        404,
                        () -> http.get(REPO + "/issues/999")),
                step(
                        "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
                        200,
                        () ->
                                http.patch(
                                        issue,
                                        "{\"title\":\"Crash on start (macOS)\",\"assignees\":[\"bob\"]}")),
                step(
                        "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
                        422,
                        () -> http.patch(issue, "{\"state\":\"bogus\"}")),
                step(
                        "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
                        404,
                        () -> http.patch(REPO + "/issues/999", "{}")),
                step(
                        "GET /repos/{owner}/{repo}/issues/{issue_number}/labels",
                        200,
                        () -> http.get(issue + "/labels")),
                step(
                        "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
                        200,
                        () -> http.post(issue + "/labels", "{\"labels\":[\"bug\",\"p1\"]}")),
                step(
                        "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
                        422,
                        () -> http.post(issue + "/labels", "{}")),
                step(
                        "PUT /repos/{owner}/{repo}/issues/{issue_number}/labels",
                        200,
                        () -> http.put(issue + "/labels", "{\"labels\":[\"bug\",\"p2\"]}")),
                step(
                        "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
                        200,
                        () -> http.delete(issue + "/labels/p2", null)),
                step(
                        "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
                        404,
                        () -> http.delete(issue + "/labels/p2", null)),
                step(
                        "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels",
                        204,
                        () -> http.delete(REPO + "/issues/3/labels", null)),
                step(
                        "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
                        200,
                        () -> http.get(issue + "/comments")),
                step(
                        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
                        201,
                        () -> http.post(issue + "/comments", "{\"body\":\"Looking into it.\"}")),
                step(
                        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
                        422,
                        () -> http.post(issue + "/comments", "{}")),
                step(
                        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
                        404,
                        () -> http.post(REPO + "/issues/999/comments", "{\"body\":\"x\"}")),
                step(
                        "GET /repos/{owner}/{repo}/issues/comments/{comment_id}",
                        200,
                        () -> http.get(comment)),
                step(
                        "GET /repos/{owner}/{repo}/issues/comments/{comment_id}",
                        404,
                        () -> http.get(REPO + "/issues/comments/1")),
                step(
                        "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
                        200,
                        () -> http.patch(comment, "{\"body\":\"Same here!\"}")),
                step(
                        "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
                        422,
                        () -> http.patch(comment, "{\"body\":\"\"}")),
                step(
                        "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}",
                        204,
                        () -> http.delete(comment, null)),
                step(
                        "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees",
                        201,
                        () -> http.post(issue + "/assignees", "{\"assignees\":[\"alice\"]}")),
                step(
                        "DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees",
                        200,
                        () -> http.delete(issue + "/assignees", "{\"assignees\":[\"alice\"]}")),
                step("GET /repos/{owner}/{repo}/pulls", 200, () -> http.get(REPO + "/pulls")),
                step(
                        "GET /repos/{owner}/{repo}/pulls",
                        422,
                        () -> http.get(REPO + "/pulls?state=bogus")),
                step("GET /repos/{owner}/{repo}/pulls/{pull_number}", 200, () -> http.get(pull)),
                step(
                        "GET /repos/{owner}/{repo}/issues/{issue_number}",
                        410,
                        () -> http.get("/repos/octo/spammed/issues/1")),
                step(
                        "GET /repos/{owner}/{repo}/pulls/{pull_number}",
                        404,
                        () -> http.get(REPO + "/pulls/1")),
                step(
                        "GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
                        200,
                        () -> http.get(pull + "/requested_reviewers")),
                step(
                        "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
                        201,
                        () ->
                                http.post(
                                        pull + "/requested_reviewers",
                                        "{\"reviewers\":[\"bob\"]}")),
                step(
                        "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
                        422,
                        () ->
                                http.post(
                                        pull + "/requested_reviewers",
                                        "{\"reviewers\":[\"alice\"]}")),
                step(
                        "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
                        200,
                        () ->
                                http.delete(
                                        pull + "/requested_reviewers",
                                        "{\"reviewers\":[\"bob\"]}")),
                step(
                        "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
                        422,
                        () -> http.delete(pull + "/requested_reviewers", "{}")),
                step(
                        "GET /repos/{owner}/{repo}/pulls/{pull_number}/merge",
                        404,
                        () -> http.get(pull + "/merge")),
                step(
                        "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
                        409,
                        () -> http.put(pull + "/merge", "{\"sha\":\"" + "b".repeat(40) + "\"}")),
                step(
                        "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
                        422,
                        () -> http.put(pull + "/merge", "{\"merge_method\":\"octopus\"}")),
                step(
                        "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
                        200,
                        () ->
                                http.put(
                                        pull + "/merge",
                                        "{\"sha\":\""
                                                + "a".repeat(40)
                                                + "\",\"merge_method\":\"squash\"}")),
                step(
                        "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
                        405,
                        () -> http.put(pull + "/merge", "{}")),
                step(
                        "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
                        404,
                        () -> http.put(REPO + "/pulls/1/merge", "{}")),
                step(
                        "GET /repos/{owner}/{repo}/pulls/{pull_number}/merge",
                        204,
                        () -> http.get(pull + "/merge")),
                step("GET /repos/{owner}/{repo}/pulls/{pull_number}", 200, () -> http.get(pull)),
                step(
                        "GET /repos/{owner}/{repo}/actions/runs",
                        200,
                        () -> http.get(REPO + "/actions/runs")),
                step("GET /repos/{owner}/{repo}/actions/runs/{run_id}", 200, () -> http.get(run)),
                step(
                        "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs",
                        200,
                        () -> http.get(run + "/jobs")),
                step(
                        "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs",
                        302,
                        () -> http.get(REPO + "/actions/jobs/" + lintJobId + "/logs")),
                step(
                        "POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs",
                        201,
                        () -> http.post(run + "/rerun-failed-jobs", null)),
                step(
                        "POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel",
                        202,
                        () -> http.post(run + "/cancel", null)),
                step(
                        "POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel",
                        409,
                        () -> http.post(run + "/cancel", null)),
                step(
                        "POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun",
                        201,
                        () -> http.post(run + "/rerun", null)),
                step("GET /repos/{owner}/{repo}/actions/runs/{run_id}", 200, () -> http.get(run)),
                step(
                        "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
                        200,
                        () ->
                                http.patch(
                                        issue,
                                        "{\"state\":\"closed\",\"state_reason\":\"not_planned\"}")),
                step(
                        "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
                        200,
                        () -> http.get(REPO + "/git/matching-refs/heads/feature")),
                step(
                        "GET /repos/{owner}/{repo}/git/ref/{ref}",
                        200,
                        () -> http.get(REPO + "/git/ref/heads/feature/a")),
                step(
                        "GET /repos/{owner}/{repo}/git/ref/{ref}",
                        404,
                        () -> http.get(REPO + "/git/ref/heads/nothing")),
                step(
                        "POST /repos/{owner}/{repo}/git/refs",
                        201,
                        () ->
                                http.post(
                                        REPO + "/git/refs",
                                        "{\"ref\":\"refs/heads/queue/1\",\"sha\":\""
                                                + mainSha
                                                + "\"}")),
                step(
                        "POST /repos/{owner}/{repo}/git/refs",
                        422,
                        () ->
                                http.post(
                                        REPO + "/git/refs",
                                        "{\"ref\":\"refs/heads/queue/1\",\"sha\":\""
                                                + mainSha
                                                + "\"}")),
                step(
                        "POST /repos/{owner}/{repo}/merges",
                        201,
                        () ->
                                http.post(
                                        REPO + "/merges",
                                        "{\"base\":\"queue/1\",\"head\":\"feature/a\"}")),
                step(
                        "POST /repos/{owner}/{repo}/merges",
                        204,
                        () ->
                                http.post(
                                        REPO + "/merges",
                                        "{\"base\":\"queue/1\",\"head\":\"" + featureSha + "\"}")),
                step(
                        "POST /repos/{owner}/{repo}/merges",
                        409,
                        () ->
                                http.post(
                                        REPO + "/merges",
                                        "{\"base\":\"queue/1\",\"head\":\"conflicting\"}")),
                step(
                        "POST /repos/{owner}/{repo}/merges",
                        404,
                        () ->
                                http.post(
                                        REPO + "/merges",
                                        "{\"base\":\"nothing\",\"head\":\"conflicting\"}")),
                step(
                        "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
                        422,
                        () ->
                                http.patch(
                                        REPO + "/git/refs/heads/main",
                                        "{\"sha\":\"" + conflictingSha + "\"}")),
                step(
                        "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
                        200,
                        () ->
                                http.patch(
                                        REPO + "/git/refs/heads/main",
                                        "{\"sha\":\""
                                                + simulator.branchSha("octo/widgets", "queue/1")
                                                + "\"}")),
                step(
                        "DELETE /repos/{owner}/{repo}/git/refs/{ref}",
                        204,
                        () -> http.delete(REPO + "/git/refs/heads/queue/1", null)),
                step(
                        "DELETE /repos/{owner}/{repo}/git/refs/{ref}",
                        422,
                        () -> http.delete(REPO + "/git/refs/heads/queue/1", null)),
                step(
                        "POST /repos/{owner}/{repo}/statuses/{sha}",
                        201,
                        () ->
                                http.post(
                                        REPO + "/statuses/" + featureSha,
                                        "{\"state\":\"success\",\"context\":\"ci\","
                                                + "\"description\":\"ok\"}")),
                step(
                        "GET /repos/{owner}/{repo}/commits/{ref}/status",
                        200,
                        () -> http.get(REPO + "/commits/feature/a/status")),
                step(
                        "GET /repos/{owner}/{repo}/commits/{ref}/status",
                        404,
                        () -> http.get(REPO + "/commits/nothing/status")),
                step(
                        "POST /repos/{owner}/{repo}/check-runs",
                        201,
                        () ->
                                http.withToken(appToken)
                                        .post(
                                                REPO + "/check-runs",
                                                "{\"name\":\"repostream/merge\",\"head_sha\":\""
                                                        + featureSha
                                                        + "\",\"status\":\"in_progress\"}")),
                step(
                        "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
                        200,
                        () ->
                                http.withToken(appToken)
                                        .patch(
                                                REPO + "/check-runs/" + lastCheckRunId(),
                                                "{\"conclusion\":\"success\",\"output\":"
                                                        + "{\"title\":\"Ready\","
                                                        + "\"summary\":\"All green\"}}")),
                step(
                        "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
                        200,
                        () -> http.get(REPO + "/check-runs/" + lastCheckRunId() + "/annotations")),
                step(
                        "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
                        200,
                        () -> http.get(REPO + "/commits/" + featureSha + "/check-runs")),
                step(
                        "GET /repos/{owner}/{repo}/events",
                        200,
                        () -> http.get(REPO + "/events?per_page=100")));
    }

    @Test
    void everyDeclaredRouteIsAnOperationGitHubDescribes() {
        List<String> undocumented = new ArrayList<>();
        for (RouteTable.Route route : declaredRoutes()) {
            if (!openApi.hasOperation(route.operation())) {
                undocumented.add(route.operation());
            }
        }
        assertThat(undocumented).as("routes missing from " + OpenApiFixture.RESOURCE).isEmpty();
        assertThat(openApi.source().path("version").asText()).isEqualTo("23.0.2");
    }

    @AfterAll
    void everyDeclaredRouteWasExercised() {
        List<String> missed =
                declaredRoutes().stream()
                        .map(RouteTable.Route::operation)
                        .filter(op -> !exercised.contains(op))
                        .toList();
        assertThat(missed).as("declared routes the conformance test never called").isEmpty();
    }

    private long lastCheckRunId() {
        return http.get(REPO + "/commits/" + featureSha + "/check-runs")
                .json()
                .path("check_runs")
                .path(0)
                .path("id")
                .asLong();
    }

    private DynamicTest step(
            String operation, int expectedStatus, Supplier<SimulatorHttp.Response> call) {
        return DynamicTest.dynamicTest(
                operation + " answers " + expectedStatus + " as GitHub describes",
                () -> {
                    SimulatorHttp.Response response = call.get();
                    exercised.add(operation);
                    assertThat(response.status()).as(response.toString()).isEqualTo(expectedStatus);
                    assertThat(openApi.documents(operation, expectedStatus))
                            .as("GitHub documents %s for %s", expectedStatus, operation)
                            .isTrue();
                    assertThat(openApi.violations(operation, response.status(), response.json()))
                            .as("%s %s", operation, response)
                            .isEmpty();
                });
    }

    private static List<RouteTable.Route> declaredRoutes() {
        SimulatedGitHub state = new SimulatedGitHub(Clock.systemUTC());
        GitHubJson json = new GitHubJson("http://127.0.0.1:1", state);
        return SimulatorRoutes.declare(
                        state,
                        json,
                        new IssueChanges(state, json),
                        new RateLimiter(Clock.systemUTC()))
                .routes();
    }
}
