package io.repostream.testkit.notify;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** A Vert.x HTTP server on a free port of 127.0.0.1, for the notification simulators. */
final class LoopbackServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final String baseUrl;

    private LoopbackServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
        this.baseUrl = "http://127.0.0.1:" + server.actualPort();
    }

    /** Starts a server whose routes {@code routes} declares (after a body handler). */
    static LoopbackServer start(String what, Consumer<Router> routes) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(1 << 20));
        routes.accept(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router);
        try {
            server.listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vertx.close();
            throw new IllegalStateException("interrupted while starting the " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            vertx.close();
            throw new IllegalStateException("cannot start the " + what, e);
        }
        return new LoopbackServer(vertx, server);
    }

    String baseUrl() {
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
            throw new IllegalStateException("the simulator on " + baseUrl + " did not stop", e);
        }
    }
}
