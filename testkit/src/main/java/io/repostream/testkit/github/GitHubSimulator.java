package io.repostream.testkit.github;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful, in-memory GitHub REST API on a loopback port: repositories, issues, labels, comments,
 * assignees, pull requests, workflow runs, the event feed, GitHub Apps and webhook deliveries
 * (listed, and redelivered for real to the hook's URL), with GitHub's status codes, JSON shapes,
 * ETags and rate limits. Point any GitHub client at {@link #baseUrl()}, e.g. hub4j's {@code new
 * GitHubBuilder().withEndpoint(sim.baseUrl()).withOAuthToken(token)}.
 *
 * <pre>{@code
 * try (GitHubSimulator github = GitHubSimulator.start()) {
 *     github.createRepo("octo/widgets");
 *     int issue = github.createIssue("octo/widgets", "Crash on start", "...", "alice");
 *     ... run the code under test with GitHubSimulator.DEFAULT_TOKEN ...
 *     assertThat(github.mutations()).containsExactly("octo/widgets#1:+label:bug");
 * }
 * }</pre>
 *
 * <p>Changes made through the API are recorded in {@link #mutations()}; changes made with the
 * {@code ...AsHuman} methods are not, but like API changes they update {@code updated_at} and the
 * event feed, so code under test sees them as it would see a person's. Thread-safe.
 */
public final class GitHubSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GitHubSimulator.class);

    /**
     * A token registered by {@link #start()}, belonging to {@link #DEFAULT_LOGIN}. Deliberately not
     * in GitHub's {@code ghp_...} format, so secret scanners do not flag tests that use it.
     */
    public static final String DEFAULT_TOKEN = "repostream-simulator-token";

    public static final String DEFAULT_LOGIN = "repostream-bot";

    private final OAuthWebFlow webFlow;
    private final Vertx vertx;
    private final HttpServer server;
    private final String baseUrl;
    private final SimulatedGitHub state;
    private final RateLimiter limiter;
    private final FaultInjector faults;
    private final RequestPipeline pipeline;
    private final IssueChanges changes;
    private final SimulatorClock time;
    private final GitChanges git;
    private final SimulatedCi ci;

    private GitHubSimulator(
            Vertx vertx,
            HttpServer server,
            String baseUrl,
            SimulatedGitHub state,
            RateLimiter limiter,
            FaultInjector faults,
            RequestPipeline pipeline,
            IssueChanges changes,
            SimulatorClock time,
            OAuthWebFlow webFlow,
            GitChanges git,
            SimulatedCi ci) {
        this.webFlow = webFlow;
        this.git = git;
        this.ci = ci;
        this.vertx = vertx;
        this.server = server;
        this.baseUrl = baseUrl;
        this.state = state;
        this.limiter = limiter;
        this.faults = faults;
        this.pipeline = pipeline;
        this.changes = changes;
        this.time = time;
    }

    /** Starts a simulator on a free port of 127.0.0.1 with {@link #DEFAULT_TOKEN} registered. */
    public static GitHubSimulator start() {
        long started = System.nanoTime();
        Clock clock = Clock.systemUTC();
        SimulatorClock time = new SimulatorClock();
        SimulatedGitHub state = new SimulatedGitHub(time);
        RateLimiter limiter = new RateLimiter(clock);
        FaultInjector faults = new FaultInjector();
        RequestPipeline pipeline = new RequestPipeline(state, limiter, faults);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        Router router = Router.router(vertx);
        // The routes need the base URL (GitHub's answers link to themselves), known only once
        // the server is bound; nobody can send a request before start() returns it.
        HttpServer server = vertx.createHttpServer().requestHandler(router);
        try {
            server.listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vertx.close();
            throw new IllegalStateException("interrupted while starting the GitHub simulator", e);
        } catch (ExecutionException | TimeoutException e) {
            vertx.close();
            throw new IllegalStateException("cannot start the GitHub simulator", e);
        }
        String baseUrl = "http://127.0.0.1:" + server.actualPort();
        GitHubJson json = new GitHubJson(baseUrl, state);
        IssueChanges changes = new IssueChanges(state, json);
        OAuthWebFlow webFlow = new OAuthWebFlow(state);
        router.route("/login/oauth/*").handler(BodyHandler.create(false).setBodyLimit(1 << 16));
        webFlow.mount(router);
        router.route("/settings/apps/new").handler(BodyHandler.create(false).setBodyLimit(1 << 16));
        router.route("/organizations/:org/settings/apps/new")
                .handler(BodyHandler.create(false).setBodyLimit(1 << 16));
        new AppManifestFlow(state, webFlow).mount(router);
        GitChanges git = new GitChanges(state);
        SimulatedCi ci = new SimulatedCi(state, new CheckRoutes(state, json));
        git.onPush(ci::pushed);
        mountJobLogDownloads(router, state);
        mount(router, SimulatorRoutes.declare(state, json, changes, limiter, git), pipeline);
        GitHubSimulator simulator =
                new GitHubSimulator(
                        vertx, server, baseUrl, state, limiter, faults, pipeline, changes, time,
                        webFlow, git, ci);
        simulator.addToken(DEFAULT_TOKEN, DEFAULT_LOGIN);
        LOG.info(
                "GitHub simulator on {} in {} ms",
                baseUrl,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return simulator;
    }

    /**
     * The signed URLs GitHub's job-log route redirects to (on GitHub, another host): plain text, no
     * credentials needed. A request that brings an {@code Authorization} header anyway is refused
     * (403), so that a client leaking its GitHub token to the storage host fails a test; an unknown
     * or expired signature is a 403 too, as a storage service answers.
     */
    private static void mountJobLogDownloads(Router router, SimulatedGitHub state) {
        router.get(ActionsRoutes.LOG_DOWNLOADS + ":job_id")
                .handler(
                        ctx -> {
                            String signature = ctx.request().getParam("urlSignature");
                            SimulatedGitHub.JobLogDownload download;
                            Instant now;
                            synchronized (state) {
                                download =
                                        signature == null
                                                ? null
                                                : state.jobLogDownloads.get(signature);
                                now = state.now();
                            }
                            String refusal = null;
                            if (ctx.request().getHeader("Authorization") != null) {
                                refusal = "credentials sent to a signed URL";
                            } else if (download == null) {
                                refusal = "signature does not match";
                            } else if (!now.isBefore(download.expiresAt())) {
                                refusal = "signed URL expired";
                            }
                            if (refusal != null) {
                                ctx.response()
                                        .setStatusCode(403)
                                        .putHeader("Content-Type", "text/plain")
                                        .end(refusal);
                                return;
                            }
                            ctx.response()
                                    .setStatusCode(200)
                                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                                    .end(download.log());
                        });
    }

    private static void mount(Router router, RouteTable table, RequestPipeline pipeline) {
        router.route().handler(BodyHandler.create(false).setBodyLimit(1 << 20));
        for (RouteTable.Route route : table.routes()) {
            String regex = route.vertxRegex();
            (regex == null
                            ? router.route(HttpMethod.valueOf(route.method()), route.vertxPath())
                            : router.routeWithRegex(HttpMethod.valueOf(route.method()), regex))
                    .handler(ctx -> pipeline.handle(ctx, route));
        }
        // Anything else, whatever the method, is GitHub's plain 404.
        RouteTable.Route notFound =
                new RouteTable.Route(
                        "GET",
                        "*",
                        request -> {
                            throw ApiError.notFound();
                        },
                        false,
                        false);
        router.route().handler(ctx -> pipeline.handle(ctx, notFound));
    }

    /**
     * {@code http://127.0.0.1:<port>}, the API root (GitHub's is {@code https://api.github.com}).
     */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("GitHub simulator on {} did not stop cleanly", baseUrl, e);
        }
    }

    // ---- accounts ------------------------------------------------------------------------

    /**
     * Registers an OAuth App for the web flow on {@link #baseUrl()} ({@code GET
     * /login/oauth/authorize}, {@code POST /login/oauth/access_token}); {@code callbackUrl} is its
     * authorization callback URL.
     */
    public void registerOAuthApp(String clientId, String clientSecret, String callbackUrl) {
        webFlow.register(new OAuthWebFlow.App(clientId, clientSecret, callbackUrl));
    }

    /**
     * Who the browser is signed in as on the simulated github.com: the authorize step sends this
     * person back to the app with a code, as GitHub does once they authorized the app.
     */
    public void signInOnWeb(String login) {
        webFlow.signIn(login);
    }

    /** User tokens handed out through the OAuth web flow so far. */
    public int oauthTokensIssued() {
        return webFlow.tokensIssued();
    }

    /**
     * Makes {@code login} a collaborator on {@code repo} with GitHub's repository role {@code role}
     * ({@code read}, {@code triage}, {@code write}, {@code maintain}, {@code admin}): {@code GET
     * /repos/{owner}/{repo}} with their token then reports that role's {@code permissions}.
     */
    public void addCollaborator(String repo, String login, String role) {
        setCollaborator(
                repo,
                java.util.Objects.requireNonNull(login, "login"),
                java.util.Objects.requireNonNull(role, "role"));
    }

    /** Registers a token; requests with any other token get {@code 401 Bad credentials}. */
    public void addToken(String token, String login) {
        synchronized (state) {
            state.addToken(token, login);
        }
    }

    /**
     * Registers a token that may read but not write: every write it sends is answered {@code 403
     * Resource not accessible by personal access token}, GitHub's plain permission refusal (no rate
     * limit involved).
     */
    public void addReadOnlyToken(String token, String login) {
        synchronized (state) {
            state.addReadOnlyToken(token, login);
        }
    }

    /**
     * Registers GitHub App {@code appId} (slug {@code app-<id>}): requests to the app endpoints
     * must carry a JWT signed (RS256) with the private half of {@code publicKey}.
     */
    public void registerApp(long appId, java.security.PublicKey publicKey) {
        if (appId <= 0 || publicKey == null) {
            throw new IllegalArgumentException("an app id > 0 and a public key are required");
        }
        synchronized (state) {
            state.registerApp(new SimulatedApp(appId, "app-" + appId, publicKey));
        }
    }

    /**
     * Installs app {@code appId} on the owner of {@code repos} as installation {@code
     * installationId}: its installation tokens see exactly these repositories (others answer 404).
     */
    public void installApp(long appId, long installationId, String... repos) {
        installApp(appId, installationId, DEFAULT_INSTALLATION_PERMISSIONS, repos);
    }

    /**
     * The webhook events an installation is subscribed to unless a test says otherwise ({@link
     * #installApp(long, long, java.util.Map, List, String...)}).
     */
    public static final List<String> DEFAULT_INSTALLATION_EVENTS =
            List.of("issues", "issue_comment", "workflow_run");

    /**
     * The permissions {@link #installApp(long, long, String...)} grants: issues, pull requests and
     * actions to write, metadata to read.
     */
    public static final java.util.Map<String, String> DEFAULT_INSTALLATION_PERMISSIONS =
            java.util.Map.of(
                    "actions", "write",
                    "issues", "write",
                    "metadata", "read",
                    "pull_requests", "write");

    /**
     * Like {@link #installApp(long, long, String...)}, with the permissions the owner granted (as
     * {@code GET /app/installations/{id}} and the installation tokens report them), e.g. {@code
     * Map.of("issues", "write", "metadata", "read")}.
     */
    public void installApp(
            long appId,
            long installationId,
            java.util.Map<String, String> permissions,
            String... repos) {
        installApp(appId, installationId, permissions, DEFAULT_INSTALLATION_EVENTS, repos);
    }

    /**
     * Like {@link #installApp(long, long, java.util.Map, String...)}, with the webhook events the
     * installation is subscribed to (as {@code GET /app/installations} reports them).
     */
    public void installApp(
            long appId,
            long installationId,
            java.util.Map<String, String> permissions,
            List<String> events,
            String... repos) {
        if (repos.length == 0) {
            throw new IllegalArgumentException("an installation covers at least one repository");
        }
        synchronized (state) {
            java.util.Set<String> keys = new java.util.LinkedHashSet<>();
            String account = null;
            for (String fullName : repos) {
                SimulatedRepo repo = state.seededRepo(fullName);
                keys.add(SimulatedRepo.key(repo.owner, repo.name));
                account = repo.owner;
            }
            state.install(
                    new SimulatedApp.Installation(
                            installationId,
                            appId,
                            account,
                            java.util.Set.copyOf(keys),
                            state.now(),
                            java.util.Map.copyOf(permissions),
                            List.copyOf(events)));
        }
    }

    /**
     * How long the installation tokens handed out from now on work (GitHub: one hour); shorter lets
     * a test see a client refresh them.
     */
    public void setInstallationTokenLifetime(java.time.Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("a token lifetime must be positive");
        }
        synchronized (state) {
            state.setInstallationTokenLifetime(lifetime);
        }
    }

    /** The installation tokens handed out so far (to prove that none leaks into logs). */
    public List<String> issuedInstallationTokens() {
        synchronized (state) {
            return state.installationTokens();
        }
    }

    /** Installation tokens handed out so far, per installation id. */
    public java.util.Map<Long, Long> installationTokensIssued() {
        synchronized (state) {
            return state.installationTokenCounts();
        }
    }

    // ---- time ----------------------------------------------------------------------------

    /**
     * Stops the clock GitHub stamps changes with (not the rate-limit windows) at the current
     * second: every change until {@link #advanceTime} or {@link #unfreezeTime} shares it, as a
     * burst of changes does on GitHub, whose timestamps have second precision.
     *
     * @return the frozen instant
     */
    public Instant freezeTime() {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        time.freeze(now);
        return now;
    }

    /** Moves frozen time on by {@code by}; simulated CI runs due by then report. */
    public void advanceTime(java.time.Duration by) {
        time.advance(by);
        synchronized (state) {
            ci.reportDue();
        }
    }

    /** Lets GitHub's clock follow the system's again. */
    public void unfreezeTime() {
        time.unfreeze();
    }

    // ---- seeding -------------------------------------------------------------------------

    /**
     * Makes {@code login} an organisation: its repositories' owner is typed {@code Organization}
     * and their event feed names it as {@code org}. Call before {@link #createRepo} for it.
     */
    public void createOrganization(String login) {
        synchronized (state) {
            state.createOrganization(login);
        }
    }

    /** Creates {@code owner/repo}; its owner becomes a known account. */
    public void createRepo(String fullName) {
        String[] parts = fullName.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("expected owner/repo, got " + fullName);
        }
        synchronized (state) {
            state.createRepo(parts[0], parts[1]);
        }
    }

    /**
     * Makes {@code login} a collaborator of {@code repo} with {@code role}: {@code read}, {@code
     * triage}, {@code write}, {@code maintain} or {@code admin} (GitHub's base roles); {@code null}
     * removes them. The owner of a user-owned repository is its admin without this.
     */
    public void setCollaborator(String repo, String login, String role) {
        if (role != null && !CollaboratorRoutes.ROLES.contains(role)) {
            throw new IllegalArgumentException(
                    "a role is one of " + CollaboratorRoutes.ROLES + ", got " + role);
        }
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            state.user(login);
            String key = login.toLowerCase(java.util.Locale.ROOT);
            if (role == null) {
                r.collaborators.remove(key);
            } else {
                r.collaborators.put(key, role);
            }
        }
    }

    /** Defines a label in a repository (adding an undefined label defines it as well). */
    public void createLabel(String repo, String name, String color) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            if (r.label(name).isEmpty()) {
                changes.defineLabel(r, name, color);
            }
        }
    }

    /** Opens an issue as {@code author}, as a person would; returns its number. */
    public int createIssue(
            String repo, String title, String body, String author, String... labels) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            return changes.open(r, title, body, author, null, false, List.of(labels)).number;
        }
    }

    /**
     * Opens a pull request from branch {@code headRef} at commit {@code headSha} into the default
     * branch; returns its number (issues and pull requests share numbers).
     */
    public int createPullRequest(
            String repo, String title, String body, String author, String headRef, String headSha) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            SimulatedPull pull =
                    new SimulatedPull(headRef, headSha, r.defaultBranch, "0".repeat(40));
            return changes.open(r, title, body, author, pull, false).number;
        }
    }

    /** Marks a pull request as conflicting (merge then answers 405) or clean again. */
    public void setMergeable(String repo, int number, boolean mergeable) {
        synchronized (state) {
            pullOf(repo, number).mergeable = mergeable;
        }
    }

    /** Moves a pull request's head, as a push would; a merge naming the old sha then gets 409. */
    public void pushToPullRequest(String repo, int number, String headSha) {
        synchronized (state) {
            SimulatedIssue issue = state.seededIssue(repo, number);
            pullOf(repo, number).headSha = headSha;
            changes.changed(state.seededRepo(repo), issue);
        }
    }

    /**
     * Creates a workflow run of workflow {@code workflowId} for commit {@code headSha}, with one
     * job named {@code build} in the same status and conclusion; returns the run id.
     *
     * @param status {@code queued}, {@code in_progress} or {@code completed}
     * @param conclusion for completed runs: {@code success}, {@code failure}, {@code cancelled},
     *     ...; ignored otherwise
     */
    public long createWorkflowRun(
            String repo, long workflowId, String headSha, String status, String conclusion) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            SimulatedWorkflowRun run =
                    new SimulatedWorkflowRun(
                            state.nextId(),
                            workflowId,
                            "CI",
                            r.nextRunNumber(),
                            r.defaultBranch,
                            headSha,
                            r.owner,
                            state.now());
            run.setOutcome(status, conclusion, state.now());
            run.jobs.add(
                    new SimulatedJob(state.nextId(), "build", status, conclusion, state.now()));
            r.runs.put(run.id, run);
            return run.id;
        }
    }

    /** Adds a job to a run; returns the job id. */
    public long addJob(String repo, long runId, String name, String status, String conclusion) {
        synchronized (state) {
            SimulatedJob job =
                    new SimulatedJob(state.nextId(), name, status, conclusion, state.now());
            runOf(repo, runId).jobs.add(job);
            return job.id;
        }
    }

    /**
     * Sets the log GitHub serves for job {@code jobId} of {@code repo} ({@code GET
     * .../actions/jobs/{job_id}/logs}, a redirect to a signed URL that works for a minute of the
     * simulator's clock).
     */
    public void setJobLog(String repo, long jobId, String log) {
        synchronized (state) {
            state.seededRepo(repo).runs.values().stream()
                            .flatMap(r -> r.jobs.stream())
                            .filter(j -> j.id == jobId)
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "no job " + repo + "#job/" + jobId))
                            .log =
                    log;
        }
    }

    /**
     * Finishes a (re-)run: every job not yet completed, and the run, end with {@code conclusion}.
     */
    public void completeWorkflowRun(String repo, long runId, String conclusion) {
        synchronized (state) {
            SimulatedWorkflowRun run = runOf(repo, runId);
            run.jobs.stream()
                    .filter(j -> !"completed".equals(j.status))
                    .forEach(j -> j.setOutcome("completed", conclusion, state.now()));
            boolean anyFailed = run.jobs.stream().anyMatch(SimulatedJob::failed);
            run.setOutcome("completed", anyFailed ? "failure" : conclusion, state.now());
        }
    }

    // ---- git: commits, branches, checks --------------------------------------------------

    /**
     * Commits on {@code branch} (which must exist), as a push would: the new commit's parent is the
     * branch's head, and it changes {@code changes}, each a path ({@code src/a.java}) or a path and
     * region ({@code src/a.java@2}); two changes conflict when both name the same path and region.
     * Returns the commit's SHA.
     */
    public String commit(String repo, String branch, String message, String... changes) {
        java.util.Set<SimulatedGit.Change> set = new java.util.LinkedHashSet<>();
        for (String change : changes) {
            set.add(SimulatedGit.Change.parse(change));
        }
        return push(repo, branch, message, set, java.util.Map.of());
    }

    /** One commit on {@code branch} (which must exist), its head's child, as a push would. */
    private String push(
            String repo,
            String branch,
            String message,
            java.util.Set<SimulatedGit.Change> changes,
            java.util.Map<String, String> files) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            String ref = "refs/heads/" + branch;
            String head = r.git.refs.get(ref);
            if (head == null) {
                throw new IllegalArgumentException("no branch " + branch + " in " + repo);
            }
            String sha =
                    r.git.commit(List.of(head), changes, files, message, r.owner, state.now())
                            .sha();
            git.moveRef(r, ref, sha, r.owner);
            return sha;
        }
    }

    /**
     * Writes {@code path} with {@code text} on {@code branch} (which must exist), as a push of one
     * commit would: what {@code GET /repos/{owner}/{repo}/contents/{path}} answers from then on.
     * The write is a change of the path (region 0) for merges. Returns the commit's SHA.
     */
    public String putFile(String repo, String branch, String path, String text) {
        return push(
                repo, branch, "Update " + path, java.util.Set.of(), java.util.Map.of(path, text));
    }

    /** Creates {@code branch} at {@code sha} (a SHA or another branch's name). */
    public String createBranch(String repo, String branch, String from) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            String sha =
                    r.git.resolve(from)
                            .orElseThrow(() -> new IllegalArgumentException("no commit " + from));
            git.moveRef(r, "refs/heads/" + branch, sha, r.owner);
            return sha;
        }
    }

    /** The SHA {@code branch} points at, or null when there is no such branch. */
    public String branchSha(String repo, String branch) {
        synchronized (state) {
            return state.seededRepo(repo).git.refs.get("refs/heads/" + branch);
        }
    }

    /** The parents of commit {@code sha}, first parent first. */
    public List<String> parents(String repo, String sha) {
        synchronized (state) {
            return state.seededRepo(repo)
                    .git
                    .get(sha)
                    .orElseThrow(() -> new IllegalArgumentException("no commit " + sha))
                    .parents();
        }
    }

    /** Whether {@code ancestor} is {@code descendant} or one of its ancestors. */
    public boolean isAncestor(String repo, String ancestor, String descendant) {
        synchronized (state) {
            return state.seededRepo(repo).git.isAncestor(ancestor, descendant);
        }
    }

    /** The paths changed on branch {@code branch} since the repository began. */
    public java.util.Set<String> changedPaths(String repo, String branch) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            java.util.Set<String> paths = new java.util.TreeSet<>();
            for (String sha : r.git.ancestry(r.git.refs.get("refs/heads/" + branch))) {
                r.git.get(sha).orElseThrow().changes().forEach(c -> paths.add(c.path()));
            }
            return paths;
        }
    }

    /**
     * Opens a pull request from branch {@code head} into branch {@code base}, both branches of the
     * repository's git: its head follows pushes to the branch, and {@code mergeable} is computed
     * lazily from the two sides' changes as GitHub does (null on the first read).
     */
    public int openPullRequest(String repo, String title, String author, String head, String base) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            String headSha = r.git.refs.get("refs/heads/" + head);
            String baseSha = r.git.refs.get("refs/heads/" + base);
            if (headSha == null || baseSha == null) {
                throw new IllegalArgumentException(
                        "branches " + head + " and " + base + " must exist in " + repo);
            }
            SimulatedPull pull = new SimulatedPull(head, headSha, base, baseSha);
            pull.gitBacked = true;
            pull.mergeable = null;
            return changes.open(r, title, null, author, pull, false).number;
        }
    }

    /**
     * The annotations of the latest check run named {@code name} on {@code sha}, as {@code
     * path:start_line-end_line level: message} lines; empty when there is no such run.
     */
    public List<String> checkRunAnnotations(String repo, String sha, String name) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            return r.checkRuns.values().stream()
                    .filter(c -> c.headSha.equals(sha) && name.equals(c.name))
                    .reduce((first, second) -> second)
                    .map(
                            c ->
                                    c.annotations.stream()
                                            .map(
                                                    a ->
                                                            a.path("path").asText()
                                                                    + ":"
                                                                    + a.path("start_line").asInt()
                                                                    + "-"
                                                                    + a.path("end_line").asInt()
                                                                    + " "
                                                                    + a.path("annotation_level")
                                                                            .asText()
                                                                    + ": "
                                                                    + a.path("message").asText())
                                            .toList())
                    .orElse(List.of());
        }
    }

    /** Every status and check run written on {@code sha}, as {@code status:ctx=state} lines. */
    public List<String> commitChecks(String repo, String sha) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            List<String> lines = new java.util.ArrayList<>();
            r.statuses.stream()
                    .filter(s -> s.sha().equals(sha))
                    .forEach(
                            s ->
                                    lines.add(
                                            "status:"
                                                    + s.context()
                                                    + "="
                                                    + s.state()
                                                    + " "
                                                    + s.description()));
            r.checkRuns.values().stream()
                    .filter(c -> c.headSha.equals(sha))
                    .forEach(
                            c ->
                                    lines.add(
                                            "check_run:"
                                                    + c.name
                                                    + "="
                                                    + (c.conclusion != null
                                                            ? c.conclusion
                                                            : c.status)
                                                    + " "
                                                    + c.title));
            return lines;
        }
    }

    /**
     * Protects {@code branch}: {@code pushAllowed} logins only may push ({@code slug[bot]} for an
     * App; none listed: anyone with write), {@code requiredChecks} must pass, and with {@code
     * linearHistory} merge commits are refused.
     */
    public void protectBranch(
            String repo,
            String branch,
            List<String> requiredChecks,
            boolean linearHistory,
            String... pushAllowed) {
        synchronized (state) {
            SimulatedRepo.Protection p = new SimulatedRepo.Protection();
            p.requiredChecks.addAll(requiredChecks);
            p.requiredLinearHistory = linearHistory;
            p.pushAllowances.addAll(List.of(pushAllowed));
            state.seededRepo(repo).protections.put(branch, p);
        }
    }

    /** The simulated CI of the simulator, configured per repository. */
    public SimulatedCi ci() {
        return ci;
    }

    // ---- webhooks and their deliveries ---------------------------------------------------

    /** One delivery of a hook as GitHub lists it; {@code statusCode} 0 = not reached. */
    public record HookDeliveryView(
            long id, String guid, Instant deliveredAt, boolean redelivery, int statusCode) {}

    /**
     * Adds a webhook to {@code repo} that GitHub delivers to {@code url}, signed with {@code
     * secret}; returns its id.
     */
    public long createHook(String repo, String url, String secret) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            return state.addHook(HookRoutes.repoScope(r.owner, r.name), url, secret).id;
        }
    }

    /** Adds a webhook to organisation {@code org}; returns its id. */
    public long createOrgHook(String org, String url, String secret) {
        synchronized (state) {
            return state.addHook(HookRoutes.orgScope(org), url, secret).id;
        }
    }

    /**
     * Delivers {@code event} with {@code body} to the hook now, as GitHub would, under a new guid,
     * and lists the attempt with the receiver's answer (0 when it could not be reached).
     */
    public HookDeliveryView deliver(long hookId, String event, String body) {
        SimulatedHook hook;
        synchronized (state) {
            hook = state.seededHook(hookId);
        }
        String guid = java.util.UUID.randomUUID().toString();
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long started = System.nanoTime();
        int status = new HookSender().sendNow(hook, guid, event, bytes);
        synchronized (state) {
            return view(
                    HookRoutes.record(
                            state,
                            hook,
                            guid,
                            false,
                            (System.nanoTime() - started) / 1e9,
                            status,
                            event,
                            actionOf(body),
                            repositoryIdOf(body),
                            bytes,
                            state.now()));
        }
    }

    /**
     * Lists an attempt GitHub made at {@code deliveredAt} and what it was answered, without sending
     * it (e.g. while the receiver was down, or days ago); a redelivery sends {@code body}.
     */
    public HookDeliveryView recordDelivery(
            long hookId,
            String guid,
            String event,
            String body,
            int statusCode,
            Instant deliveredAt) {
        synchronized (state) {
            return view(
                    HookRoutes.record(
                            state,
                            state.seededHook(hookId),
                            guid,
                            false,
                            0.5,
                            statusCode,
                            event,
                            actionOf(body),
                            repositoryIdOf(body),
                            body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            deliveredAt));
        }
    }

    /**
     * Gives GitHub App {@code appId} its webhook: every {@link #deliverAsApp} is posted to {@code
     * url} (null: the hook is inactive, nothing is posted) signed with {@code secret}, and listed
     * by {@code GET /app/hook/deliveries} (the app's JWT only). Returns the hook's id, for {@link
     * #hookDeliveries}.
     */
    public long setAppWebhook(long appId, String url, String secret) {
        synchronized (state) {
            if (state.app(appId) == null) {
                throw new IllegalArgumentException("no app " + appId + "; registerApp it first");
            }
            return state.setAppHook(appId, url, secret).id;
        }
    }

    /**
     * Delivers {@code event} to the app's webhook now, as GitHub would, under a new guid, and lists
     * the attempt with the receiver's answer (0 when it could not be reached or no URL is set).
     */
    public HookDeliveryView deliverAsApp(long appId, String event, String body) {
        SimulatedHook hook;
        synchronized (state) {
            hook = state.appHook(appId);
            if (hook == null) {
                throw new IllegalArgumentException(
                        "app " + appId + " has no webhook; setAppWebhook");
            }
        }
        return deliver(hook.id, event, body);
    }

    /**
     * GitHub redelivers attempt {@code deliveryId} of the app's webhook (same guid, listed with
     * {@code redelivery: true}), as a person clicking "Redeliver" would.
     */
    public HookDeliveryView redeliverAsApp(long appId, long deliveryId) {
        SimulatedHook hook;
        SimulatedHook.Delivery original;
        synchronized (state) {
            hook = state.appHook(appId);
            original =
                    hook.deliveries.stream()
                            .filter(d -> d.id() == deliveryId)
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "no delivery " + deliveryId));
        }
        int status =
                new HookSender().sendNow(hook, original.guid(), original.event(), original.body());
        synchronized (state) {
            return view(
                    HookRoutes.record(
                            state,
                            hook,
                            original.guid(),
                            true,
                            0.1,
                            status,
                            original.event(),
                            original.action(),
                            original.repositoryId(),
                            original.body(),
                            state.now()));
        }
    }

    /** Every attempt of the hook, oldest first, redeliveries included. */
    public List<HookDeliveryView> hookDeliveries(long hookId) {
        synchronized (state) {
            return state.seededHook(hookId).deliveries.stream().map(GitHubSimulator::view).toList();
        }
    }

    private static HookDeliveryView view(SimulatedHook.Delivery d) {
        return new HookDeliveryView(
                d.id(), d.guid(), d.deliveredAt(), d.redelivery(), d.statusCode());
    }

    private static String actionOf(String body) {
        try {
            com.fasterxml.jackson.databind.JsonNode json =
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            return json.path("action").isTextual() ? json.path("action").asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static Long repositoryIdOf(String body) {
        try {
            com.fasterxml.jackson.databind.JsonNode id =
                    new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(body)
                            .path("repository")
                            .path("id");
            return id.isIntegralNumber() ? id.asLong() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    // ---- changes made by people (not recorded as mutations) --------------------------------

    public void addLabelAsHuman(String repo, int number, String label, String login) {
        synchronized (state) {
            changes.addLabel(
                    state.seededRepo(repo), state.seededIssue(repo, number), label, login, false);
        }
    }

    public void removeLabelAsHuman(String repo, int number, String label, String login) {
        synchronized (state) {
            changes.removeLabel(
                    state.seededRepo(repo), state.seededIssue(repo, number), label, login, false);
        }
    }

    /** Returns the new comment's id. */
    public long commentAsHuman(String repo, int number, String login, String body) {
        synchronized (state) {
            return changes.comment(
                            state.seededRepo(repo),
                            state.seededIssue(repo, number),
                            body,
                            login,
                            false)
                    .id;
        }
    }

    /**
     * Deletes an issue, as a repository admin can: it leaves every list, and GitHub answers it with
     * {@code 410 Gone} from then on. What the event feed recorded of it stays.
     */
    public void deleteIssueAsHuman(String repo, int number) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            state.seededIssue(repo, number);
            r.issues.remove(number);
            r.deletedIssues.add(number);
        }
    }

    public void closeAsHuman(String repo, int number, String login) {
        synchronized (state) {
            changes.setState(
                    state.seededRepo(repo),
                    state.seededIssue(repo, number),
                    "closed",
                    null,
                    login,
                    false);
        }
    }

    public void reopenAsHuman(String repo, int number, String login) {
        synchronized (state) {
            changes.setState(
                    state.seededRepo(repo),
                    state.seededIssue(repo, number),
                    "open",
                    null,
                    login,
                    false);
        }
    }

    public void assignAsHuman(String repo, int number, String assignee, String login) {
        synchronized (state) {
            changes.addAssignee(
                    state.seededRepo(repo),
                    state.seededIssue(repo, number),
                    assignee,
                    login,
                    false);
        }
    }

    // ---- reading state -------------------------------------------------------------------

    public IssueView issue(String repo, int number) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            SimulatedIssue i = state.seededIssue(repo, number);
            return new IssueView(
                    r.fullName(),
                    i.number,
                    i.title,
                    i.body,
                    i.author,
                    i.state,
                    i.stateReason,
                    i.labelNames(),
                    List.copyOf(i.assignees),
                    i.comments,
                    i.isPullRequest(),
                    i.isPullRequest() && i.pull.merged,
                    i.isPullRequest() ? List.copyOf(i.pull.requestedReviewers) : List.of(),
                    i.createdAt,
                    i.updatedAt,
                    i.closedAt);
        }
    }

    /** The issue's label names, in the order they were added. */
    public List<String> labels(String repo, int number) {
        synchronized (state) {
            return state.seededIssue(repo, number).labelNames();
        }
    }

    /** The issue's comments, oldest first. */
    public List<CommentView> comments(String repo, int number) {
        synchronized (state) {
            state.seededIssue(repo, number);
            return state.seededRepo(repo).comments.values().stream()
                    .filter(c -> c.issueNumber == number)
                    .map(
                            c ->
                                    new CommentView(
                                            c.id,
                                            c.issueNumber,
                                            c.author,
                                            c.body,
                                            c.createdAt,
                                            c.updatedAt))
                    .toList();
        }
    }

    public WorkflowRunView workflowRun(String repo, long runId) {
        synchronized (state) {
            SimulatedWorkflowRun run = runOf(repo, runId);
            return new WorkflowRunView(
                    run.id,
                    run.workflowId,
                    run.headSha,
                    run.status,
                    run.conclusion,
                    run.runAttempt,
                    run.jobs.stream()
                            .map(
                                    j ->
                                            new WorkflowRunView.Job(
                                                    j.id,
                                                    j.name,
                                                    j.status,
                                                    j.conclusion,
                                                    j.runAttempt))
                            .toList());
        }
    }

    /**
     * Every change made through the API, in order: {@code owner/repo#12:+label:bug}, {@code
     * -label:bug}, {@code +comment:<id>}, {@code ~comment:<id>} (edited), {@code -comment:<id>},
     * {@code state:closed}, {@code state:open}, {@code +assignee:<login>}, {@code
     * -assignee:<login>}, {@code title}, {@code body}, {@code created}, {@code +reviewer:<login>},
     * {@code -reviewer:<login>}, {@code merged}; for runs {@code owner/repo#run/99:rerun}, {@code
     * rerun-failed-jobs}, {@code cancel}.
     */
    public List<String> mutations() {
        synchronized (state) {
            return state.mutations();
        }
    }

    /**
     * {@link #mutations()} with the instant each was applied, by the system clock (microseconds on
     * Linux), even while the simulator's own clock is frozen: for latency measurements.
     */
    public List<TimedMutation> timedMutations() {
        synchronized (state) {
            return state.timedMutations();
        }
    }

    public void clearMutations() {
        synchronized (state) {
            state.clearMutations();
        }
    }

    /** Requests received, including refused and failed ones. */
    public long requestCount() {
        return pipeline.requestCount();
    }

    /**
     * The latest requests (up to 10,000) as {@code "GET /repos/o/r/issues/1 200"}, with the query
     * as sent ({@code "GET /repos/o/r/issues?page=2 200"}), in the order they were answered; a
     * request whose answer was dropped ends in {@code dropped}.
     */
    public List<String> requests() {
        return pipeline.requestLog();
    }

    /** How often each line of {@link #requests()} occurred, over every request since the start. */
    public java.util.Map<String, Long> requestCounts() {
        return pipeline.requestCounts();
    }

    /** The most requests the simulator held at once: received and not yet answered. */
    public int maxConcurrentRequests() {
        return pipeline.maxConcurrentRequests();
    }

    /** Starts measuring {@link #maxConcurrentRequests()} afresh from the requests held now. */
    public void resetMaxConcurrentRequests() {
        pipeline.resetMaxConcurrentRequests();
    }

    // ---- limits and faults ---------------------------------------------------------------

    /** Off: requests are still counted in the headers but never refused (for benchmarks). */
    public void setLimitsEnabled(boolean enabled) {
        limiter.setEnabled(enabled);
    }

    /**
     * For tests whose volume is not what they are about: nothing is refused, and the headers show a
     * quota of 100,000,000 an hour, so that a client that waits when {@code x-ratelimit-remaining}
     * reaches 0 never waits either (with {@link #setLimitsEnabled} off alone, it still would).
     */
    public void removeLimits() {
        setLimitsEnabled(false);
        setPrimaryLimit(100_000_000);
    }

    /** Requests per hour per token (GitHub: 5000 for a user, 15000 for some apps). */
    public void setPrimaryLimit(int perHour) {
        limiter.setPrimaryLimit(perHour);
    }

    /** Content-creating requests per minute per token (GitHub: 80). */
    public void setSecondaryLimit(int perMinute) {
        limiter.setSecondaryLimit(perMinute);
    }

    /** 403 (default) or 429 for an exhausted primary quota. */
    public void setPrimaryLimitStatus(int status) {
        limiter.setPrimaryLimitStatus(status);
    }

    /** 403 (default) or 429 for the secondary limit. */
    public void setSecondaryLimitStatus(int status) {
        limiter.setSecondaryLimitStatus(status);
    }

    /**
     * Whether a secondary-limit answer carries {@code Retry-After} (default true). GitHub sometimes
     * sends none: its documentation then asks clients to wait at least a minute.
     */
    public void setSecondaryLimitRetryAfter(boolean sent) {
        limiter.setSecondaryRetryAfter(sent);
    }

    /**
     * Whether {@code Retry-After} (secondary limits, {@link #limitNext}) is sent as an HTTP-date
     * (IMF-fixdate, RFC 9110) instead of seconds (default false: GitHub sends seconds; a proxy in
     * front of it may send a date). The answer then carries a {@code Date} header on GitHub's clock
     * ({@link #freezeTime}), from which the date counts.
     */
    public void setRetryAfterAsHttpDate(boolean asDate) {
        pipeline.setRetryAfterAsDate(asDate);
    }

    /** Uses up the token's hourly quota at once: its next counted request is refused. */
    public void exhaustQuota(String token) {
        limiter.exhaust(token);
    }

    /** Every token starts a fresh hour and minute. */
    public void resetQuotas() {
        limiter.reset();
    }

    public int remainingQuota(String token) {
        return limiter.quota(token).remaining();
    }

    /**
     * The next request whose path contains {@code pathContains} (e.g. {@code /issues}) runs into a
     * secondary rate limit: {@code status} (403 or 429) with GitHub's message and {@code
     * Retry-After: retryAfterSeconds}. GitHub applies secondary limits to reads too (points per
     * minute, concurrent requests); this makes one happen where a test needs it.
     */
    public void limitNext(int status, long retryAfterSeconds, String pathContains) {
        faults.limitNext(status, retryAfterSeconds, pathContains);
    }

    /**
     * Leaves {@code fields} out of the {@code issue} and {@code pull_request} objects of the event
     * feed's payloads (none by default), as GitHub's Events API trims its payloads (e.g. {@code
     * labels}, {@code updated_at}; its OpenAPI description gives pull requests in feed payloads as
     * a "Pull Request Minimal": id, number, url, head, base). Applies to what the feed serves from
     * then on, events recorded before included.
     */
    public void omitFromEventFeedItems(String... fields) {
        synchronized (state) {
            state.setFeedItemOmissions(java.util.Set.of(fields));
        }
    }

    /** The {@code X-Poll-Interval} the event feed answers with (GitHub: 60 s, more under load). */
    public void setPollInterval(java.time.Duration interval) {
        if (interval.toSeconds() < 1) {
            throw new IllegalArgumentException("X-Poll-Interval is whole seconds, at least 1");
        }
        synchronized (state) {
            state.setPollIntervalSeconds((int) interval.toSeconds());
        }
    }

    /** The next {@code count} requests fail with {@code status} (a 5xx), whatever they are. */
    public void setFailNext(int status, int count) {
        faults.failNext(status, count);
    }

    /**
     * The next {@code count} writes that succeed are applied (and recorded in {@link #mutations()})
     * but answered with {@code status}, a 5xx, as when a proxy fails on the way back; or, for
     * {@code status} 0, not answered at all: the connection is closed, as on a network failure.
     * Clients that simply retry then apply the write twice.
     */
    public void setFailNextWritesAfterApplying(int status, int count) {
        faults.failNextWritesAfterApplying(status, count);
    }

    /** Every answer leaves this much later (default none), to let requests pile up. */
    public void setResponseDelay(java.time.Duration delay) {
        faults.setResponseDelay(delay);
    }

    private SimulatedPull pullOf(String repo, int number) {
        SimulatedIssue issue = state.seededIssue(repo, number);
        if (!issue.isPullRequest()) {
            throw new IllegalArgumentException(repo + "#" + number + " is not a pull request");
        }
        return issue.pull;
    }

    private SimulatedWorkflowRun runOf(String repo, long runId) {
        SimulatedWorkflowRun run = state.seededRepo(repo).runs.get(runId);
        if (run == null) {
            throw new IllegalArgumentException("no workflow run " + repo + "#run/" + runId);
        }
        return run;
    }
}
