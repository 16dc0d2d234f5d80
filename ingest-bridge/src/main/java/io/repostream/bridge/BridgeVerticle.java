package io.repostream.bridge;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.repostream.bridge.kafka.KafkaHealth;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;

/** The HTTP side of the bridge: routes in one block, handlers as method references. */
final class BridgeVerticle extends VerticleBase {
    private final BridgeConfig config;
    private final int port;
    private final WebhookEndpoint webhooks;
    private final KafkaHealth kafkaHealth;
    private final BridgeMetrics metrics;
    private volatile int actualPort = -1;

    BridgeVerticle(
            BridgeConfig config,
            int port,
            WebhookEndpoint webhooks,
            KafkaHealth kafkaHealth,
            BridgeMetrics metrics) {
        this.config = config;
        this.port = port;
        this.webhooks = webhooks;
        this.kafkaHealth = kafkaHealth;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        HeaderDeadlines deadlines = new HeaderDeadlines(vertx, config.headerTimeout(), metrics);
        router.route()
                .handler(
                        ctx -> {
                            HttpConnection connection = ctx.request().connection();
                            ctx.addEndHandler(done -> deadlines.awaitHeaders(connection));
                            ctx.next();
                        });
        router.post("/webhooks/github").handler(webhooks::handle);
        router.get("/healthz").handler(this::healthz);
        router.get("/readyz").handler(this::readyz);
        router.get("/metrics").handler(this::metrics);
        router.route("/webhooks/github").handler(this::methodNotAllowed);
        router.errorHandler(404, ctx -> error(ctx, 404, "not_found", "no such path"));
        router.errorHandler(
                405, ctx -> error(ctx, 405, "method_not_allowed", "method not allowed here"));
        router.errorHandler(400, ctx -> error(ctx, 400, "bad_request", "bad request"));
        router.errorHandler(500, ctx -> error(ctx, 500, "internal_error", "internal error"));
        HttpServerOptions options =
                new HttpServerOptions()
                        .setHost(config.host())
                        .setPort(port)
                        // GitHub delivers over HTTP/1.1. With h2c on, Vert.x makes the
                        // connection (and calls the connection handler, which arms the
                        // header timeout) only once a request's headers are complete.
                        .setHttp2ClearTextEnabled(false)
                        .setIdleTimeout((int) config.idleTimeout().toMillis())
                        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        if (config.tls()) {
            options.setSsl(true)
                    .setKeyCertOptions(
                            new PemKeyCertOptions()
                                    .setCertPath(config.tlsCertFile().toString())
                                    .setKeyPath(config.tlsKeyFile().toString()));
        }
        return vertx.createHttpServer(options)
                .connectionHandler(deadlines::connected)
                .invalidRequestHandler(this::invalidRequest)
                .requestHandler(
                        request -> {
                            deadlines.headersReceived(request.connection());
                            router.handle(request);
                        })
                .listen()
                .onSuccess(server -> actualPort = server.actualPort())
                .map(HttpServer::actualPort);
    }

    int actualPort() {
        return actualPort;
    }

    private void healthz(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("status", "up"));
    }

    private void readyz(RoutingContext ctx) {
        vertx.executeBlocking(kafkaHealth::problem, false)
                .onComplete(
                        result -> {
                            String problem =
                                    result.succeeded() ? result.result() : "health check failed";
                            if (problem == null) {
                                json(ctx, 200, new JsonObject().put("status", "ready"));
                            } else {
                                json(
                                        ctx,
                                        503,
                                        new JsonObject()
                                                .put("status", "not ready")
                                                .put("message", problem));
                            }
                        });
    }

    private void metrics(RoutingContext ctx) {
        vertx.executeBlocking(metrics::scrape, false)
                .onSuccess(
                        text ->
                                ctx.response()
                                        .putHeader("Content-Type", BridgeMetrics.contentType())
                                        .end(io.vertx.core.buffer.Buffer.buffer(text)))
                .onFailure(ctx::fail);
    }

    /** What Vert.x's HTTP decoder refused (headers too large, a malformed request line, ...). */
    private void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = 400;
        String outcome = "bad_request";
        String message = "malformed HTTP request";
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            outcome = "uri_too_long";
            message = "request line too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            outcome = "headers_too_large";
            message =
                    "request headers larger than "
                            + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE
                            + " bytes";
        }
        metrics.delivery(null, outcome);
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .end(new JsonObject().put("outcome", outcome).put("message", message).encode())
                .onComplete(sent -> request.connection().close());
    }

    private static void error(RoutingContext ctx, int status, String outcome, String message) {
        if (ctx.response().ended()) {
            return;
        }
        json(ctx, status, new JsonObject().put("outcome", outcome).put("message", message));
    }

    private void methodNotAllowed(RoutingContext ctx) {
        ctx.response().putHeader("Allow", "POST");
        json(
                ctx,
                405,
                new JsonObject()
                        .put("outcome", "method_not_allowed")
                        .put("message", "GitHub webhooks are delivered with POST"));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }
}
