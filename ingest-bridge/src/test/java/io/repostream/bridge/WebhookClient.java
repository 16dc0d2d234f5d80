package io.repostream.bridge;

import io.repostream.testkit.fixtures.WebhookDelivery;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Posts deliveries to a bridge over real HTTP on loopback, as GitHub would. */
final class WebhookClient implements AutoCloseable {
    private final HttpClient http;
    private final int port;

    /**
     * Requests are built on one event loop: a chain built on the test thread could attach the body
     * handler after the response already arrived and read an empty body.
     */
    private final io.vertx.core.Context context;

    WebhookClient(Vertx vertx, int port) {
        this.http =
                vertx.createHttpClient(
                        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
                        new PoolOptions().setHttp1MaxSize(16));
        this.port = port;
        this.context = vertx.getOrCreateContext();
    }

    private <T> io.vertx.core.Future<T> onContext(
            java.util.function.Supplier<io.vertx.core.Future<T>> call) {
        io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
        context.runOnContext(v -> call.get().onComplete(promise));
        return promise.future();
    }

    record Reply(int status, MultiMap headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        String message() {
            return json().getString("message");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }

        /** The whole answer, body included, once it has arrived. */
        static io.vertx.core.Future<Reply> read(HttpClientResponse response) {
            return response.body()
                    .map(b -> new Reply(response.statusCode(), response.headers(), b.toString()));
        }
    }

    Reply post(WebhookDelivery delivery) {
        return post(delivery.headers(), Buffer.buffer(delivery.body()));
    }

    Reply post(Map<String, String> headers, Buffer body) {
        return await(postAsync(headers, body));
    }

    io.vertx.core.Future<Reply> postAsync(Map<String, String> headers, Buffer body) {
        return onContext(() -> post0(headers, body));
    }

    private io.vertx.core.Future<Reply> post0(Map<String, String> headers, Buffer body) {
        return send0(HttpMethod.POST, headers, body);
    }

    /** A delivery sent with any method, read whole on the client's event loop. */
    Reply send(HttpMethod method, Map<String, String> headers, Buffer body) {
        return await(onContext(() -> send0(method, headers, body)));
    }

    private io.vertx.core.Future<Reply> send0(
            HttpMethod method, Map<String, String> headers, Buffer body) {
        return http.request(method, port, "127.0.0.1", "/webhooks/github")
                .compose(
                        request -> {
                            headers.forEach(request::putHeader);
                            return request.send(body);
                        })
                .compose(Reply::read);
    }

    /** The value of an unlabelled gauge or counter on the bridge's /metrics. */
    double metric(String name) {
        Reply metrics = get("/metrics");
        java.util.regex.Matcher value =
                java.util.regex.Pattern.compile(
                                "(?m)^" + java.util.regex.Pattern.quote(name) + " (\\S+)$")
                        .matcher(metrics.body());
        if (metrics.status() != 200 || !value.find()) {
            throw new AssertionError("no " + name + " on /metrics: " + metrics);
        }
        return Double.parseDouble(value.group(1));
    }

    Reply get(String path) {
        return await(onContext(() -> get0(path)));
    }

    private io.vertx.core.Future<Reply> get0(String path) {
        return (http.request(HttpMethod.GET, port, "127.0.0.1", path)
                .compose(request -> request.send())
                .compose(Reply::read));
    }

    static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.await(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer from the bridge within 30 s", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
