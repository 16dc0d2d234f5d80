package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.RetryAfter;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads what polling asks GitHub for: {@code GET /repos/{owner}/{repo}/events}, the workflow runs,
 * the issues and pulls lists, with conditional requests: given the last ETag, GitHub answers 304
 * when nothing happened, and a 304 costs no quota.
 *
 * <p>Plain HTTP rather than hub4j: hub4j 1.x exposes neither {@code If-None-Match} nor the raw JSON
 * (it binds answers to its own classes), and the bridge must store what GitHub sent.
 */
public final class EventsFeed {
    private final HttpClient http;
    private final String apiUrl;
    private final GitHubAuth auth;
    private final Duration timeout;

    public EventsFeed(String apiUrl, GitHubAuth auth, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.apiUrl = apiUrl;
        this.auth = auth;
        this.timeout = timeout;
    }

    /**
     * @param repo lowercase {@code owner/repo}
     * @param etag the previous answer's ETag, or null
     * @throws IOException when GitHub cannot be reached; the message names the repo, never the
     *     token
     */
    public FeedPage fetch(String repo, String etag) throws IOException, InterruptedException {
        return get(repo, apiUrl + "/repos/" + repo + "/events?per_page=100", etag, null, true);
    }

    /**
     * Reads the next page of a list, at the URL the previous page's {@code Link: rel="next"} gave
     * (unconditionally: an ETag belongs to the first page). Only URLs under the configured API are
     * followed, so a token never goes elsewhere.
     */
    public FeedPage fetchNext(String repo, String nextUrl)
            throws IOException, InterruptedException {
        if (!nextUrl.startsWith(apiUrl + "/")) {
            throw new IOException(
                    "polling " + repo + ": next page outside the API (" + nextUrl + ")");
        }
        return get(repo, nextUrl, null, null, true);
    }

    /**
     * Reads {@code GET /repos/{owner}/{repo}/actions/runs} (the newest 50 runs) the same way: the
     * event feed does not show workflow runs, which CI automation needs.
     */
    public FeedPage fetchWorkflowRuns(String repo, String etag)
            throws IOException, InterruptedException {
        return get(
                repo,
                apiUrl + "/repos/" + repo + "/actions/runs?per_page=50",
                etag,
                "workflow_runs",
                true);
    }

    /**
     * Reads page {@code page} of {@code GET /repos/{owner}/{repo}/issues} (issues and pull
     * requests) updated at or after {@code since}, oldest change first, 100 a page; page 1
     * conditionally (while nothing changes the URL stays the same and GitHub answers 304).
     */
    public FeedPage fetchIssues(String repo, Instant since, int page, String etag)
            throws IOException, InterruptedException {
        return listPage(
                repo,
                apiUrl
                        + "/repos/"
                        + repo
                        + "/issues?state=all&sort=updated&direction=asc&per_page=100&since="
                        + since,
                page,
                etag);
    }

    /**
     * Reads page {@code page} of {@code GET /repos/{owner}/{repo}/pulls}, most recently updated
     * first, 100 a page (the pulls list has no {@code since}); page 1 conditionally.
     */
    public FeedPage fetchPulls(String repo, int page, String etag)
            throws IOException, InterruptedException {
        return listPage(
                repo,
                apiUrl
                        + "/repos/"
                        + repo
                        + "/pulls?state=all&sort=updated&direction=desc&per_page=100",
                page,
                etag);
    }

    /** Page {@code page} of a list; only page 1 conditionally: the ETag is page 1's. */
    private FeedPage listPage(String repo, String firstPageUrl, int page, String etag)
            throws IOException, InterruptedException {
        return page > 1
                ? get(repo, firstPageUrl + "&page=" + page, null, null, true)
                : get(repo, firstPageUrl, etag, null, true);
    }

    /**
     * Reads one resource at {@code path} under the API (an issue, a pull request), conditionally
     * when {@code etag} is given: unchanged, GitHub answers 304, which costs no quota.
     */
    public FeedPage fetchItem(String repo, String path, String etag)
            throws IOException, InterruptedException {
        return get(repo, apiUrl + path, etag, null, false);
    }

    /**
     * Reads {@code GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs} (the run's latest attempt,
     * up to 100 jobs), conditionally when {@code etag} is given; the page's {@code events} are the
     * {@code jobs} array.
     */
    public FeedPage fetchRunJobs(String repo, long runId, String etag)
            throws IOException, InterruptedException {
        return get(repo, apiUrl + runJobsPath(repo, runId), etag, "jobs", true);
    }

    /** The path of a run's jobs, under the API. */
    static String runJobsPath(String repo, long runId) {
        return "/repos/" + repo + "/actions/runs/" + runId + "/jobs?per_page=100";
    }

