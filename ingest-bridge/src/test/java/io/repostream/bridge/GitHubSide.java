package io.repostream.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.github.GitHubSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What GitHub shows of a change: its REST API's answer, and the webhook it sends. */
final class GitHubSide {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private GitHubSide() {}

    /** The simulator's answer to {@code GET path} (e.g. {@code /repos/o/r/events}). */
    static JsonNode get(GitHubSimulator github, String path)
            throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(github.baseUrl() + path))
                                .header("Authorization", "Bearer " + GitHubSimulator.DEFAULT_TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(response.body());
    }

    /** The {@code issues} webhook GitHub sends when {@code action} happens to {@code issue}. */
    static WebhookDelivery issuesWebhook(
            String repo, String action, JsonNode issue, String secret) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("action", action);
        body.set("issue", issue);
        body.putObject("repository").put("full_name", repo);
        return WebhookDelivery.builder()
                .event("issues")
                .body(body.toString())
                .secret(secret)
                .build();
    }
}
