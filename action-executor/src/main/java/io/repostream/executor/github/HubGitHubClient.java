package io.repostream.executor.github;

import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.github.RequestGate.Kind;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.githubapp.AppPrivateKey;
import io.repostream.schemas.TargetState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueStateReason;
import org.kohsuke.github.GHLabel;
import org.kohsuke.github.GHPerson;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHWorkflowRun;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.extras.HttpClientGitHubConnector;

/**
 * {@link GitHubClient} over hub4j's {@code github-api}, pointed at the configured endpoint. Rate
 * limits make hub4j fail instead of sleeping inside the library, so that {@link RequestGate}
 * decides (and counts) every wait and retry.
 */
public final class HubGitHubClient implements GitHubClient {
    private final GitHub github;
    private final ResponseRecorder recorder;
    private final RestCalls rest;
    private final RequestGate gate;
    private final ExecutorMetrics metrics;
    private final Credentials credentials;

    /** The repo the calling thread's request is about, for the credentials to pick its token. */
    private final ThreadLocal<String> currentRepo = new ThreadLocal<>();

    private final Map<String, GHRepository> repositories = new ConcurrentHashMap<>();

    /** The token's user, asked once: only its comments are the executor's own. */
    private volatile String tokenLogin;

    /**
     * The issue this thread read last. A handler reads its target and then writes to it; hub4j
     * needs the issue object for the write, and fetching it a second time would cost a request.
     */
    private final ThreadLocal<GHIssue> lastIssueRead = new ThreadLocal<>();

    /** With the token or the GitHub App of {@code config}. */
    public HubGitHubClient(ExecutorConfig config, RequestGate gate, ExecutorMetrics metrics) {
        this(config, gate, metrics, http(config));
    }

    private HubGitHubClient(
            ExecutorConfig config, RequestGate gate, ExecutorMetrics metrics, HttpClient http) {
        this(config, credentials(config, http), gate, metrics, http);
    }

    public HubGitHubClient(
            ExecutorConfig config,
            Credentials credentials,
            RequestGate gate,
            ExecutorMetrics metrics) {
        this(config, credentials, gate, metrics, http(config));
    }

    private HubGitHubClient(
            ExecutorConfig config,
            Credentials credentials,
            RequestGate gate,
            ExecutorMetrics metrics,
            HttpClient http) {
        this.gate = gate;
        this.metrics = metrics;
        this.credentials = credentials;
        this.recorder = new ResponseRecorder(new HttpClientGitHubConnector(http));
        this.rest =
                new RestCalls(
                        http, config.githubApiUrl(), credentials, config.githubTimeout(), recorder);
        try {
            this.github =
                    new GitHubBuilder()
                            .withEndpoint(config.githubApiUrl())
                            .withAuthorizationProvider(
                                    () -> credentials.authorization(currentRepo.get()))
                            .withConnector(recorder)
                            .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                            .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
                            .build();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot set up the GitHub client for " + config.githubApiUrl(), e);
        }
    }

