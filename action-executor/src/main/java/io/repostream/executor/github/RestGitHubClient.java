package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.github.RequestGate.Kind;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.githubapp.AppPrivateKey;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.json.Json;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link GitHubClient} over GitHub's REST API: each operation is one request (a list, one request a
 * page) through one {@link GitHubHttp} stack, which paces, retries, authenticates and counts it.
 * Writes that must not reach GitHub twice say how to recognise their effect.
 */
public final class RestGitHubClient implements GitHubClient {
    private static final int PAGE_SIZE = 100;

    private final GitHubHttp http;
    private final Credentials credentials;
    private final RequestGate gate;

    /** The token's user, asked once: only its comments are the executor's own. */
    private volatile String tokenLogin;

    /** This client deferring rate limits, made once. */
    private volatile RestGitHubClient deferring;

    /**
     * @param http the stack every request takes ({@link GitHubHttp#standard})
     * @param credentials the same credentials the stack authenticates with (who "we" are)
     * @param gate the same gate the stack goes through (what it knows of rate limits)
     */
    public RestGitHubClient(GitHubHttp http, Credentials credentials, RequestGate gate) {
        this.http = http;
        this.credentials = credentials;
        this.gate = gate;
    }

    @Override
    public GitHubClient deferringRateLimits() {
        RestGitHubClient view = deferring;
        if (view == null) {
            view = new RestGitHubClient(http.deferringRateLimits(), credentials, gate);
            view.deferring = view;
            deferring = view;
        }
        return view;
    }

    /** With the token or the GitHub App of {@code config}. */
    public RestGitHubClient(ExecutorConfig config, RequestGate gate, ExecutorMetrics metrics) {
        this(config, gate, metrics, transport(config));
    }

    private RestGitHubClient(
            ExecutorConfig config,
            RequestGate gate,
            ExecutorMetrics metrics,
            HttpTransport transport) {
        this(config, credentials(config, transport, metrics), gate, metrics, transport);
    }

    public RestGitHubClient(
            ExecutorConfig config,
            Credentials credentials,
            RequestGate gate,
            ExecutorMetrics metrics) {
        this(config, credentials, gate, metrics, transport(config));
    }

    private RestGitHubClient(
            ExecutorConfig config,
            Credentials credentials,
            RequestGate gate,
            ExecutorMetrics metrics,
            HttpTransport transport) {
        this(GitHubHttp.standard(transport, credentials, gate, metrics), credentials, gate);
    }

    /** The transport of {@code config}'s endpoint and timeout. */
    public static HttpTransport transport(ExecutorConfig config) {
        HttpClient client = HttpTransport.client(config.githubTimeout());
        return new HttpTransport(client, config.githubApiUrl(), config.githubTimeout());
    }

    /** The token, or the GitHub App whose requests take {@code transport} with metrics. */
    public static Credentials credentials(
            ExecutorConfig config, GitHubHttp transport, ExecutorMetrics metrics) {
        if (config.githubApp() == null) {
            return Credentials.token(config.githubToken());
        }
        return new GitHubApp(
                config.githubApp().appId(),
                AppPrivateKey.fromPem(config.githubApp().privateKeyPem()),
                new MeteredHttp(metrics, transport),
                Clock.systemUTC());
    }

    @Override
    public void installationOf(String repo, long installationId) {
        if (credentials instanceof GitHubApp app) {
            app.knowInstallation(repo, installationId);
        }
    }

    @Override
    public Optional<Map<String, String>> grantedPermissions(String repo, Long installationId) {
        if (credentials instanceof GitHubApp app) {
            return Optional.of(app.permissions(repo, installationId));
        }
        return Optional.empty();
    }

    @Override
    public Optional<Instant> limitedUntil(String repo, Long installationId) {
        return credentials.knownBudget(repo, installationId).flatMap(gate::limitedUntil);
    }

    // ---- reads

    @Override
    public GitHubResult<Conditional> collaboratorPermission(
            String repo, String username, String etag) {
        GitHubRequest request =
                GitHubRequest.read(
                                "read_collaborator_permission",
                                repo,
                                repo + " collaborator " + username,
                                "/repos/"
                                        + repo
                                        + "/collaborators/"
                                        + encode(username)
                                        + "/permission")
                        .ifNoneMatch(etag);
        return conditional(request);
    }

