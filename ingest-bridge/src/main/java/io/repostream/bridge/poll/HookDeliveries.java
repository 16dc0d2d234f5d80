package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * GitHub's webhook deliveries API for one hook: lists recent deliveries and asks GitHub to
 * redeliver one. A hook is {@code owner/repo#<hook id>} (repository hook) or {@code
 * org:<login>#<hook id>} (organisation hook).
 */
public final class HookDeliveries {
    private final HttpClient http;
    private final String apiUrl;
    private final GitHubAuth auth;
    private final Duration timeout;

    /** One delivery attempt as GitHub lists it. */
    public record Attempt(long id, String guid, int statusCode, String event) {
        boolean succeeded() {
            return statusCode >= 200 && statusCode < 300;
        }
    }

    public HookDeliveries(String apiUrl, GitHubAuth auth, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.apiUrl = apiUrl;
        this.auth = auth;
        this.timeout = timeout;
    }

    /** The API path of a hook: {@code /repos/o/r/hooks/1} or {@code /orgs/o/hooks/1}. */
    public static String hookPath(String hook) {
        int hash = hook.lastIndexOf('#');
        if (hash <= 0 || !hook.substring(hash + 1).matches("\\d+")) {
            throw new IllegalArgumentException(
                    "hook '" + hook + "' must be owner/repo#<id> or org:<login>#<id>");
        }
        String owner = hook.substring(0, hash).toLowerCase(Locale.ROOT);
        String id = hook.substring(hash + 1);
        if (owner.startsWith("org:")) {
            return "/orgs/" + owner.substring(4) + "/hooks/" + id;
        }
        if (!owner.matches("[a-z0-9][a-z0-9._-]*/[a-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "hook '" + hook + "': '" + owner + "' is not owner/repo");
        }
        return "/repos/" + owner + "/hooks/" + id;
    }

    /** The most recent deliveries of {@code hook} (first page, up to 100), newest first. */
    public List<Attempt> recent(String hook) throws IOException, InterruptedException {
        HttpResponse<byte[]> response =
                send(request(hookPath(hook) + "/deliveries?per_page=100").GET(), hook);
        if (response.statusCode() != 200) {
            throw new IOException(
                    "listing deliveries of hook "
                            + hook
                            + ": GitHub answered "
                            + response.statusCode());
        }
        JsonNode list = Json.mapper().readTree(response.body());
        List<Attempt> attempts = new ArrayList<>();
        for (JsonNode d : list) {
            attempts.add(
                    new Attempt(
                            d.path("id").asLong(),
                            d.path("guid").asText(),
                            d.path("status_code").asInt(),
                            d.path("event").asText()));
        }
        return attempts;
    }

    /**
     * Asks GitHub to deliver attempt {@code id} again (same guid, so the dedupe window applies).
     */
    public void redeliver(String hook, long id) throws IOException, InterruptedException {
        HttpResponse<byte[]> response =
                send(
                        request(hookPath(hook) + "/deliveries/" + id + "/attempts")
                                .POST(HttpRequest.BodyPublishers.noBody()),
                        hook);
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "redelivering "
                            + id
                            + " of hook "
                            + hook
                            + ": GitHub answered "
                            + response.statusCode());
        }
    }

    private HttpRequest.Builder request(String path) throws IOException {
        return HttpRequest.newBuilder(URI.create(apiUrl + path))
                .timeout(timeout)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "repostream-ingest-bridge")
                .header("Authorization", auth.authorization());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, String hook)
            throws IOException, InterruptedException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IOException(
                    "cannot reach GitHub for hook " + hook + ": " + e.getMessage(), e);
        }
    }
}
