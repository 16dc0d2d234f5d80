package io.repostream.bridge;

import io.repostream.bridge.kafka.KafkaHealth;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The HTTP side of the bridge: routes in one block, handlers as method references. */
final class BridgeVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final WebhookEndpoint webhooks;
    private final KafkaHealth kafkaHealth;
    private final BridgeMetrics metrics;
    private volatile int actualPort = -1;

    BridgeVerticle(
            String host,
            int port,
            WebhookEndpoint webhooks,
            KafkaHealth kafkaHealth,
            BridgeMetrics metrics) {
        this.host = host;
        this.port = port;
        this.webhooks = webhooks;
        this.kafkaHealth = kafkaHealth;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.post("/webhooks/github").handler(webhooks::handle);
        router.get("/healthz").handler(this::healthz);
        router.get("/readyz").handler(this::readyz);
        router.get("/metrics").handler(this::metrics);
        router.route("/webhooks/github").handler(this::methodNotAllowed);
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port);
        return vertx.createHttpServer(options)
                .requestHandler(router)
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

    private void methodNotAllowed(RoutingContext ctx) {
        ctx.response().putHeader("Allow", "POST");
        json(ctx, 405, new JsonObject().put("message", "GitHub webhooks are delivered with POST"));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }
}