    @Override
    public GitHubResult<Conditional> file(String repo, String path, String ref, String etag) {
        StringBuilder url = new StringBuilder("/repos/").append(repo).append("/contents");
        for (String segment : path.split("/", -1)) {
            url.append('/').append(encode(segment));
        }
        if (ref != null) {
            url.append("?ref=").append(encode(ref));
        }
        GitHubRequest request =
                GitHubRequest.read(
                                "read_file",
                                repo,
                                repo + ":" + path + (ref == null ? "" : "@" + ref),
                                url.toString())
                        .ifNoneMatch(etag);
        return conditional(request);
    }

    @Override
    public GitHubResult<JsonNode> jobLog(String repo, long jobId, int maxBytes) {
        GitHubRequest request =
                GitHubRequest.read(
                                "read_job_log",
                                repo,
                                repo + " job " + jobId,
                                "/repos/" + repo + "/actions/jobs/" + jobId + "/logs")
                        .downloading(maxBytes);
        GitHubAnswer answer = http.send(request);
        return new GitHubResult<>(answer.body(), answer.response());
    }

    @Override
    public GitHubResult<Conditional> compare(String repo, String base, String head, String etag) {
        String basehead = segments(base) + "..." + segments(head);
        GitHubRequest request =
                GitHubRequest.read(
                                "read_compare",
                                repo,
                                repo + ":" + base + "..." + head,
                                "/repos/" + repo + "/compare/" + basehead)
                        .ifNoneMatch(etag);
        return conditional(request);
    }

    /** A branch with slashes ({@code release/1.0}) keeps them; each segment is encoded. */
    private static String segments(String name) {
        StringBuilder out = new StringBuilder();
        for (String segment : name.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(encode(segment));
        }
        return out.toString();
    }

    /** Sends a conditional read: a 304 comes back as "not modified", without a body. */
    private GitHubResult<Conditional> conditional(GitHubRequest request) {
        GitHubAnswer answer = http.send(request);
        boolean notModified = request.notModified(answer);
        return new GitHubResult<>(
                new Conditional(notModified ? null : answer.body(), answer.etag(), notModified),
                answer.response());
    }

