package io.repostream.testkit.github;

import io.repostream.testkit.fixtures.WebhookDelivery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Posts deliveries to hook URLs as GitHub does: signed with the hook's secret, with GitHub's
 * headers, waiting at most 10 seconds for the answer.
 */
final class HookSender {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** The answer's status, 0 when the receiver could not be reached or did not answer in time. */
    CompletableFuture<Integer> send(SimulatedHook hook, String guid, String event, byte[] body) {
        if (hook.url == null) {
            // an app whose webhook is inactive: GitHub lists nothing was answered
            return CompletableFuture.completedFuture(0);
        }
        WebhookDelivery delivery = delivery(hook, guid, event, body);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(hook.url))
                        .timeout(TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        delivery.headers()
                .forEach(
                        (name, value) -> {
                            // the HTTP client sets these itself
                            if (!name.equalsIgnoreCase("Content-Length")
                                    && !name.equalsIgnoreCase("Host")) {
                                request.header(name, value);
                            }
                        });
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> error == null ? response.statusCode() : 0);
    }

    /** The delivery as GitHub sends it: body and headers, signed with the hook's secret. */
    static WebhookDelivery delivery(SimulatedHook hook, String guid, String event, byte[] body) {
        return WebhookDelivery.builder()
                .event(event)
                .deliveryId(guid)
                .body(body)
                .secret(hook.secret)
                .hookId(hook.id)
                .build();
    }

    int sendNow(SimulatedHook hook, String guid, String event, byte[] body) {
        try {
            return send(hook, guid, event, body).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(new IOException(e.getCause()));
        }
    }
}
