package io.repostream.bridge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Polling of repositories through GitHub's REST API, for repositories without webhooks and to fill
 * gaps. {@link #toString()} never shows the token.
 *
 * @param apiUrl the API root ({@code https://api.github.com}, or a simulator's)
 * @param token the token sent as {@code Authorization: Bearer}
 * @param repos lowercase {@code owner/repo} to poll; empty = polling off
 * @param interval the least time between two polls of one repository; GitHub's {@code
 *     X-Poll-Interval} lengthens it
 * @param stateFile where cursors (ETag and last event id per repository) survive restarts; null
 *     keeps them in memory only (then a restart re-reads the first page, and the dedupe window
 *     keeps it from writing anything twice)
 * @param hooks webhooks whose failed deliveries are redelivered on start and by {@link
 *     IngestBridge#gapFill()}: {@code owner/repo#<hook id>} or {@code org:<login>#<hook id>}
 * @param app authenticate as this GitHub App installation instead of with {@code token}
 */
public record PollConfig(
        String apiUrl,
        String token,
        List<String> repos,
        Duration interval,
        Path stateFile,
        List<String> hooks,
        GitHubApp app) {

    /** Polling only, no gap fill, with a token. */
    public PollConfig(
            String apiUrl, String token, List<String> repos, Duration interval, Path stateFile) {
        this(apiUrl, token, repos, interval, stateFile, List.of(), null);
    }

    /** With a token. */
    public PollConfig(
            String apiUrl,
            String token,
            List<String> repos,
            Duration interval,
            Path stateFile,
            List<String> hooks) {
        this(apiUrl, token, repos, interval, stateFile, hooks, null);
    }

    public PollConfig {
        repos =
                repos == null
                        ? List.of()
                        : repos.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList();
        interval = interval == null ? Duration.ofSeconds(60) : interval;
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
        if (!repos.isEmpty() || !hooks.isEmpty()) {
            if (apiUrl == null || apiUrl.isBlank()) {
                throw new IllegalArgumentException(
                        "poll.api_url is required to poll " + repos + " or fill gaps of " + hooks);
            }
            if ((token == null || token.isBlank()) && app == null) {
                throw new IllegalArgumentException(
                        "poll.token (or poll.app) is required to poll "
                                + repos
                                + " or fill gaps of "
                                + hooks);
            }
            for (String repo : repos) {
                if (!repo.matches("[a-z0-9][a-z0-9._-]*/[a-z0-9._-]+")) {
                    throw new IllegalArgumentException(
                            "poll.repos: '" + repo + "' is not owner/repo");
                }
            }
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll.interval must be positive");
        }
        apiUrl = apiUrl == null ? null : apiUrl.replaceAll("/+$", "");
    }

    public static PollConfig disabled() {
        return new PollConfig(null, null, List.of(), Duration.ofSeconds(60), null, List.of(), null);
    }

    /**
     * The Authorization header source: the app installation when configured, else the token. {@code
     * timeout} bounds each request for an installation token.
     */
    public io.repostream.bridge.poll.GitHubAuth auth(java.time.Duration timeout) {
        return app != null
                ? io.repostream.bridge.poll.GitHubAuth.app(apiUrl, app, timeout)
                : io.repostream.bridge.poll.GitHubAuth.token(token);
    }

    /** Whether any repository is polled. */
    public boolean enabled() {
        return !repos.isEmpty();
    }

    /** Whether any hook's failed deliveries are redelivered. */
    public boolean fillsGaps() {
        return !hooks.isEmpty();
    }

    @Override
    public String toString() {
        return "PollConfig[apiUrl="
                + apiUrl
                + ", token="
                + (token == null ? "none" : "***")
                + ", repos="
                + repos
                + ", interval="
                + interval
                + ", stateFile="
                + stateFile
                + "]";
    }
}