    @Override
    public GitHubResult<TargetState> issue(String repo, long number) {
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.read(
                                "get_issue", repo, ref(repo, number), issuePath(repo, number)));
        return new GitHubResult<>(issueState(answer.body()), answer.response());
    }

    @Override
    public GitHubResult<TargetState> pullRequest(String repo, long number) {
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.read(
                                "get_pull_request",
                                repo,
                                ref(repo, number),
                                pullPath(repo, number)));
        JsonNode pr = answer.body();
        return new GitHubResult<>(
                new TargetState(
                        "pull_request",
                        text(pr, "state"),
                        null,
                        names(pr.path("labels"), "name"),
                        names(pr.path("assignees"), "login"),
                        names(pr.path("requested_reviewers"), "login"),
                        text(pr.path("head"), "sha"),
                        pr.path("merged").asBoolean(false),
                        null,
                        null,
                        null,
                        null,
                        instant(pr, "updated_at")),
                answer.response());
    }

    @Override
    public GitHubResult<TargetState> workflowRun(String repo, long runId) {
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.read(
                                "get_workflow_run", repo, ref(repo, runId), runPath(repo, runId)));
        JsonNode run = answer.body();
        return new GitHubResult<>(
                new TargetState(
                        "workflow_run",
                        null,
                        null,
                        null,
                        null,
                        null,
                        text(run, "head_sha"),
                        null,
                        text(run, "status"),
                        text(run, "conclusion"),
                        (int) Math.max(1, run.path("run_attempt").asLong(1)),
                        null,
                        instant(run, "updated_at")),
                answer.response());
    }

    // ---- labels

    @Override
    public GitHubResult<List<String>> addLabels(String repo, long number, List<String> labels) {
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.write(
                                "add_labels",
                                Kind.WRITE,
                                "POST",
                                issuePath(repo, number) + "/labels",
                                namesBody("labels", labels),
                                repo,
                                ref(repo, number)));
        return new GitHubResult<>(names(answer.body(), "name"), answer.response());
    }

    @Override
    public GitHubResult<List<String>> removeLabel(String repo, long number, String label) {
        // removing it again would be GitHub's 404 "Label does not exist"
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.write(
                                        "remove_label",
                                        Kind.WRITE,
                                        "DELETE",
                                        issuePath(repo, number) + "/labels/" + encode(label),
                                        null,
                                        repo,
                                        ref(repo, number))
                                .once(
                                        () -> {
                                            GitHubAnswer now = issueAnswer(repo, number);
                                            JsonNode left = now.body().path("labels");
                                            return names(left, "name").stream()
                                                            .noneMatch(label::equalsIgnoreCase)
                                                    ? Optional.of(now.withBody(left))
                                                    : Optional.empty();
                                        }));
        return new GitHubResult<>(names(answer.body(), "name"), answer.response());
    }

    // ---- comments

    @Override
    public GitHubResult<Long> createComment(String repo, long number, String body, String marker) {
        ObjectNode json = Json.mapper().createObjectNode().put("body", body);
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.write(
                                        "create_comment",
                                        Kind.CREATION,
                                        "POST",
                                        issuePath(repo, number) + "/comments",
                                        json,
                                        repo,
                                        ref(repo, number))
                                .once(
                                        () -> {
                                            Page found = ownComment(repo, number, marker);
                                            return found.comment() == null
                                                    ? Optional.empty()
                                                    : Optional.of(
                                                            found.answer()
                                                                    .withBody(found.comment()));
                                        }));
        return new GitHubResult<>(answer.body().path("id").asLong(), answer.response());
    }

    @Override
    public GitHubResult<Optional<Long>> findComment(String repo, long number, String marker) {
        Page found = ownComment(repo, number, marker);
        return new GitHubResult<>(
                Optional.ofNullable(found.comment()).map(c -> c.path("id").asLong()),
                found.answer().response());
    }

    /** Our own comment on {@code repo#number} that carries {@code marker}, if any. */
    private Page ownComment(String repo, long number, String marker) {
        String own = ownLogin(repo, number);
        return firstComment(
                repo,
                number,
                c ->
                        c.path("body").asText("").contains(marker)
                                && own.equalsIgnoreCase(c.path("user").path("login").asText("")));
    }

    /** The comment found (or null) and the answer of the last page read. */
    private record Page(JsonNode comment, GitHubAnswer answer) {}

    /** The first comment on {@code repo#number} that {@code wanted} accepts, page by page. */
    private Page firstComment(String repo, long number, Predicate<JsonNode> wanted) {
        GitHubRequest request =
                GitHubRequest.read(
                        "list_comments",
                        repo,
                        ref(repo, number),
                        issuePath(repo, number) + "/comments?per_page=" + PAGE_SIZE);
        while (true) {
            GitHubAnswer page = http.send(request);
            for (JsonNode comment : page.body()) {
                if (wanted.test(comment)) {
                    return new Page(comment, page);
                }
            }
            if (page.nextPage() == null) {
                return new Page(null, page);
            }
            request = request.at(page.nextPage());
        }
    }

    /**
     * Who this client writes as: the token's user ({@code GET /user}, asked once), or the GitHub
     * App's bot. Asked before a request, not inside one, so that no request waits for a second.
     */
    private String ownLogin(String repo, long number) {
        if (credentials instanceof GitHubApp app) {
            return app.botLogin(repo);
        }
        String known = tokenLogin;
        if (known == null) {
            known =
                    http.send(GitHubRequest.read("get_user", repo, ref(repo, number), "/user"))
                            .body()
                            .path("login")
                            .asText();
            tokenLogin = known;
        }
        return known;
    }

    @Override
    public GitHubResult<Void> deleteComment(String repo, long number, long commentId) {
        // deleting it again would be GitHub's 404
        return GitHubResult.done(
                http.send(
                        GitHubRequest.write(
                                        "delete_comment",
                                        Kind.WRITE,
                                        "DELETE",
                                        "/repos/" + repo + "/issues/comments/" + commentId,
                                        null,
                                        repo,
                                        ref(repo, number))
                                .once(
                                        () -> {
                                            Page page =
                                                    firstComment(
                                                            repo,
                                                            number,
                                                            c ->
                                                                    c.path("id").asLong()
                                                                            == commentId);
                                            return page.comment() == null
                                                    ? Optional.of(page.answer())
                                                    : Optional.empty();
                                        })));
    }

    // ---- issue state and assignees

    @Override
    public GitHubResult<Void> closeIssue(String repo, long number, String stateReason) {
        String reason = "not_planned".equals(stateReason) ? "not_planned" : "completed";
        return patchIssue(
                "close_issue",
                Json.mapper().createObjectNode().put("state", "closed").put("state_reason", reason),
                repo,
                number);
    }

    @Override
    public GitHubResult<Void> reopenIssue(String repo, long number) {
        return patchIssue(
                "reopen_issue",
                Json.mapper().createObjectNode().put("state", "open"),
                repo,
                number);
    }

    private GitHubResult<Void> patchIssue(
            String operation, ObjectNode body, String repo, long number) {
        return GitHubResult.done(
                http.send(
                        GitHubRequest.write(
                                operation,
                                Kind.WRITE,
                                "PATCH",
                                issuePath(repo, number),
                                body,
                                repo,
                                ref(repo, number))));
    }

    @Override
    public GitHubResult<Void> addAssignees(String repo, long number, List<String> logins) {
        return send(ADD_ASSIGNEES, repo, number, logins);
    }

    @Override
    public GitHubResult<Void> removeAssignees(String repo, long number, List<String> logins) {
        return send(REMOVE_ASSIGNEES, repo, number, logins);
    }

    // ---- pull requests

    @Override
    public GitHubResult<Void> requestReviewers(String repo, long number, List<String> logins) {
        return send(REQUEST_REVIEWERS, repo, number, logins);
    }

    @Override
    public GitHubResult<Void> removeRequestedReviewers(
            String repo, long number, List<String> logins) {
        return send(REMOVE_REVIEWERS, repo, number, logins);
    }

    @Override
    public GitHubResult<Void> mergePullRequest(
            String repo, long number, String headSha, String mergeMethod) {
        ObjectNode body =
                Json.mapper()
                        .createObjectNode()
                        .put("sha", headSha)
                        .put(
                                "merge_method",
                                mergeMethod == null
                                        ? "merge"
                                        : mergeMethod.toLowerCase(Locale.ROOT));
        // merging again would be GitHub's 405 "Pull Request is not mergeable"
        return GitHubResult.done(
                http.send(
                        GitHubRequest.write(
                                        "merge_pull_request",
                                        Kind.WRITE,
                                        "PUT",
                                        pullPath(repo, number) + "/merge",
                                        body,
                                        repo,
                                        ref(repo, number))
                                .once(
                                        effect(
                                                () -> pullRequest(repo, number),
                                                pr -> Boolean.TRUE.equals(pr.merged())))));
    }

    // ---- git refs and merges

    @Override
    public GitHubResult<TargetState> ref(String repo, String ref) {
        try {
            GitHubAnswer answer =
                    http.send(
                            GitHubRequest.read(
                                    "get_ref", repo, repo + "@" + ref, refPath(repo, "ref", ref)));
            return new GitHubResult<>(
                    GitRefs.present(answer.body().path("object").path("sha").asText()),
                    answer.response());
        } catch (GitHubException e) {
            if (e.status() != 404) {
                throw e;
            }
            return new GitHubResult<>(GitRefs.absent(), e.response().orElse(null));
        }
    }

    @Override
    public GitHubResult<Void> createRef(String repo, String ref, String sha) {
        ObjectNode body = Json.mapper().createObjectNode().put("ref", ref).put("sha", sha);
        return GitHubResult.done(
                http.send(
                        GitHubRequest.write(
                                        "create_ref",
                                        Kind.WRITE,
                                        "POST",
                                        "/repos/" + repo + "/git/refs",
                                        body,
                                        repo,
                                        repo + "@" + ref)
                                .once(refAt(repo, ref, sha))));
    }

    @Override
    public GitHubResult<Void> updateRef(String repo, String ref, String sha, boolean force) {
        ObjectNode body = Json.mapper().createObjectNode().put("sha", sha).put("force", force);
        return GitHubResult.done(
                http.send(
                        GitHubRequest.write(
                                        "update_ref",
                                        Kind.WRITE,
                                        "PATCH",
                                        refPath(repo, "refs", ref),
                                        body,
                                        repo,
                                        repo + "@" + ref)
                                .once(refAt(repo, ref, sha))));
    }

    @Override
    public GitHubResult<Void> deleteRef(String repo, String ref) {
        return GitHubResult.done(
                http.send(
                        GitHubRequest.write(
                                        "delete_ref",
                                        Kind.WRITE,
                                        "DELETE",
                                        refPath(repo, "refs", ref),
                                        null,
                                        repo,
                                        repo + "@" + ref)
                                .once(refAt(repo, ref, null))));
    }

    @Override
    public GitHubResult<String> mergeBranch(
            String repo, String ref, String head, String message, String before) {
        ObjectNode body =
                Json.mapper()
                        .createObjectNode()
                        .put("base", ref.substring("refs/heads/".length()))
                        .put("head", head);
        if (message != null) {
            body.put("commit_message", message);
        }
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.write(
                                        "merge_branch",
                                        Kind.WRITE,
                                        "POST",
                                        "/repos/" + repo + "/merges",
                                        body,
                                        repo,
                                        repo + "@" + ref)
                                .once(
                                        effect(
                                                () -> ref(repo, ref),
                                                r ->
                                                        r.headSha() != null
                                                                && !r.headSha().equals(before))));
        JsonNode merged = answer.body();
        String sha = merged != null && merged.hasNonNull("sha") ? merged.get("sha").asText() : null;
        if (sha == null && answer.response() != null && answer.response().status() != 204) {
            // the answer was lost and the effect found: the ref's SHA now is the merge
            sha = ref(repo, ref).value().headSha();
        }
        return new GitHubResult<>(sha, answer.response());
    }

    /** The ref at {@code sha} (null: deleted). */
    private Supplier<Optional<GitHubAnswer>> refAt(String repo, String ref, String sha) {
        return effect(
                () -> ref(repo, ref),
                r -> sha == null ? "absent".equals(r.state()) : sha.equals(r.headSha()));
    }

    /** {@code /repos/o/r/git/ref/heads/main} for {@code refs/heads/main}. */
    private static String refPath(String repo, String segment, String ref) {
        return "/repos/" + repo + "/git/" + segment + "/" + ref.substring("refs/".length());
    }

    // ---- check runs and statuses

    @Override
    public boolean writesCheckRuns() {
        return credentials instanceof GitHubApp;
    }

    @Override
    public GitHubResult<TargetState> checkRun(String repo, String sha, String name) {
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.read(
                                "list_check_runs",
                                repo,
                                repo + "@" + sha,
                                "/repos/"
                                        + repo
                                        + "/commits/"
                                        + sha
                                        + "/check-runs?filter=latest&check_name="
                                        + encode(name)));
        JsonNode run = answer.body().path("check_runs").path(0);
        return new GitHubResult<>(
                run.isMissingNode() ? absentCheck(Checks.CHECK_RUN, sha, name) : checkRunState(run),
                answer.response());
    }

    @Override
    public GitHubResult<TargetState> commitStatus(String repo, String sha, String context) {
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.read(
                                "get_combined_status",
                                repo,
                                repo + "@" + sha,
                                "/repos/" + repo + "/commits/" + sha + "/status?per_page=100"));
        for (JsonNode status : answer.body().path("statuses")) {
            if (context.equals(status.path("context").asText())) {
                return new GitHubResult<>(statusState(sha, status), answer.response());
            }
        }
        return new GitHubResult<>(
                absentCheck(Checks.COMMIT_STATUS, sha, context), answer.response());
    }

    @Override
    public GitHubResult<TargetState> createCheckRun(String repo, String sha, CheckRun run) {
        ObjectNode body =
                Json.mapper()
                        .createObjectNode()
                        .put("name", run.name())
                        .put("head_sha", sha)
                        .put("status", run.status());
        if (run.conclusion() != null) {
            body.put("conclusion", run.conclusion());
        }
        if (run.detailsUrl() != null) {
            body.put("details_url", run.detailsUrl());
        }
        ObjectNode output =
                body.putObject("output").put("title", run.title()).put("summary", run.summary());
        if (!run.annotations().isEmpty()) {
            var annotations = output.putArray("annotations");
            for (Checks.Annotation a : run.annotations()) {
                annotations
                        .addObject()
                        .put("path", a.path())
                        .put("start_line", a.startLine())
                        .put("end_line", a.endLine())
                        .put("annotation_level", a.level())
                        .put("message", a.message());
            }
        }
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.write(
                                        "create_check_run",
                                        Kind.CREATION,
                                        "POST",
                                        "/repos/" + repo + "/check-runs",
                                        body,
                                        repo,
                                        repo + "@" + sha)
                                .once(
                                        effect(
                                                () -> checkRun(repo, sha, run.name()),
                                                s ->
                                                        Objects.equals(s.runStatus(), run.status())
                                                                && Objects.equals(
                                                                        s.runConclusion(),
                                                                        run.conclusion())
                                                                && Objects.equals(
                                                                        s.stateReason(),
                                                                        run.title()))));
        return new GitHubResult<>(
                answer.body() == null || answer.body().isMissingNode()
                        ? checkRun(repo, sha, run.name()).value()
                        : checkRunState(answer.body()),
                answer.response());
    }

    @Override
    public GitHubResult<TargetState> createCommitStatus(
            String repo,
            String sha,
            String state,
            String context,
            String description,
            String targetUrl) {
        ObjectNode body =
                Json.mapper()
                        .createObjectNode()
                        .put("state", state)
                        .put("context", context)
                        .put("description", description);
        if (targetUrl != null) {
            body.put("target_url", targetUrl);
        }
        GitHubAnswer answer =
                http.send(
                        GitHubRequest.write(
                                        "create_commit_status",
                                        Kind.CREATION,
                                        "POST",
                                        "/repos/" + repo + "/statuses/" + sha,
                                        body,
                                        repo,
                                        repo + "@" + sha)
                                .once(
                                        effect(
                                                () -> commitStatus(repo, sha, context),
                                                s ->
                                                        state.equals(s.state())
                                                                && Objects.equals(
                                                                        s.stateReason(),
                                                                        description))));
        return new GitHubResult<>(
                answer.body() == null || answer.body().isMissingNode()
                        ? commitStatus(repo, sha, context).value()
                        : statusState(sha, answer.body()),
                answer.response());
    }

    private static TargetState absentCheck(String kind, String sha, String name) {
        return new TargetState(
                kind, "absent", null, null, null, null, sha, null, null, null, null, null, null,
                name);
    }

    private static TargetState checkRunState(JsonNode run) {
        JsonNode titleNode = run.path("output").path("title");
        String title = titleNode.isTextual() ? titleNode.asText() : null;
        return new TargetState(
                Checks.CHECK_RUN,
                run.hasNonNull("conclusion")
                        ? run.get("conclusion").asText()
                        : run.path("status").asText(),
                title,
                null,
                null,
                null,
                run.path("head_sha").asText(),
                null,
                run.path("status").asText(),
                run.hasNonNull("conclusion") ? run.get("conclusion").asText() : null,
                null,
                run.path("id").asLong(),
                instant(run, "completed_at"),
                run.path("name").asText());
    }

    private static TargetState statusState(String sha, JsonNode status) {
        return new TargetState(
                Checks.COMMIT_STATUS,
                status.path("state").asText(),
                status.hasNonNull("description") ? status.get("description").asText() : null,
                null,
                null,
                null,
                sha,
                null,
                null,
                null,
                null,
                null,
                instant(status, "updated_at"),
                status.path("context").asText());
    }

    // ---- workflow runs

    @Override
    public GitHubResult<Void> rerunFailedJobs(String repo, long runId, int attemptSeen) {
        // a second re-run of a run that is running again would be GitHub's 403
        return runWrite(
                "rerun_failed_jobs",
                "/rerun-failed-jobs",
                repo,
                runId,
                newerAttempt(repo, runId, attemptSeen));
    }

    @Override
    public GitHubResult<Void> rerunWorkflow(String repo, long runId, int attemptSeen) {
        return runWrite(
                "rerun_workflow", "/rerun", repo, runId, newerAttempt(repo, runId, attemptSeen));
    }

    @Override
    public GitHubResult<Void> cancelWorkflowRun(String repo, long runId) {
        // cancelling a cancelled run would be GitHub's 409
        return runWrite(
                "cancel_workflow_run",
                "/cancel",
                repo,
                runId,
                effect(
                        () -> workflowRun(repo, runId),
                        run -> "cancelled".equals(run.runConclusion())));
    }

    private Supplier<Optional<GitHubAnswer>> newerAttempt(String repo, long runId, int seen) {
        return effect(
                () -> workflowRun(repo, runId),
                run -> run.runAttempt() != null && run.runAttempt() > seen);
    }

    private GitHubResult<Void> runWrite(
            String operation,
            String suffix,
            String repo,
            long runId,
            Supplier<Optional<GitHubAnswer>> tookEffect) {
        return GitHubResult.done(
                http.send(
                        GitHubRequest.write(
                                        operation,
                                        Kind.WRITE,
                                        "POST",
                                        runPath(repo, runId) + suffix,
                                        null,
                                        repo,
                                        ref(repo, runId))
                                .once(tookEffect)));
    }

    // ---- helpers

    /** A found effect: the read that showed it stands for the lost answer. */
    private static Supplier<Optional<GitHubAnswer>> effect(
            Supplier<GitHubResult<TargetState>> read, Predicate<TargetState> applied) {
        return () -> {
            GitHubResult<TargetState> now = read.get();
            return applied.test(now.value())
                    ? Optional.of(new GitHubAnswer(now.response(), null, null))
                    : Optional.empty();
        };
    }

    private GitHubAnswer issueAnswer(String repo, long number) {
        return http.send(
                GitHubRequest.read("get_issue", repo, ref(repo, number), issuePath(repo, number)));
    }

    /**
     * A write of a list of logins to an issue's or pull request's sub-resource; harmless to repeat.
     */
    private record LoginsWrite(
            String operation, String method, String pathPrefix, String suffix, String field) {}

    private static final LoginsWrite ADD_ASSIGNEES =
            new LoginsWrite("add_assignees", "POST", "/issues/", "/assignees", "assignees");
    private static final LoginsWrite REMOVE_ASSIGNEES =
            new LoginsWrite("remove_assignees", "DELETE", "/issues/", "/assignees", "assignees");
    private static final LoginsWrite REQUEST_REVIEWERS =
            new LoginsWrite(
                    "request_reviewers", "POST", "/pulls/", "/requested_reviewers", "reviewers");
    private static final LoginsWrite REMOVE_REVIEWERS =
            new LoginsWrite(
                    "remove_requested_reviewers",
                    "DELETE",
                    "/pulls/",
                    "/requested_reviewers",
                    "reviewers");

    private GitHubResult<Void> send(
            LoginsWrite write, String repo, long number, List<String> logins) {
        return GitHubResult.done(
                http.send(
                        GitHubRequest.write(
                                write.operation(),
                                Kind.WRITE,
                                write.method(),
                                "/repos/" + repo + write.pathPrefix() + number + write.suffix(),
                                namesBody(write.field(), logins),
                                repo,
                                ref(repo, number))));
    }

    static JsonNode namesBody(String field, List<String> names) {
        ObjectNode node = Json.mapper().createObjectNode();
        ArrayNode array = node.putArray(field);
        names.forEach(array::add);
        return node;
    }

    private static TargetState issueState(JsonNode issue) {
        String reason = text(issue, "state_reason");
        return new TargetState(
                issue.hasNonNull("pull_request") ? "pull_request" : "issue",
                text(issue, "state"),
                reason == null || reason.isBlank() ? null : reason,
                names(issue.path("labels"), "name"),
                names(issue.path("assignees"), "login"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                instant(issue, "updated_at"));
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> names = new ArrayList<>();
        for (JsonNode item : array) {
            if (item.hasNonNull(field)) {
                names.add(item.get(field).asText());
            }
        }
        return List.copyOf(names);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText().toLowerCase(Locale.ROOT) : null;
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? Instant.parse(value.asText()) : null;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String ref(String repo, long number) {
        return repo + "#" + number;
    }

    private static String issuePath(String repo, long number) {
        return "/repos/" + repo + "/issues/" + number;
    }

    private static String pullPath(String repo, long number) {
        return "/repos/" + repo + "/pulls/" + number;
    }

    private static String runPath(String repo, long runId) {
        return "/repos/" + repo + "/actions/runs/" + runId;
    }
}
