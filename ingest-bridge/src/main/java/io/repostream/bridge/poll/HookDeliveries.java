package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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
    public record Attempt(long id, String guid, int statusCode, String event, Instant deliveredAt) {
        boolean succeeded() {
            return statusCode >= 200 && statusCode < 300;
        }
    }

    /**
     * A hook's attempts, newest first, as far as they were read.
     *
     * @param complete false when the listing stopped at {@link #MAX_PAGES}
     */
    public record Listing(List<Attempt> attempts, boolean complete) {}

    /** Pages of 100 read a hook at most: GitHub keeps three days of deliveries. */
    static final int MAX_PAGES = 100;

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

    /**
     * The deliveries of {@code hook}, newest first, page by page (GitHub's cursor pagination: the
     * {@code Link: rel="next"} URL), at most {@link #MAX_PAGES} pages.
     */
    public Listing recent(String hook) throws IOException, InterruptedException {
        List<Attempt> attempts = new ArrayList<>();
        String url = apiUrl + hookPath(hook) + "/deliveries?per_page=100";
        for (int page = 1; page <= MAX_PAGES; page++) {
            HttpResponse<byte[]> response = send(request(url).GET(), hook);
            if (response.statusCode() != 200) {
                throw new IOException(
                        "listing deliveries of hook "
                                + hook
                                + ": GitHub answered "
                                + response.statusCode());
            }
            for (JsonNode d : Json.mapper().readTree(response.body())) {
                attempts.add(
                        new Attempt(
                                d.path("id").asLong(),
                                d.path("guid").asText(),
                                d.path("status_code").asInt(),
                                d.path("event").asText(),
                                deliveredAt(d)));
            }
            String next =
                    response.headers().firstValue("Link").map(EventsFeed::nextLink).orElse(null);
            if (next == null) {
                return new Listing(attempts, true);
            }
            if (!next.startsWith(apiUrl + "/")) {
                throw new IOException(
                        "listing deliveries of hook " + hook + ": next page outside the API");
            }
            url = next;
        }
        return new Listing(attempts, false);
    }

    private static Instant deliveredAt(JsonNode delivery) {
        try {
            return OffsetDateTime.parse(delivery.path("delivered_at").asText()).toInstant();
        } catch (RuntimeException e) {
            // unknown: treated as too old to redeliver safely
            return Instant.EPOCH;
        }
    }

    /**
     * Asks GitHub to deliver attempt {@code id} again (same guid, so the dedupe window applies).
     */
    public void redeliver(String hook, long id) throws IOException, InterruptedException {
        HttpResponse<byte[]> response =
                send(
                        request(apiUrl + hookPath(hook) + "/deliveries/" + id + "/attempts")
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

    private HttpRequest.Builder request(String url) throws IOException {
        return HttpRequest.newBuilder(URI.create(url))
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