    /** What the app's hook deliveries are called in messages. */
    static final String APP_HOOK = "the app's hook";

    /**
     * Reads a page of {@code GET /app/hook/deliveries} (newest first, 100 a page): the first page
     * when {@code nextUrl} is null, else the page GitHub's {@code Link: rel="next"} named (cursor
     * pagination). Needs the app's JWT: GitHub refuses an installation token here.
     */
    public FeedPage fetchAppDeliveries(String nextUrl) throws IOException, InterruptedException {
        if (nextUrl == null) {
            return get(APP_HOOK, apiUrl + "/app/hook/deliveries?per_page=100", null, null, true);
        }
        return fetchNext(APP_HOOK, nextUrl);
    }

    /**
     * Reads {@code GET /app/hook/deliveries/{delivery_id}}: one attempt, with the request GitHub
     * sent ({@code request.headers}, and {@code request.payload} as parsed JSON).
     */
    public FeedPage fetchAppDelivery(long deliveryId) throws IOException, InterruptedException {
        return get(APP_HOOK, apiUrl + "/app/hook/deliveries/" + deliveryId, null, null, false);
    }

    /** Reads {@code GET /repos/{owner}/{repo}}: the repository as webhooks carry it. */
    public FeedPage fetchRepository(String repo) throws IOException, InterruptedException {
        return get(repo, apiUrl + "/repos/" + repo, null, null, false);
    }

    /**
     * Reads {@code GET /repos/{owner}/{repo}/issues/{number}} (also for a pull request): unlike the
     * lists, it names who closed it ({@code closed_by}).
     */
    public FeedPage fetchIssue(String repo, long number) throws IOException, InterruptedException {
        return get(repo, apiUrl + "/repos/" + repo + "/issues/" + number, null, null, false);
    }

    private FeedPage get(String repo, String url, String etag, String listField, boolean array)
            throws IOException, InterruptedException {
        String path = url.substring(apiUrl.length());
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(timeout)
                        .header("Accept", "application/vnd.github+json")
                        .header("X-GitHub-Api-Version", "2022-11-28")
                        .header("User-Agent", "repostream-ingest-bridge")
                        .header("Authorization", auth.authorization())
                        .GET();
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IOException("cannot poll " + path + " of " + repo + ": " + e.getMessage(), e);
        }
        JsonNode events = null;
        String message = null;
        if (response.statusCode() == 200) {
            events = Json.mapper().readTree(response.body());
            if (events != null && listField != null) {
                events = events.path(listField);
            }
            if (events == null || (array ? !events.isArray() : !events.isObject())) {
                throw new IOException(
                        path + " of " + repo + ": expected a JSON " + (array ? "array" : "object"));
            }
        } else if (response.statusCode() >= 400) {
            message = errorMessage(response.body());
        }
        return new FeedPage(
                response.statusCode(),
                response.headers().firstValue("ETag").orElse(etag),
                events,
                seconds(response, "X-Poll-Interval").map(Duration::ofSeconds).orElse(null),
                RetryAfter.parse(
                                response.headers().firstValue("Retry-After").orElse(null),
                                response.headers().firstValue("Date").orElse(null),
                                Instant.now())
                        .orElse(null),
                seconds(response, "x-ratelimit-remaining").orElse(null),
                seconds(response, "x-ratelimit-reset").map(Instant::ofEpochSecond).orElse(null),
                response.headers().firstValue("Link").map(EventsFeed::nextLink).orElse(null),
                message);
    }

    /** GitHub's {@code message} of an error body, cut short; null when there is none. */
    private static String errorMessage(byte[] body) {
        try {
            JsonNode error = Json.mapper().readTree(body);
            String message = error == null ? null : error.path("message").asText(null);
            return message == null || message.length() <= 200 ? message : message.substring(0, 200);
        } catch (IOException e) {
            return null;
        }
    }

    /** The {@code rel="next"} URL of a {@code Link} header (RFC 8288), or null. */
    static String nextLink(String link) {
        for (String part : link.split(",")) {
            String[] pieces = part.split(";");
            String target = pieces[0].trim();
            for (int i = 1; i < pieces.length; i++) {
                String param = pieces[i].trim().replace(" ", "");
                if ((param.equals("rel=\"next\"") || param.equals("rel=next"))
                        && target.startsWith("<")
                        && target.endsWith(">")) {
                    return target.substring(1, target.length() - 1);
                }
            }
        }
        return null;
    }

    private static Optional<Long> seconds(HttpResponse<?> response, String header) {
        return response.headers()
                .firstValue(header)
                .flatMap(
                        value -> {
                            try {
                                return Optional.of(Long.parseLong(value.trim()));
                            } catch (NumberFormatException e) {
                                return Optional.empty();
                            }
                        });
    }
}
