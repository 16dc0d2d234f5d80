package io.repostream.executor.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.ActionExecutor;
import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.executor.rollback.RollbackResult;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's HTTP face on 127.0.0.1 (HTTPS when given a PEM certificate and key): {@code
 * /healthz}, {@code /readyz} and {@code /metrics} for anyone; rollback, action lookup and the kill
 * switch only with {@code Authorization: Bearer <admin token>}, compared in constant time.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String JSON = "application/json";

    private final Vertx vertx;
    private final ActionExecutor executor;
    private final byte[] tokenDigest;
    private HttpServer server;

    private AdminServer(Vertx vertx, ActionExecutor executor, String token) {
        this.vertx = vertx;
        this.executor = executor;
        this.tokenDigest = sha256(token);
    }

    /** Starts listening; fails when the port cannot be bound. */
    public static AdminServer start(ExecutorConfig config, ActionExecutor executor) {
        AdminServer admin = new AdminServer(Vertx.vertx(), executor, config.adminToken());
        try {
            admin.server =
                    admin.vertx
                            .createHttpServer(options(config))
                            .requestHandler(admin.router())
                            .listen(config.adminPort(), config.adminHost())
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            admin.close();
            throw new IllegalStateException(
                    "admin API cannot listen on "
                            + config.adminHost()
                            + ":"
                            + config.adminPort()
                            + (config.adminTls()
                                    ? " with TLS from "
                                            + config.adminTlsCertFile()
                                            + " and "
                                            + config.adminTlsKeyFile()
                                    : "")
                            + ": "
                            + e.getCause().getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admin.close();
            throw new IllegalStateException("interrupted starting the admin API", e);
        }
        LOG.info(
                "admin API on {}://{}:{}",
                config.adminTls() ? "https" : "http",
                config.adminHost(),
                admin.port());
        return admin;
    }

    /** Plain HTTP, or TLS from the configured PEM certificate and key. */
    private static HttpServerOptions options(ExecutorConfig config) {
        HttpServerOptions options = new HttpServerOptions();
        if (config.adminTls()) {
            options.setSsl(true)
                    .setKeyCertOptions(
                            new PemKeyCertOptions()
                                    .setCertPath(config.adminTlsCertFile().toString())
                                    .setKeyPath(config.adminTlsKeyFile().toString()));
        }
        return options;
    }

    public int port() {
        return server.actualPort();
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.get("/healthz").handler(this::healthz);
        router.get("/readyz").handler(this::readyz);
        router.get("/metrics").handler(this::metrics);
        router.route("/actions/*").handler(this::authenticate);
        router.route("/rollback/*").handler(this::authenticate);
        router.route("/kill-switch").handler(this::authenticate);
        router.route("/kill-switch/*").handler(this::authenticate);
        router.route().handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.get("/actions/:id").handler(this::action);
        router.post("/rollback/actions/:id").handler(this::rollbackOne);
        router.post("/rollback/bulk").handler(this::rollbackBulk);
        router.put("/kill-switch").handler(this::setKillSwitch);
        router.get("/kill-switch").handler(this::getKillSwitch);
        router.put("/kill-switch/rules/:rule").handler(this::setKillSwitch);
        return router;
    }

    private void healthz(RoutingContext ctx) {
        boolean ok = executor.healthy();
        ctx.response().setStatusCode(ok ? 200 : 503).end(ok ? "ok\n" : "executor loop stopped\n");
    }

    private void readyz(RoutingContext ctx) {
        boolean ok = executor.ready();
        ctx.response()
                .setStatusCode(ok ? 200 : 503)
                .end(ok ? "ready\n" : "not consuming actions yet\n");
    }

    private void metrics(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", ExecutorMetrics.contentType())
                .end(executor.metrics().scrape());
    }

    private void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String presented =
                header != null && header.startsWith("Bearer ") ? header.substring(7) : "";
        // digests have a fixed length, so the comparison time tells nothing about the token
        if (!MessageDigest.isEqual(tokenDigest, sha256(presented))) {
            ctx.response()
                    .setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Bearer")
                    .end("{\"error\":\"missing or wrong admin token\"}\n");
            return;
        }
        ctx.next();
    }

    private void action(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("action_id", id);
        executor.ledger()
                .snapshot(id)
                .ifPresent(s -> body.set("snapshot", Json.mapper().valueToTree(s)));
        body.set("audits", Json.mapper().valueToTree(executor.ledger().history(id)));
        if (!body.has("snapshot") && body.get("audits").isEmpty()) {
            ctx.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", JSON)
                    .end("{\"error\":\"no action " + escape(id) + " is known\"}\n");
            return;
        }
        json(ctx, 200, body);
    }

    private void rollbackOne(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        boolean preview = "true".equals(ctx.queryParams().get("dry_run"));
        String body = ctx.body() == null ? null : ctx.body().asString();
        String requestedBy;
        if (body == null || body.isBlank()) {
            requestedBy = null;
        } else {
            JsonNode request;
            try {
                request = Json.mapper().readTree(body);
            } catch (JsonProcessingException e) {
                request = null;
            }
            if (request == null || !request.isObject()) {
                badRequest(
                        ctx,
                        "body must be empty or JSON like {\"requested_by\":\"octocat (console)\"}");
                return;
            }
            requestedBy = requestedBy(request);
        }
        // on the action workers, waiting for a GitHub limit on a timer rather than in a thread
        Future.fromCompletionStage(
                        executor.rollbackLater(id, preview, requestedBy),
                        vertx.getOrCreateContext())
                .onSuccess(
                        result ->
                                json(
                                        ctx,
                                        result.status() == RollbackResult.Status.NOT_APPLIED
                                                ? 404
                                                : 200,
                                        result))
                .onFailure(e -> fail(ctx, e));
    }

    private void rollbackBulk(RoutingContext ctx) {
        JsonNode request;
        try {
            request = Json.mapper().readTree(ctx.body().asString());
        } catch (JsonProcessingException | RuntimeException e) {
            badRequest(
                    ctx,
                    "body must be JSON like {\"produced_by\":\"rule@1\",\"repo\":\"owner/repo\",\"from\":\"2026-01-01T00:00:00Z\",\"to\":null,\"dry_run\":true,\"requested_by\":\"octocat\"}");
            return;
        }
        if (request == null || !request.hasNonNull("produced_by")) {
            badRequest(ctx, "produced_by is required");
            return;
        }
        Instant from;
        Instant to;
        try {
            from = instant(request, "from");
            to = instant(request, "to");
        } catch (DateTimeParseException e) {
            badRequest(ctx, "from and to must be ISO-8601 instants, e.g. 2026-01-01T00:00:00Z");
            return;
        }
        String producedBy = request.get("produced_by").asText();
        String repo = request.hasNonNull("repo") ? request.get("repo").asText() : null;
        boolean preview = request.path("dry_run").asBoolean(false);
        String requestedBy = requestedBy(request);
        java.util.concurrent.CompletionStage<List<RollbackResult>> rolledBack;
        try {
            rolledBack =
                    executor.rollbackAllLater(producedBy, repo, from, to, preview, requestedBy);
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        Future.fromCompletionStage(rolledBack, vertx.getOrCreateContext())
                .onSuccess(results -> json(ctx, 200, summary(results)))
                .onFailure(e -> fail(ctx, e));
    }

    private static ObjectNode summary(List<RollbackResult> results) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode counts = body.putObject("counts");
        for (RollbackResult r : results) {
            String key = r.status().name().toLowerCase(java.util.Locale.ROOT);
            counts.put(key, counts.path(key).asInt(0) + 1);
        }
        body.set("results", Json.mapper().valueToTree(results));
        return body;
    }

    private void setKillSwitch(RoutingContext ctx) {
        JsonNode request;
        try {
            request = Json.mapper().readTree(ctx.body().asString());
        } catch (JsonProcessingException | RuntimeException e) {
            request = null;
        }
        if (request == null || !request.path("on").isBoolean()) {
            badRequest(
                    ctx,
                    "body must be {\"on\": true|false, \"reason\": \"...\", \"by\": \"...\"}"
                            + " (reason and by optional)");
            return;
        }
        boolean on = request.get("on").asBoolean();
        String reason = request.path("reason").isTextual() ? request.get("reason").asText() : null;
        String by =
                request.path("by").isTextual() && !request.get("by").asText().isBlank()
                        ? request.get("by").asText()
                        : "admin-api";
        String rule = ctx.pathParam("rule");
        if (rule != null) {
            try {
                io.repostream.schemas.ExecutorControl.ruleKey(rule);
            } catch (IllegalArgumentException e) {
                badRequest(ctx, e.getMessage());
                return;
            }
        }
        vertx.<Void>executeBlocking(
                        () -> {
                            if (rule == null) {
                                executor.killSwitch(on, reason, by);
                            } else {
                                executor.killSwitch(rule, on, reason, by);
                            }
                            return null;
                        })
                .onSuccess(ignored -> getKillSwitch(ctx))
                .onFailure(
                        e -> {
                            ObjectNode error = Json.mapper().createObjectNode();
                            error.put("error", e.getMessage());
                            json(ctx, 503, error);
                        });
    }

    private void getKillSwitch(RoutingContext ctx) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("on", executor.killSwitch());
        body.put("started_on", executor.control().startedOn());
        executor.control()
                .latest()
                .ifPresent(c -> body.set("control", Topics.CONTROL.valueCodec().toTree(c)));
        ObjectNode rules = body.putObject("rules");
        executor.control()
                .rules()
                .forEach(
                        (rule, c) -> {
                            ObjectNode r = rules.putObject(rule);
                            r.put("on", c.killSwitch());
                            r.set("control", Topics.CONTROL.valueCodec().toTree(c));
                        });
        json(ctx, 200, body);
    }

    /** Who asked, as the caller names them (the console names the signed-in person); or null. */
    private static String requestedBy(JsonNode request) {
        JsonNode by = request.path("requested_by");
        return by.isTextual() && !by.asText().isBlank() ? by.asText().strip() : null;
    }

    private static Instant instant(JsonNode request, String field) {
        return request.hasNonNull(field) ? Instant.parse(request.get(field).asText()) : null;
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", JSON)
                    .end(Json.mapper().writeValueAsString(body) + "\n");
        } catch (JsonProcessingException e) {
            fail(ctx, e);
        }
    }

    private static void badRequest(RoutingContext ctx, String message) {
        ctx.response()
                .setStatusCode(400)
                .putHeader("Content-Type", JSON)
                .end("{\"error\":\"" + escape(message) + "\"}\n");
    }

    private static void fail(RoutingContext ctx, Throwable e) {
        LOG.error("admin request {} failed", ctx.request().path(), e);
        int status = e instanceof IllegalArgumentException ? 400 : 500;
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", JSON)
                .end("{\"error\":\"" + escape(String.valueOf(e.getMessage())) + "\"}\n");
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("admin API did not stop cleanly: {}", e.getMessage());
        }
    }
}
