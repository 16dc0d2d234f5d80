package io.repostream.console.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.console.ConsoleMetrics;
import io.repostream.console.query.ActionQueries;
import io.repostream.console.undo.AuditedUndo;
import io.repostream.console.undo.ExecutorAdmin;
import io.repostream.console.undo.UndoResult;
import io.repostream.console.web.BulkUndo;
import io.repostream.console.web.Role;
import io.repostream.schemas.json.Json;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API for scripts under {@code /api/v1/}: undo one action or a rule's actions, with a preview,
 * authenticated by a personal API token ({@code Authorization: Bearer rsc_...}) instead of a
 * session, so no cookie and no CSRF token are involved. Answers JSON; errors are {@code {"error":
 * "..."}} with 401 (no or bad token), 403 (the token's role), 404 (unknown action or nothing to
 * undo), 409 (the executor left it alone), 502/503 (the executor). Every undo is recorded in {@code
 * console_audit} under the token's owner, and named in the executor's audit record.
 */
public final class ScriptApi {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptApi.class);
    private static final ObjectMapper JSON = Json.mapper();
    private static final String HOLDER = "api_token_holder";

    private final Vertx vertx;
    private final ApiTokens tokens;
    private final ActionQueries queries;
    private final AuditedUndo undo;
    private final ConsoleMetrics metrics;

    /**
     * @param undo undo through the executor's admin API (null: every undo answers 503)
     */
    public ScriptApi(
            Vertx vertx,
            ApiTokens tokens,
            ActionQueries queries,
            AuditedUndo undo,
            ConsoleMetrics metrics) {
        this.vertx = vertx;
        this.tokens = tokens;
        this.queries = queries;
        this.undo = undo;
        this.metrics = metrics;
    }

    /** Adds the API's routes; mount before any session or CSRF handler. */
    public void mount(Router router) {
        router.route("/api/v1/*").handler(this::authenticate);
        router.post("/api/v1/actions/:id/undo").handler(requires(Role.OPERATOR, this::undoOne));
        router.post("/api/v1/rules/:rule/undo").handler(requires(Role.OPERATOR, this::undoRule));
        router.route("/api/v1/*")
                .handler(
                        ctx ->
                                error(
                                        ctx,
                                        404,
                                        "no "
                                                + ctx.request().method()
                                                + " "
                                                + ctx.request().path()
                                                + " here: POST /api/v1/actions/{id}/undo or POST"
                                                + " /api/v1/rules/{rule}/undo"));
    }

    private void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            metrics.refused("token");
            error(ctx, 401, "send an API token: Authorization: Bearer rsc_...");
            return;
        }
        String secret = header.substring(7).strip();
        vertx.executeBlocking(() -> tokens.authenticate(secret), false)
                .onSuccess(
                        holder -> {
                            ctx.put(HOLDER, holder);
                            ctx.next();
                        })
                .onFailure(
                        e -> {
                            if (e instanceof ApiTokens.Refused) {
                                metrics.refused("token");
                                LOG.warn(
                                        "refused {} {} from {}: {}",
                                        ctx.request().method(),
                                        ctx.request().path(),
                                        ctx.request().remoteAddress(),
                                        e.getMessage());
                                error(ctx, 401, e.getMessage());
                            } else {
                                LOG.warn("API token check failed: {}", e.toString());
                                error(ctx, 500, "the console could not read its database");
                            }
                        });
    }

    private Handler<RoutingContext> requires(Role needed, Handler<RoutingContext> handler) {
        return ctx -> {
            ApiTokens.Holder holder = ctx.get(HOLDER);
            if (holder.role().allows(needed)) {
                handler.handle(ctx);
                return;
            }
            metrics.refused("role");
            error(
                    ctx,
                    403,
                    "API token '"
                            + holder.name()
                            + "' of "
                            + holder.owner()
                            + " is "
                            + holder.role().wireName()
                            + "; undo takes operator");
        };
    }

    private void undoOne(RoutingContext ctx) {
        if (noExecutor(ctx)) {
            return;
        }
        ApiTokens.Holder holder = ctx.get(HOLDER);
        String id = ctx.pathParam("id");
        boolean preview = dryRun(ctx);
        vertx.executeBlocking(
                        () -> {
                            var detail = queries.detail(id);
                            if (detail.isEmpty()) {
                                return null;
                            }
                            return undo.one(
                                    id, detail.get().summary().item(), preview, asker(holder));
                        },
                        false)
                .onSuccess(
                        result -> {
                            if (result == null) {
                                error(ctx, 404, "no action " + id + " is indexed");
                                return;
                            }
                            ObjectNode body = result(result);
                            body.put("dry_run", preview);
                            json(ctx, status(result.status()), body);
                        })
                .onFailure(e -> failed(ctx, e));
    }

    private void undoRule(RoutingContext ctx) {
        if (noExecutor(ctx)) {
            return;
        }
        ApiTokens.Holder holder = ctx.get(HOLDER);
        BulkUndo request;
        try {
            String rule = ctx.pathParam("rule");
            if (!rule.matches("[^@\\s]+@\\S+")) {
                throw new IllegalArgumentException(
                        "the rule must be its name and version as it writes produced_by"
                                + " (triage-label@1), got "
                                + rule);
            }
            request =
                    BulkUndo.from(
                            name ->
                                    "produced_by".equals(name)
                                            ? rule
                                            : ctx.request().getParam(name));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        boolean preview = dryRun(ctx);
        vertx.executeBlocking(() -> undo.rule(request, preview, asker(holder)), false)
                .onSuccess(
                        results -> {
                            if (results.isEmpty()) {
                                error(
                                        ctx,
                                        404,
                                        "no applied action of " + request.describe() + " is known");
                                return;
                            }
                            ObjectNode body = JSON.createObjectNode();
                            body.put("dry_run", preview);
                            ObjectNode counts = body.putObject("counts");
                            var list = body.putArray("results");
                            for (UndoResult r : results) {
                                String key = r.status().toLowerCase(Locale.ROOT);
                                counts.put(key, counts.path(key).asInt(0) + 1);
                                list.add(result(r));
                            }
                            json(ctx, 200, body);
                        })
                .onFailure(e -> failed(ctx, e));
    }

    /** The token's owner, recorded with the token's name (never its secret). */
    private static AuditedUndo.Asker asker(ApiTokens.Holder holder) {
        return new AuditedUndo.Asker(
                holder.owner(),
                holder.role().wireName(),
                holder.owner() + " (API token " + holder.name() + ")",
                "(API token '" + holder.name() + "')");
    }

    /** The HTTP status of one result: 409 when the executor left the target alone. */
    static int status(String status) {
        return switch (status) {
            case "PREVIEW", "ROLLED_BACK", "NOTHING_TO_UNDO" -> 200;
            case "NOT_APPLIED" -> 404;
            case "CONFLICT", "IRREVERSIBLE", "ALREADY_ROLLED_BACK" -> 409;
            default -> 502;
        };
    }

    private static ObjectNode result(UndoResult r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("action_id", r.actionId());
        node.put("target", r.target());
        node.put("status", r.status());
        node.put("detail", r.detail());
        return node;
    }

    private static boolean dryRun(RoutingContext ctx) {
        return "true".equals(ctx.request().getParam("dry_run"));
    }

    private boolean noExecutor(RoutingContext ctx) {
        if (undo != null) {
            return false;
        }
        error(
                ctx,
                503,
                "undo needs the executor's admin API: start the console with --executor-admin-url");
        return true;
    }

    private static void failed(RoutingContext ctx, Throwable e) {
        LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
        if (e instanceof ExecutorAdmin.ExecutorUnavailable) {
            error(ctx, 502, e.getMessage());
        } else {
            error(ctx, 500, "the console could not read its database");
        }
    }

    private static void error(RoutingContext ctx, int status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", message);
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        json(ctx, status, body);
    }

    private static void json(RoutingContext ctx, int status, ObjectNode body) {
        try {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(JSON.writeValueAsString(body) + "\n");
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
