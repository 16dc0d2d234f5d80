package io.repostream.console.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.console.ConsoleMetrics;
import io.repostream.console.api.ApiTokens;
import io.repostream.console.api.ScriptApi;
import io.repostream.console.query.ActionDetail;
import io.repostream.console.query.ActionFilter;
import io.repostream.console.query.ActionQueries;
import io.repostream.console.system.ConsumerLag;
import io.repostream.console.undo.AuditedUndo;
import io.repostream.console.undo.ConsoleAudit;
import io.repostream.console.undo.ExecutorAdmin;
import io.repostream.console.undo.UndoResult;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.WireEnum;
import io.repostream.schemas.json.Json;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.sstore.SessionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP side: server-rendered pages, the JSON API behind them, a server-sent event
 * stream that tells open Actions pages to refresh their rows, health and metrics.
 */
public final class ConsoleServer {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);

    /** Event-bus address on which the indexer publishes the ids of changed actions. */
    public static final String ACTIONS_CHANGED = "console.actions.changed";

    private static final long KEEP_ALIVE_MS = 15_000;
    private static final String SESSION_COOKIE = "repostream_console_session";
    private static final String PERSON = "person";
    private static final String LOGIN = "login";
    private static final String ROLE = "role";
    private static final String OAUTH_STATE = "oauth_state";
    private static final String RETURN_TO = "return_to";
    private static final int MAX_PENDING_SIGN_INS = 5;
    private static final Person LOCAL_PERSON = new Person(Person.LOCAL_LOGIN, Role.ADMIN);
    private static final ObjectMapper JSON = Json.mapper();
    private static final String OPENAPI = resource("console-api/openapi.yaml");

    private final Vertx vertx;
    private final ActionQueries queries;
    private final ConsoleMetrics metrics;
    private final ExecutorAdmin executor;
    private final ConsoleAudit audit;
    private final GitHubSignIn signIn;
    private final Duration sessionTimeout;
    private final SessionStore sessions;
    private final ApiTokens tokens;
    private final ConsumerLag lag;
    private final ScriptApi scriptApi;

    /** Undo through the executor, recorded; null without the executor's admin API. */
    private final AuditedUndo undo;

    private SessionHandler sessionHandler;
    private final Pages pages = new Pages();
    private final Assets assets = Assets.fromWebJars();
    private final List<String> types =
            Arrays.stream(ActionType.values()).map(WireEnum::wireName).toList();
    private final List<String> outcomes = outcomes();

    private ConsoleServer(Builder b) {
        this.vertx = b.vertx;
        this.queries = b.queries;
        this.metrics = b.metrics;
        this.executor = b.executor;
        this.audit = b.audit;
        this.signIn = b.signIn;
        this.sessionTimeout = b.sessionTimeout;
        this.sessions = b.sessions;
        this.tokens = b.tokens;
        this.lag = b.lag;
        this.undo = executor == null ? null : new AuditedUndo(executor, audit, metrics);
        this.scriptApi = new ScriptApi(vertx, tokens, queries, undo, metrics);
    }

    /**
     * A console server showing what {@code queries} reads, in the local/demo mode (no sign-in:
     * everybody who reaches the port is {@link Person#LOCAL_LOGIN} with every right) and without
     * undo until told otherwise.
     */
    public static Builder builder(Vertx vertx, ActionQueries queries, ConsoleMetrics metrics) {
        return new Builder(vertx, queries, metrics);
    }

    /** The parts of a {@link ConsoleServer}, each named where it is given. */
    public static final class Builder {
        private final Vertx vertx;
        private final ActionQueries queries;
        private final ConsoleMetrics metrics;
        private ExecutorAdmin executor;
        private ConsoleAudit audit;
        private GitHubSignIn signIn;
        private Duration sessionTimeout = Duration.ofHours(8);
        private SessionStore sessions;
        private ApiTokens tokens;
        private ConsumerLag lag;

        private Builder(Vertx vertx, ActionQueries queries, ConsoleMetrics metrics) {
            this.vertx = Objects.requireNonNull(vertx);
            this.queries = Objects.requireNonNull(queries);
            this.metrics = Objects.requireNonNull(metrics);
        }

        /**
         * Undo and the kill switch through the executor's admin API (null: the console shows, but
         * cannot undo).
         */
        public Builder undoThrough(ExecutorAdmin executor) {
            this.executor = executor;
            return this;
        }

        /** The console's record of who did what (required). */
        public Builder audit(ConsoleAudit audit) {
            this.audit = Objects.requireNonNull(audit);
            return this;
        }

        /** GitHub sign-in (null: the local/demo mode), sessions living {@code timeout} idle. */
        public Builder signIn(GitHubSignIn signIn, Duration timeout) {
            this.signIn = signIn;
            this.sessionTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Where sessions live (PostgreSQL, shared by the replicas); default: in this process. */
        public Builder sessions(SessionStore sessions) {
            this.sessions = Objects.requireNonNull(sessions);
            return this;
        }

        /** The personal API tokens of the scripts' API ({@link ScriptApi}; required). */
        public Builder tokens(ApiTokens tokens) {
            this.tokens = Objects.requireNonNull(tokens);
            return this;
        }

        /** The consumer groups' lag per topic, for the System page (none: it says so). */
        public Builder lag(ConsumerLag lag) {
            this.lag = Objects.requireNonNull(lag);
            return this;
        }

        /** The server; the audit and the API tokens are required. */
        public ConsoleServer build() {
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(tokens, "tokens");
            if (sessions == null) {
                sessions = io.vertx.ext.web.sstore.LocalSessionStore.create(vertx);
            }
            return new ConsoleServer(this);
        }
    }

    /** Listens on {@code host}:{@code port} (0 for any free port). */
    public Future<HttpServer> listen(String host, int port) {
        return vertx.createHttpServer().requestHandler(router()).listen(port, host);
    }

    Router router() {
        Router router = Router.router(vertx);
        router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
        router.get("/readyz").handler(this::ready);
        router.get("/metrics").handler(this::metrics);
        router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        router.get("/static/*").handler(StaticHandler.create("console-static"));
        router.get("/favicon.ico").handler(ctx -> ctx.response().setStatusCode(204).end());
        // bearer tokens, no session and so no CSRF: before the session handler
        scriptApi.mount(router);
        sessionHandler =
                SessionHandler.create(sessions)
                        .setSessionCookieName(SESSION_COOKIE)
                        .setSessionTimeout(sessionTimeout.toMillis())
                        .setCookieHttpOnlyFlag(true)
                        .setCookieSameSite(CookieSameSite.LAX)
                        .setCookieSecureFlag(signIn != null && signIn.secureCookies());
        router.route().handler(sessionHandler);
        router.route().handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.route().handler(this::csrf);
        router.get("/login").handler(this::login);
        router.get("/oauth/callback").handler(this::oauthCallback);
        router.post("/logout").handler(this::logout);
        router.route().handler(this::authenticate);
        router.get("/").handler(ctx -> ctx.redirect("/actions"));
        router.get("/actions").handler(this::actionsPage);
        router.get("/actions/rows").handler(this::actionRows);
        router.get("/actions/events").handler(this::actionEvents);
        router.get("/action").handler(this::actionPage);
        router.get("/action/audit").handler(this::actionAudit);
        router.get("/action/undo").handler(requires(Role.OPERATOR, "undo", this::undoPreview));
        router.post("/action/undo").handler(requires(Role.OPERATOR, "undo", this::undoOne));
        router.get("/undo").handler(requires(Role.OPERATOR, "undo", this::bulkUndoPage));
        router.post("/undo").handler(requires(Role.OPERATOR, "undo", this::bulkUndo));
        router.get("/repos").handler(this::reposPage);
        router.get("/system").handler(this::systemPage);
        router.post("/kill-switch")
                .handler(requires(Role.ADMIN, "switch the kill switch", this::switchKillSwitch));
        router.get("/tokens").handler(requires(Role.ADMIN, "manage API tokens", this::tokensPage));
        router.post("/tokens")
                .handler(requires(Role.ADMIN, "manage API tokens", this::createToken));
        router.post("/tokens/revoke")
                .handler(requires(Role.ADMIN, "manage API tokens", this::revokeToken));
        router.get("/api/actions").handler(this::apiActions);
        router.get("/api/action").handler(this::apiAction);
        router.get("/api/openapi.yaml").handler(this::openApi);
        return router;
    }

    // ---- who is asking ------------------------------------------------------------------

    /** Refuses a state-changing request without the session's CSRF token (403). */
    private void csrf(RoutingContext ctx) {
        if (Csrf.passes(ctx)) {
            ctx.next();
            return;
        }
        metrics.refused("csrf");
        LOG.warn(
                "refused {} {} from {}: no valid CSRF token",
                ctx.request().method(),
                ctx.request().path(),
                ctx.request().remoteAddress());
        text(
                ctx,
                403,
                "refused: this request does not carry the page's CSRF token; reload the page");
    }

    /**
     * Puts the {@link Person} into the context; without sign-in (local mode) that is the local
     * person. A signed-out page request goes to the sign-in, anything else gets 401.
     */
    private void authenticate(RoutingContext ctx) {
        Person person = person(ctx);
        if (person != null) {
            ctx.put(PERSON, person);
            ctx.next();
            return;
        }
        metrics.refused("signed_out");
        String path = ctx.request().path();
        String accept = Objects.requireNonNullElse(ctx.request().getHeader("Accept"), "");
        // only a page the person navigates to goes to the sign-in (not htmx, not an image)
        if ("GET".equals(ctx.request().method().name())
                && accept.contains("text/html")
                && ctx.request().getHeader("HX-Request") == null
                && !path.startsWith("/api/")) {
            ctx.session().put(RETURN_TO, ctx.request().uri());
            redirectStored(ctx, "/login");
            return;
        }
        text(ctx, 401, "sign in first: /login");
    }

    private Person person(RoutingContext ctx) {
        if (signIn == null) {
            return LOCAL_PERSON;
        }
        String login = ctx.session().get(LOGIN);
        String role = ctx.session().get(ROLE);
        return login == null || role == null ? null : new Person(login, Role.valueOf(role));
    }

    /** Runs {@code handler} only for a person whose role allows {@code needed}; 403 otherwise. */
    private Handler<RoutingContext> requires(
            Role needed, String what, Handler<RoutingContext> handler) {
        return ctx -> {
            Person person = ctx.get(PERSON);
            if (person.may(needed)) {
                handler.handle(ctx);
                return;
            }
            metrics.refused("role");
            LOG.warn(
                    "refused {} {} to {} ({}): {} needs {}",
                    ctx.request().method(),
                    ctx.request().path(),
                    person.login(),
                    person.role().wireName(),
                    what,
                    needed.wireName());
            text(
                    ctx,
                    403,
                    "refused: "
                            + person.login()
                            + " is "
                            + person.role().wireName()
                            + " here; to "
                            + what
                            + " takes "
                            + needed.wireName()
                            + " (write permission on the repository, or admin for the kill"
                            + " switch)");
        };
    }

    /**
     * The person asking, as {@code console_audit} records them and as the executor's audit names
     * them: {@code octocat (console)}.
     */
    private static AuditedUndo.Asker asker(RoutingContext ctx) {
        Person person = ctx.get(PERSON);
        return new AuditedUndo.Asker(
                person.login(), person.role().wireName(), person.login() + " (console)", null);
    }

    private PageChrome chrome(RoutingContext ctx) {
        return new PageChrome(assets, ctx.get(PERSON), Csrf.token(ctx.session()), signIn == null);
    }

    private void login(RoutingContext ctx) {
        if (signIn == null) {
            ctx.redirect("/actions");
            return;
        }
        String state = Csrf.random();
        // a few sign-ins may be under way in one browser (two tabs); each state works once
        List<String> pending = new ArrayList<>(pendingStates(ctx));
        pending.add(state);
        ctx.session()
                .put(
                        OAUTH_STATE,
                        String.join(
                                " ",
                                pending.subList(
                                        Math.max(0, pending.size() - MAX_PENDING_SIGN_INS),
                                        pending.size())));
        redirectStored(ctx, signIn.authorizeUrl(state));
    }

    /**
     * Redirects once the session is in the store: the browser follows a redirect at once, and the
     * next request must find what this one put into the session (the sign-in state, where to go).
     */
    private void redirectStored(RoutingContext ctx, String location) {
        sessionHandler
                .flush(ctx)
                .onComplete(
                        stored -> {
                            if (stored.failed()) {
                                LOG.warn(
                                        "could not store a session: {}", stored.cause().toString());
                            }
                            ctx.redirect(location);
                        });
    }

    /**
     * GitHub sends the person back with a code and the state we gave: the state must be this
     * session's, the code is exchanged for a token (never stored, never logged), and the token
     * tells who they are and their permission on the configured repository.
     */
    private void oauthCallback(RoutingContext ctx) {
        if (signIn == null) {
            ctx.redirect("/actions");
            return;
        }
        String state = ctx.request().getParam("state");
        String code = ctx.request().getParam("code");
        List<String> pending = pendingStates(ctx);
        String expected =
                state == null
                        ? null
                        : pending.stream()
                                .filter(p -> Csrf.same(p, state))
                                .findFirst()
                                .orElse(null);
        if (expected != null) {
            List<String> rest = new ArrayList<>(pending);
            rest.remove(expected);
            ctx.session().put(OAUTH_STATE, String.join(" ", rest));
        }
        if (expected == null) {
            metrics.signIn("bad_state");
            metrics.refused("csrf");
            LOG.warn("refused a sign-in callback whose state is not this session's");
            text(
                    ctx,
                    400,
                    "this sign-in is not the one this browser started: sign in again at /login");
            return;
        }
        if (code == null || code.isBlank()) {
            metrics.signIn("denied");
            text(
                    ctx,
                    403,
                    "GitHub did not sign you in: "
                            + Objects.requireNonNullElse(
                                    ctx.request().getParam("error_description"), "no code"));
            return;
        }
        vertx.executeBlocking(() -> signIn.complete(code), false)
                .onSuccess(
                        person -> {
                            String then = ctx.session().remove(RETURN_TO);
                            ctx.session().regenerateId();
                            ctx.session().put(LOGIN, person.login());
                            ctx.session().put(ROLE, person.role().name());
                            metrics.signIn(person.role().wireName());
                            LOG.info(
                                    "{} signed in as {}", person.login(), person.role().wireName());
                            // the store's write must be done before the browser follows the
                            // redirect with the new id, or the next request finds no session
                            sessionHandler
                                    .flush(ctx)
                                    .onComplete(
                                            flushed -> {
                                                if (flushed.failed()) {
                                                    LOG.warn(
                                                            "could not store {}'s session: {}",
                                                            person.login(),
                                                            flushed.cause().toString());
                                                }
                                                ctx.redirect(localPath(then) ? then : "/actions");
                                            });
                        })
                .onFailure(
                        e -> {
                            boolean refused = e instanceof GitHubSignIn.Refused;
                            metrics.signIn(refused ? "refused" : "error");
                            LOG.warn("sign-in failed: {}", e.getMessage());
                            text(
                                    ctx,
                                    refused ? 403 : 502,
                                    refused
                                            ? e.getMessage()
                                            : "sign-in with GitHub failed: " + e.getMessage());
                        });
    }

    /** A path on this console, never another site ({@code //evil}, {@code /\evil}). */
    private static boolean localPath(String path) {
        return path != null
                && path.startsWith("/")
                && !path.startsWith("//")
                && !path.startsWith("/\\")
                && path.chars().noneMatch(c -> c < 0x20);
    }

    private static List<String> pendingStates(RoutingContext ctx) {
        String states = ctx.session().get(OAUTH_STATE);
        return states == null || states.isBlank() ? List.of() : List.of(states.split(" "));
    }

    private void logout(RoutingContext ctx) {
        Person person = person(ctx);
        if (person != null && signIn != null) {
            LOG.info("{} signed out", person.login());
        }
        ctx.session().destroy();
        sessionHandler
                .flush(ctx)
                .onComplete(deleted -> ctx.redirect(signIn == null ? "/actions" : "/login"));
    }

    private void actionsPage(RoutingContext ctx) {
        withFilter(ctx)
                .ifPresent(
                        filter ->
                                blocking(ctx, () -> queries.list(filter))
                                        .onSuccess(
                                                rows ->
                                                        html(
                                                                ctx,
                                                                pages.render(
                                                                        "actions.jte",
                                                                        Map.of(
                                                                                "chrome",
                                                                                        chrome(ctx),
                                                                                "filter", filter,
                                                                                "rows", rows,
                                                                                "types", types,
                                                                                "outcomes",
                                                                                        outcomes)))));
    }

    private void actionRows(RoutingContext ctx) {
        withFilter(ctx)
                .ifPresent(
                        filter ->
                                blocking(ctx, () -> queries.list(filter))
                                        .onSuccess(
                                                rows ->
                                                        html(
                                                                ctx,
                                                                pages.render(
                                                                        "actionRows.jte",
                                                                        Map.of("rows", rows)))));
    }

    private void actionPage(RoutingContext ctx) {
        withDetail(
                ctx,
                "/action",
                d ->
                        blocking(ctx, () -> audit.forAction(d.summary().actionId()))
                                .onSuccess(
                                        undone ->
                                                html(
                                                        ctx,
                                                        pages.render(
                                                                "action.jte",
                                                                Map.of(
                                                                        "chrome",
                                                                        chrome(ctx),
                                                                        "d",
                                                                        d,
                                                                        "parameters",
                                                                        d.action() == null
                                                                                ? ""
                                                                                : pretty(
                                                                                        d.action()
                                                                                                .params()),
                                                                        "undoable",
                                                                        executor != null,
                                                                        "undone",
                                                                        undone)))));
    }

    /** The audit trail of one action, for the live refresh of its page. */
    private void actionAudit(RoutingContext ctx) {
        withDetail(
                ctx,
                "/action/audit",
                d ->
                        html(
                                ctx,
                                pages.render(
                                        "auditRows.jte",
                                        Map.of(
                                                "audits",
                                                d.audits(),
                                                "outcome",
                                                d.summary().outcome()))));
    }

    // ---- undo, through the executor ------------------------------------------------------

    /** What undoing one action would do: the executor's dry run, and a confirm button. */
    private void undoPreview(RoutingContext ctx) {
        if (noExecutor(ctx)) {
            return;
        }
        withDetail(
                ctx,
                "/action/undo",
                d ->
                        vertx.executeBlocking(
                                        () ->
                                                undo.one(
                                                        d.summary().actionId(),
                                                        d.summary().item(),
                                                        true,
                                                        asker(ctx)),
                                        false)
                                .onSuccess(
                                        preview ->
                                                html(
                                                        ctx,
                                                        pages.render(
                                                                "undoPreview.jte",
                                                                Map.of(
                                                                        "chrome",
                                                                        chrome(ctx),
                                                                        "r",
                                                                        preview))))
                                .onFailure(e -> executorFailed(ctx, e)));
    }

    /** Undoes one action through the executor, audited with the person who asked. */
    private void undoOne(RoutingContext ctx) {
        if (noExecutor(ctx)) {
            return;
        }
        Person person = ctx.get(PERSON);
        withDetail(
                ctx,
                "/action/undo",
                d -> {
                    String id = d.summary().actionId();
                    vertx.executeBlocking(
                                    () -> undo.one(id, d.summary().item(), false, asker(ctx)),
                                    false)
                            .onSuccess(
                                    result ->
                                            html(
                                                    ctx,
                                                    pages.render(
                                                            "undoResult.jte",
                                                            Map.of("r", result, "person", person))))
                            .onFailure(e -> executorFailed(ctx, e));
                });
    }

    /**
     * Undo every action of a rule (exact {@code produced_by}, {@code rule@version}) on a repo
     * within a time range: the form, and with a rule, the executor's preview of each action.
     */
    private void bulkUndoPage(RoutingContext ctx) {
        bulk(ctx, true);
    }

    /** Runs the bulk undo the page previewed; each action's result audited with the person. */
    private void bulkUndo(RoutingContext ctx) {
        bulk(ctx, false);
    }

    private void bulk(RoutingContext ctx, boolean preview) {
        if (noExecutor(ctx)) {
            return;
        }
        BulkUndo request;
        try {
            request = BulkUndo.from(ctx.request()::getParam);
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage());
            return;
        }
        if (request.producedBy() == null) {
            if (!preview) {
                badRequest(ctx, "produced_by is required (the rule and version, rule@1)");
                return;
            }
            renderBulk(ctx, request, null, true);
            return;
        }
        vertx.executeBlocking(() -> undo.rule(request, preview, asker(ctx)), false)
                .onSuccess(results -> renderBulk(ctx, request, results, preview))
                .onFailure(e -> executorFailed(ctx, e));
    }

    private void renderBulk(
            RoutingContext ctx, BulkUndo request, List<UndoResult> results, boolean preview) {
        html(
                ctx,
                pages.render(
                        "bulkUndo.jte",
                        Map.of(
                                "chrome",
                                chrome(ctx),
                                "request",
                                request,
                                "results",
                                results == null ? List.of() : results,
                                "asked",
                                results != null,
                                "preview",
                                preview)));
    }

    /** Per repository: its actions by outcome, the latest change and event. */
    private void reposPage(RoutingContext ctx) {
        blocking(ctx, () -> Map.of("rows", queries.repos(), "policies", queries.policies()))
                .onSuccess(
                        found ->
                                html(
                                        ctx,
                                        pages.render(
                                                "repos.jte",
                                                Map.of(
                                                        "chrome",
                                                        chrome(ctx),
                                                        "rows",
                                                        found.get("rows"),
                                                        "policies",
                                                        found.get("policies")))));
    }

    // ---- system: the executors' kill switch, the indexer ---------------------------------

    /** The kill switch as the executor shows it (or why it cannot be read), and the indexer. */
    private void systemPage(RoutingContext ctx) {
        Future<List<ConsumerLag.Row>> lagRows =
                lag == null
                        ? Future.failedFuture("this console reads no consumer lag")
                        : vertx.executeBlocking(lag::read, false);
        Future<ExecutorAdmin.KillSwitch> killSwitch =
                executor == null
                        ? Future.failedFuture(
                                "the console was started without the executor's admin API")
                        : vertx.executeBlocking(executor::killSwitch, false);
        Future.join(lagRows, killSwitch)
                .onComplete(
                        done -> {
                            if (lagRows.failed()) {
                                LOG.warn(
                                        "could not read the consumer groups' lag: {}",
                                        lagRows.cause().toString());
                            }
                            renderSystem(
                                    ctx,
                                    killSwitch.succeeded() ? killSwitch.result() : null,
                                    killSwitch.failed() ? killSwitch.cause().getMessage() : null,
                                    lagRows.succeeded() ? lagRows.result() : null,
                                    lagRows.failed() ? lagRows.cause().toString() : null);
                        });
    }

    private void renderSystem(
            RoutingContext ctx,
            ExecutorAdmin.KillSwitch killSwitch,
            String executorError,
            List<ConsumerLag.Row> lagRows,
            String lagError) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("chrome", chrome(ctx));
        params.put("killSwitch", killSwitch);
        params.put("executorError", executorError);
        params.put("lag", lagRows);
        params.put("lagError", lagError);
        params.put("indexerLag", (long) metrics.indexerLagValue());
        params.put("indexerRunning", metrics.indexerRunningValue() == 1.0);
        params.put("lastIndexed", metrics.lastIndexedValue());
        html(ctx, pages.render("system.jte", params));
    }

    /** Switches every executor's kill switch, named after the admin, audited. */
    private void switchKillSwitch(RoutingContext ctx) {
        if (noExecutor(ctx)) {
            return;
        }
        String on = ctx.request().getFormAttribute("on");
        if (!"true".equals(on) && !"false".equals(on)) {
            badRequest(ctx, "on must be true or false");
            return;
        }
        String reason =
                Objects.requireNonNullElse(ctx.request().getFormAttribute("reason"), "").strip();
        Person person = ctx.get(PERSON);
        boolean switchOn = Boolean.parseBoolean(on);
        vertx.executeBlocking(
                        () -> {
                            try {
                                ExecutorAdmin.KillSwitch now =
                                        executor.setKillSwitch(
                                                switchOn,
                                                reason.isEmpty() ? null : reason,
                                                person.login() + " (console)");
                                audit.record(
                                        person.login(),
                                        person.role().wireName(),
                                        "kill_switch",
                                        null,
                                        "executor kill switch",
                                        now.on() ? "on" : "off",
                                        reason);
                                return now;
                            } catch (ExecutorAdmin.ExecutorUnavailable e) {
                                audit.record(
                                        person.login(),
                                        person.role().wireName(),
                                        "kill_switch",
                                        null,
                                        "executor kill switch " + (switchOn ? "on" : "off"),
                                        "error",
                                        e.getMessage());
                                throw e;
                            }
                        },
                        false)
                .onSuccess(k -> ctx.redirect("/system"))
                .onFailure(e -> executorFailed(ctx, e));
    }

    // ---- API tokens ----------------------------------------------------------------------

    private void tokensPage(RoutingContext ctx) {
        blocking(ctx, tokens::list).onSuccess(list -> renderTokens(ctx, list, null));
    }

    private void renderTokens(
            RoutingContext ctx, List<ApiTokens.Token> list, ApiTokens.Created created) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("chrome", chrome(ctx));
        params.put("tokens", list);
        params.put("created", created);
        params.put("now", tokens.now());
        ctx.response().putHeader("Cache-Control", "no-store");
        html(ctx, pages.render("tokens.jte", params));
    }

    /** Creates a token for the admin; the page shows its secret this once. */
    private void createToken(RoutingContext ctx) {
        Person person = ctx.get(PERSON);
        Role role;
        java.time.Duration lifetime;
        try {
            role = ApiTokens.role(ctx.request().getFormAttribute("role"));
            String days = Objects.requireNonNullElse(ctx.request().getFormAttribute("days"), "30");
            lifetime = java.time.Duration.ofDays(Long.parseLong(days.strip()));
        } catch (NumberFormatException e) {
            badRequest(ctx, "days must be a whole number from 1 to 366");
            return;
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage());
            return;
        }
        String name = ctx.request().getFormAttribute("name");
        vertx.executeBlocking(
                        () -> {
                            ApiTokens.Created created =
                                    tokens.create(
                                            person.login(), person.role(), name, role, lifetime);
                            audit.record(
                                    person.login(),
                                    person.role().wireName(),
                                    "token_create",
                                    null,
                                    "API token '" + created.token().name() + "'",
                                    role.wireName(),
                                    "until " + created.token().expiresAt());
                            return created;
                        },
                        false)
                .onSuccess(
                        created ->
                                blocking(ctx, tokens::list)
                                        .onSuccess(list -> renderTokens(ctx, list, created)))
                .onFailure(
                        e -> {
                            if (e instanceof IllegalArgumentException) {
                                badRequest(ctx, e.getMessage());
                            } else {
                                LOG.warn("creating an API token failed: {}", e.toString());
                                text(ctx, 500, "the console could not write its database");
                            }
                        });
    }

    private void revokeToken(RoutingContext ctx) {
        Person person = ctx.get(PERSON);
        long id;
        try {
            id =
                    Long.parseLong(
                            Objects.requireNonNullElse(ctx.request().getFormAttribute("id"), ""));
        } catch (NumberFormatException e) {
            badRequest(ctx, "id must be a token's number");
            return;
        }
        blocking(
                        ctx,
                        () -> {
                            boolean revoked = tokens.revoke(id, person.login());
                            if (revoked) {
                                audit.record(
                                        person.login(),
                                        person.role().wireName(),
                                        "token_revoke",
                                        null,
                                        "API token #" + id,
                                        "revoked",
                                        null);
                            }
                            return revoked;
                        })
                .onSuccess(
                        revoked -> {
                            if (revoked) {
                                ctx.redirect("/tokens");
                            } else {
                                text(ctx, 404, "no active API token #" + id);
                            }
                        });
    }

    private boolean noExecutor(RoutingContext ctx) {
        if (executor != null) {
            return false;
        }
        text(
                ctx,
                503,
                "undo needs the executor's admin API: start the console with"
                        + " --executor-admin-url and its token");
        return true;
    }

    private static void executorFailed(RoutingContext ctx, Throwable e) {
        LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
        text(
                ctx,
                e instanceof ExecutorAdmin.ExecutorUnavailable ? 502 : 500,
                e instanceof ExecutorAdmin.ExecutorUnavailable
                        ? e.getMessage()
                        : "the console could not read its database");
    }

    /**
     * Server-sent events: one {@code changed} event whenever indexed actions changed; the page's
     * htmx then fetches its rows again with its own filters.
     */
    private void actionEvents(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .setChunked(true);
        response.write(": connected\n\n");
        metrics.streamOpened();
        MessageConsumer<Integer> changes =
                vertx.eventBus()
                        .consumer(
                                ACTIONS_CHANGED,
                                message ->
                                        response.write(
                                                "event: changed\ndata: "
                                                        + message.body()
                                                        + "\n\n"));
        long keepAlive = vertx.setPeriodic(KEEP_ALIVE_MS, t -> response.write(": keep-alive\n\n"));
        response.closeHandler(
                v -> {
                    changes.unregister();
                    vertx.cancelTimer(keepAlive);
                    metrics.streamClosed();
                });
    }

    private void apiActions(RoutingContext ctx) {
        withFilter(ctx)
                .ifPresent(
                        filter ->
                                blocking(ctx, () -> queries.list(filter))
                                        .onSuccess(
                                                rows -> {
                                                    ObjectNode body = JSON.createObjectNode();
                                                    body.set("actions", JSON.valueToTree(rows));
                                                    json(ctx, 200, body);
                                                }));
    }

    private void apiAction(RoutingContext ctx) {
        withDetail(ctx, "/api/action", d -> json(ctx, 200, JSON.valueToTree(d)));
    }

    /**
     * The indexed action named by the {@code id} parameter, handed to {@code render}; 400 without
     * an id, 404 when no such action is indexed.
     */
    private void withDetail(RoutingContext ctx, String path, Consumer<ActionDetail> render) {
        String id = ctx.request().getParam("id");
        if (id == null || id.isBlank()) {
            badRequest(ctx, "give the action's id: " + path + "?id=...");
            return;
        }
        blocking(ctx, () -> queries.detail(id))
                .onSuccess(
                        detail -> {
                            if (detail.isEmpty()) {
                                notFound(ctx, id);
                                return;
                            }
                            render.accept(detail.get());
                        });
    }

    private void openApi(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(OPENAPI);
    }

    private void ready(RoutingContext ctx) {
        blocking(ctx, queries::reachable)
                .onSuccess(
                        up -> {
                            if (up) {
                                ctx.response().end("ready");
                            } else {
                                ctx.response().setStatusCode(503).end("PostgreSQL unreachable");
                            }
                        });
    }

    private void metrics(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape());
    }

    private Optional<ActionFilter> withFilter(RoutingContext ctx) {
        try {
            return Optional.of(ActionFilter.fromQuery(ctx.request()::getParam));
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage());
            return Optional.empty();
        }
    }

    /** Runs a database read off the event loop; a failure answers 500 and is logged. */
    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> read) {
        return vertx.executeBlocking(read, false)
                .onFailure(
                        e -> {
                            LOG.warn(
                                    "{} {} failed: {}",
                                    ctx.request().method(),
                                    ctx.request().path(),
                                    e.toString());
                            ctx.response()
                                    .setStatusCode(500)
                                    .end("the console could not read its database");
                        });
    }

    private static void html(RoutingContext ctx, String body) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(body);
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private static void badRequest(RoutingContext ctx, String message) {
        text(ctx, 400, message);
    }

    private static void text(RoutingContext ctx, int status, String message) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(message);
    }

    private static void notFound(RoutingContext ctx, String id) {
        ctx.response()
                .setStatusCode(404)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("no action " + id + " is indexed");
    }

    private static String pretty(Object json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            return String.valueOf(json);
        }
    }

    private static String resource(String name) {
        try (var in = ConsoleServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> outcomes() {
        List<String> list = new ArrayList<>();
        list.add("pending");
        Arrays.stream(AuditOutcome.values()).map(WireEnum::wireName).forEach(list::add);
        return List.copyOf(list);
    }
}
