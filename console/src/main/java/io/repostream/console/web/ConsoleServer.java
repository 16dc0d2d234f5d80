package io.repostream.console.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.console.ConsoleMetrics;
import io.repostream.console.query.ActionDetail;
import io.repostream.console.query.ActionFilter;
import io.repostream.console.query.ActionQueries;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.WireEnum;
import io.repostream.schemas.json.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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
    private static final ObjectMapper JSON = Json.mapper();
    private static final String OPENAPI = resource("console-api/openapi.yaml");

    private final Vertx vertx;
    private final ActionQueries queries;
    private final ConsoleMetrics metrics;
    private final Pages pages = new Pages();
    private final Assets assets = Assets.fromWebJars();
    private final List<String> types =
            Arrays.stream(ActionType.values()).map(WireEnum::wireName).toList();
    private final List<String> outcomes = outcomes();

    public ConsoleServer(Vertx vertx, ActionQueries queries, ConsoleMetrics metrics) {
        this.vertx = vertx;
        this.queries = queries;
        this.metrics = metrics;
    }

    /** Listens on {@code host}:{@code port} (0 for any free port). */
    public Future<HttpServer> listen(String host, int port) {
        return vertx.createHttpServer().requestHandler(router()).listen(port, host);
    }

    Router router() {
        Router router = Router.router(vertx);
        router.get("/").handler(ctx -> ctx.redirect("/actions"));
        router.get("/actions").handler(this::actionsPage);
        router.get("/actions/rows").handler(this::actionRows);
        router.get("/actions/events").handler(this::actionEvents);
        router.get("/action").handler(this::actionPage);
        router.get("/api/actions").handler(this::apiActions);
        router.get("/api/action").handler(this::apiAction);
        router.get("/api/openapi.yaml").handler(this::openApi);
        router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
        router.get("/readyz").handler(this::ready);
        router.get("/metrics").handler(this::metrics);
        router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        router.get("/static/*").handler(StaticHandler.create("console-static"));
        return router;
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
                                                                                "assets", assets,
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
        String id = ctx.request().getParam("id");
        if (id == null || id.isBlank()) {
            badRequest(ctx, "give the action's id: /action?id=...");
            return;
        }
        blocking(ctx, () -> queries.detail(id))
                .onSuccess(
                        detail -> {
                            if (detail.isEmpty()) {
                                notFound(ctx, id);
                                return;
                            }
                            ActionDetail d = detail.get();
                            html(
                                    ctx,
                                    pages.render(
                                            "action.jte",
                                            Map.of(
                                                    "assets",
                                                    assets,
                                                    "d",
                                                    d,
                                                    "parameters",
                                                    d.action() == null
                                                            ? ""
                                                            : pretty(d.action().params()))));
                        });
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
        String id = ctx.request().getParam("id");
        if (id == null || id.isBlank()) {
            badRequest(ctx, "give the action's id: /api/action?id=...");
            return;
        }
        blocking(ctx, () -> queries.detail(id))
                .onSuccess(
                        detail -> {
                            if (detail.isEmpty()) {
                                notFound(ctx, id);
                                return;
                            }
                            json(ctx, 200, JSON.valueToTree(detail.get()));
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
        ctx.response()
                .setStatusCode(400)
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