    private static HttpClient http(ExecutorConfig config) {
        return HttpClient.newBuilder()
                .connectTimeout(config.githubTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    private static Credentials credentials(ExecutorConfig config, HttpClient http) {
        if (config.githubApp() == null) {
            return Credentials.token(config.githubToken());
        }
        return new GitHubApp(
                config.githubApp().appId(),
                AppPrivateKey.fromPem(config.githubApp().privateKeyPem()),
                config.githubApiUrl(),
                http,
                config.githubTimeout(),
                Clock.systemUTC());
    }

    @Override
    public void installationOf(String repo, long installationId) {
        if (credentials instanceof GitHubApp app) {
            app.knowInstallation(repo, installationId);
        }
    }

    @Override
    public Optional<Instant> limitedUntil(String repo, Long installationId) {
        return credentials.knownBudget(repo, installationId).flatMap(gate::limitedUntil);
    }

    @Override
    public TargetState issue(String repo, long number) {
        return call(
                repo,
                number,
                Kind.READ,
                "get_issue",
                () -> {
                    GHIssue issue = repository(repo).getIssue((int) number);
                    lastIssueRead.set(issue);
                    return issueState(issue);
                });
    }

    @Override
    public TargetState pullRequest(String repo, long number) {
        return call(
                repo,
                number,
                Kind.READ,
                "get_pull_request",
                () -> {
                    GHPullRequest pr = repository(repo).getPullRequest((int) number);
                    return new TargetState(
                            "pull_request",
                            lower(pr.getState()),
                            null,
                            pr.getLabels().stream().map(GHLabel::getName).toList(),
                            pr.getAssignees().stream().map(GHPerson::getLogin).toList(),
                            pr.getRequestedReviewers().stream().map(GHPerson::getLogin).toList(),
                            pr.getHead() == null ? null : pr.getHead().getSha(),
                            pr.isMerged(),
                            null,
                            null,
                            null,
                            null,
                            instant(pr.getUpdatedAt()));
                });
    }

    @Override
    public TargetState workflowRun(String repo, long runId) {
        return call(
                repo,
                runId,
                Kind.READ,
                "get_workflow_run",
                () -> {
                    GHWorkflowRun run = repository(repo).getWorkflowRun(runId);
                    return new TargetState(
                            "workflow_run",
                            null,
                            null,
                            null,
                            null,
                            null,
                            run.getHeadSha(),
                            null,
                            lower(run.getStatus()),
                            run.getConclusion() == null ? null : lower(run.getConclusion()),
                            (int) Math.max(1, run.getRunAttempt()),
                            null,
                            instant(run.getUpdatedAt()));
                });
    }

    @Override
    public List<String> addLabels(String repo, long number, List<String> labels) {
        return call(
                repo,
                number,
                Kind.WRITE,
                "add_labels",
                () -> names(issueOf(repo, number).addLabels(labels.toArray(String[]::new))));
    }

    @Override
    public List<String> removeLabel(String repo, long number, String label) {
        // removing it again would be GitHub's 404 "Label does not exist"
        return call(
                repo,
                number,
                Kind.WRITE,
                "remove_label",
                () -> names(issueOf(repo, number).removeLabel(label)),
                () -> {
                    List<String> left = issue(repo, number).labels();
                    return left.stream().noneMatch(label::equalsIgnoreCase)
                            ? Optional.of(left)
                            : Optional.empty();
                });
    }

    @Override
    public long createComment(String repo, long number, String body, String marker) {
        return call(
                repo,
                number,
                Kind.CREATION,
                "create_comment",
                () -> issueOf(repo, number).comment(body).getId(),
                () -> findComment(repo, number, marker));
    }

    @Override
    public Optional<Long> findComment(String repo, long number, String marker) {
        String own = ownLogin(repo, number);
        return firstComment(
                        repo,
                        number,
                        comment ->
                                comment.getBody() != null
                                        && comment.getBody().contains(marker)
                                        && own.equalsIgnoreCase(comment.getUserName()))
                .map(GHIssueComment::getId);
    }

    /**
     * The first comment on {@code repo#number} that {@code wanted} accepts, as GitHub has it now.
     */
    private Optional<GHIssueComment> firstComment(
            String repo, long number, Predicate<GHIssueComment> wanted) {
        return call(
                repo,
                number,
                Kind.READ,
                "list_comments",
                () -> {
                    for (GHIssueComment comment :
                            repository(repo).getIssue((int) number).listComments()) {
                        if (wanted.test(comment)) {
                            return Optional.of(comment);
                        }
                    }
                    return Optional.<GHIssueComment>empty();
                });
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
            known = call(repo, number, Kind.READ, "get_user", () -> github.getMyself().getLogin());
            tokenLogin = known;
        }
        return known;
    }

    @Override
    public void deleteComment(String repo, long number, long commentId) {
        raw(
                repo,
                number,
                "delete_comment",
                "DELETE",
                "/repos/" + repo + "/issues/comments/" + commentId,
                null,
                // deleting it again would be GitHub's 404
                () ->
                        firstComment(repo, number, comment -> comment.getId() == commentId)
                                .isEmpty());
    }

    @Override
    public void closeIssue(String repo, long number, String stateReason) {
        GHIssueStateReason reason =
                "not_planned".equals(stateReason)
                        ? GHIssueStateReason.NOT_PLANNED
                        : GHIssueStateReason.COMPLETED;
        call(repo, number, Kind.WRITE, "close_issue", () -> issueOf(repo, number).close(reason));
    }

    @Override
    public void reopenIssue(String repo, long number) {
        call(repo, number, Kind.WRITE, "reopen_issue", () -> issueOf(repo, number).reopen());
    }

    @Override
    public void addAssignees(String repo, long number, List<String> logins) {
        raw(
                repo,
                number,
                "add_assignees",
                "POST",
                issuePath(repo, number) + "/assignees",
                RestCalls.namesBody("assignees", logins));
    }

    @Override
    public void removeAssignees(String repo, long number, List<String> logins) {
        raw(
                repo,
                number,
                "remove_assignees",
                "DELETE",
                issuePath(repo, number) + "/assignees",
                RestCalls.namesBody("assignees", logins));
    }

    @Override
    public void requestReviewers(String repo, long number, List<String> logins) {
        raw(
                repo,
                number,
                "request_reviewers",
                "POST",
                "/repos/" + repo + "/pulls/" + number + "/requested_reviewers",
                RestCalls.namesBody("reviewers", logins));
    }

    @Override
    public void removeRequestedReviewers(String repo, long number, List<String> logins) {
        raw(
                repo,
                number,
                "remove_requested_reviewers",
                "DELETE",
                "/repos/" + repo + "/pulls/" + number + "/requested_reviewers",
                RestCalls.namesBody("reviewers", logins));
    }

    @Override
    public void mergePullRequest(String repo, long number, String headSha, String mergeMethod) {
        GHPullRequest.MergeMethod method =
                mergeMethod == null
                        ? GHPullRequest.MergeMethod.MERGE
                        : GHPullRequest.MergeMethod.valueOf(mergeMethod.toUpperCase(Locale.ROOT));
        // merging again would be GitHub's 405 "Pull Request is not mergeable"
        call(
                repo,
                number,
                Kind.WRITE,
                "merge_pull_request",
                () -> {
                    repository(repo).getPullRequest((int) number).merge(null, headSha, method);
                    return DONE;
                },
                tookEffect(() -> Boolean.TRUE.equals(pullRequest(repo, number).merged())));
    }

    @Override
    public void rerunFailedJobs(String repo, long runId, int attemptSeen) {
        // a second re-run of a run that is running again would be GitHub's 403
        raw(
                repo,
                runId,
                "rerun_failed_jobs",
                "POST",
                "/repos/" + repo + "/actions/runs/" + runId + "/rerun-failed-jobs",
                null,
                () -> newerAttempt(repo, runId, attemptSeen));
    }

    @Override
    public void rerunWorkflow(String repo, long runId, int attemptSeen) {
        call(
                repo,
                runId,
                Kind.WRITE,
                "rerun_workflow",
                () -> {
                    repository(repo).getWorkflowRun(runId).rerun();
                    return DONE;
                },
                tookEffect(() -> newerAttempt(repo, runId, attemptSeen)));
    }

    private boolean newerAttempt(String repo, long runId, int attemptSeen) {
        Integer attempt = workflowRun(repo, runId).runAttempt();
        return attempt != null && attempt > attemptSeen;
    }

    @Override
    public void cancelWorkflowRun(String repo, long runId) {
        // cancelling a cancelled run would be GitHub's 409
        call(
                repo,
                runId,
                Kind.WRITE,
                "cancel_workflow_run",
                () -> {
                    repository(repo).getWorkflowRun(runId).cancel();
                    return DONE;
                },
                tookEffect(() -> "cancelled".equals(workflowRun(repo, runId).runConclusion())));
    }

    @Override
    public Optional<GitHubResponse> lastResponse() {
        return recorder.last();
    }

    private GHIssue issueOf(String repo, long number) throws IOException {
        GHIssue last = lastIssueRead.get();
        if (last != null
                && last.getNumber() == number
                && last.getRepository() != null
                && repo.equalsIgnoreCase(last.getRepository().getFullName())) {
            return last;
        }
        return repository(repo).getIssue((int) number);
    }

    private GHRepository repository(String repo) throws IOException {
        GHRepository cached = repositories.get(repo);
        if (cached != null) {
            return cached;
        }
        GHRepository fetched = github.getRepository(repo);
        repositories.put(repo, fetched);
        return fetched;
    }

    private static TargetState issueState(GHIssue issue) throws IOException {
        return new TargetState(
                issue.isPullRequest() ? "pull_request" : "issue",
                lower(issue.getState()),
                issue.getStateReason() == null
                                || issue.getStateReason() == GHIssueStateReason.UNKNOWN
                        ? null
                        : lower(issue.getStateReason()),
                issue.getLabels().stream().map(GHLabel::getName).toList(),
                issue.getAssignees().stream().map(GHPerson::getLogin).toList(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                instant(issue.getUpdatedAt()));
    }

    private static List<String> names(List<GHLabel> labels) {
        return labels.stream().map(GHLabel::getName).toList();
    }

    private static String issuePath(String repo, long number) {
        return "/repos/" + repo + "/issues/" + number;
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws IOException;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    private void call(String repo, long number, Kind kind, String operation, IoAction action) {
        call(
                repo,
                number,
                kind,
                operation,
                () -> {
                    action.run();
                    return null;
                });
    }

    private <T> T call(String repo, long number, Kind kind, String operation, IoCall<T> call) {
        return call(repo, number, kind, operation, call, null);
    }

    /**
     * A write that must not be sent twice: see {@link RequestGate#send(String, Kind, String,
     * java.util.function.Supplier, java.util.function.Supplier)}.
     */
    private <T> T call(
            String repo,
            long number,
            Kind kind,
            String operation,
            IoCall<T> call,
            Supplier<Optional<T>> tookEffect) {
        String ref = repo + "#" + number;
        return gate.send(
                budget(repo),
                kind,
                ref,
                () -> {
                    currentRepo.set(repo);
                    recorder.clear();
                    long started = System.nanoTime();
                    try {
                        return call.call();
                    } catch (IOException e) {
                        throw translate(e, operation, ref);
                    } finally {
                        observe(repo, operation, started);
                    }
                },
                tookEffect);
    }

    /** What a write without an answer returns when its effect is found: nothing but "done". */
    private static final Object DONE = Boolean.TRUE;

    private static Supplier<Optional<Object>> tookEffect(BooleanSupplier applied) {
        return () -> applied.getAsBoolean() ? Optional.of(DONE) : Optional.empty();
    }

    private void raw(
            String repo,
            long number,
            String operation,
            String method,
            String path,
            com.fasterxml.jackson.databind.JsonNode body) {
        raw(repo, number, operation, method, path, body, null);
    }

    /**
     * @param applied for a write that must not be sent twice: whether its effect is on GitHub (see
     *     {@link RequestGate#send(String, Kind, String, java.util.function.Supplier,
     *     java.util.function.Supplier)}); null when repeating it is harmless
     */
    private void raw(
            String repo,
            long number,
            String operation,
            String method,
            String path,
            com.fasterxml.jackson.databind.JsonNode body,
            BooleanSupplier applied) {
        String ref = repo + "#" + number;
        gate.send(
                budget(repo),
                Kind.WRITE,
                ref,
                () -> {
                    currentRepo.set(repo);
                    recorder.clear();
                    long started = System.nanoTime();
                    try {
                        rest.send(repo, method, path, body, ref);
                        return DONE;
                    } finally {
                        observe(repo, operation, started);
                    }
                },
                applied == null ? null : tookEffect(applied));
    }

    private String budget(String repo) {
        return credentials.budget(repo);
    }

    private void observe(String repo, String operation, long startedNanos) {
        metrics.githubRequest(operation, (System.nanoTime() - startedNanos) / 1e9);
        recorder.last()
                .map(GitHubResponse::rateLimit)
                .ifPresent(
                        rateLimit -> {
                            gate.observed(budget(repo), rateLimit);
                            metrics.quotaRemaining(rateLimit.remaining());
                        });
    }

    private GitHubException translate(IOException e, String operation, String ref) {
        GitHubResponse seen = recorder.last().orElse(null);
        int status = 0;
        if (e instanceof HttpException http && http.getResponseCode() > 0) {
            status = http.getResponseCode();
        } else if (seen != null && seen.status() >= 300) {
            status = seen.status();
        }
        String what = status == 0 ? "got no usable answer" : "GitHub answered " + status;
        // hub4j's message is GitHub's error body, or its own words for a limit it recognised
        String githubMessage = RestCalls.messageOf(String.valueOf(e.getMessage()));
        return new GitHubException(
                operation + " for " + ref + ": " + what + " (" + summary(e) + ")",
                status,
                status == 0 ? null : seen,
                e,
                GitHubException.isSecondaryLimitMessage(githubMessage));
    }

    /** hub4j's messages can hold a whole response body: keep the first line, briefly. */
    private static String summary(IOException e) {
        String message = String.valueOf(e.getMessage());
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
