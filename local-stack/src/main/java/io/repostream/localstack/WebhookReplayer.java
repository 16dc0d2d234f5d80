package io.repostream.localstack;

import io.repostream.testkit.fixtures.WebhookSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Posts deliveries to a webhook endpoint the way GitHub does: signed, with GitHub's headers. */
final class WebhookReplayer {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String secret;

    WebhookReplayer(String endpoint, String secret) {
        this.endpoint = URI.create(endpoint);
        this.secret = secret;
    }

    /** Posts one delivery and returns GitHub's view of the answer: status and body. */
    HttpResponse<String> post(DemoDelivery delivery) throws IOException, InterruptedException {
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest request =
                HttpRequest.newBuilder(endpoint)
                        .timeout(Duration.ofSeconds(10)) // GitHub gives a delivery 10 s
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "GitHub-Hookshot/repostream-demo")
                        .header("X-GitHub-Event", delivery.event())
                        .header("X-GitHub-Delivery", delivery.deliveryId())
                        .header("X-Hub-Signature-256", WebhookSigner.sign(secret, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
