package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.githubapp.AppJwt;
import io.repostream.githubapp.InstallationToken;
import io.repostream.githubapp.InstallationTokens;
import io.repostream.githubapp.TokenRequest;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GitHub App authentication: the app's JWT buys an installation token per installation, and each
 * repo's requests use the token of the installation that owns it. The JWT and the token cache (kept
 * until five minutes before a token expires) come from {@code github-app-auth}; the executor adds
 * which installation owns a repo and sends the app's requests through its own HTTP call, so that a
 * refusal is a {@link GitHubException} with GitHub's status and rate-limit headers. Neither the key
 * nor a token is ever put into a message.
 */
public final class GitHubApp implements Credentials {
    private final String apiUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final InstallationTokens tokens;
    private final Map<String, Long> installationByRepo = new ConcurrentHashMap<>();

    /** The app's slug, learnt from an installation lookup; its bot is {@code <slug>[bot]}. */
    private volatile String slug;

    public GitHubApp(
            long appId,
            RSAPrivateKey key,
            String apiUrl,
            HttpClient http,
            Duration timeout,
            Clock clock) {
        this.apiUrl = apiUrl;
        this.http = http;
        this.timeout = timeout;
        this.tokens = new InstallationTokens(new AppJwt(appId, key, clock), this::newToken, clock);
    }

    /** Tells which installation owns a repo, when the action says so; saves a lookup. */
    public void knowInstallation(String repo, long installationId) {
        installationByRepo.put(repo, installationId);
    }

    @Override
    public String authorization(String repo) {
        long installation = installation(repo);
        try {
            return "token " + tokens.token(installation).value();
        } catch (IOException e) {
            // newToken throws GitHubException only; an IOException here is not GitHub's answer
            throw new GitHubException(
                    "no token of installation " + installation + ": " + e.getMessage(), 0, null, e);
        }
    }

    @Override
    public String budget(String repo) {
        return budgetOf(installation(repo));
    }

    @Override
    public Optional<String> knownBudget(String repo, Long installationId) {
        Long installation = installationId != null ? installationId : installationByRepo.get(repo);
        return Optional.ofNullable(installation).map(GitHubApp::budgetOf);
    }

    private static String budgetOf(long installation) {
        return "installation-" + installation;
    }

    long installation(String repo) {
        Long known = installationByRepo.get(repo);
        if (known != null) {
            return known;
        }
        JsonNode answer =
                send("GET", "/repos/" + repo + "/installation", "installation of " + repo);
        rememberSlug(answer);
        long id = answer.path("id").asLong(0);
        if (id <= 0) {
            throw new GitHubException(
                    "the GitHub App is not installed on " + repo, 404, null, null);
        }
        installationByRepo.put(repo, id);
        return id;
    }

    /**
     * The login the app's installation tokens write as, {@code <slug>[bot]}: comments by it are the
     * app's own. The slug comes from the installation of {@code repo}, asked once.
     */
    public String botLogin(String repo) {
        String known = slug;
        if (known == null) {
            rememberSlug(
                    send("GET", "/repos/" + repo + "/installation", "installation of " + repo));
            known = slug;
            if (known == null) {
                throw new GitHubException(
                        "GitHub named no app slug for the installation on " + repo, 0, null, null);
            }
        }
        return known + "[bot]";
    }

    private void rememberSlug(JsonNode installation) {
        String named = installation.path("app_slug").asText("");
        if (!named.isBlank()) {
            slug = named;
        }
    }

    /** The {@link TokenRequest} of {@link #tokens}, through this class's one HTTP call. */
    private InstallationToken newToken(long installation, String appJwt) {
        String what = "token of installation " + installation;
        return InstallationToken.fromAnswer(
                        send("POST", TokenRequest.path(installation), what, appJwt))
                .orElseThrow(
                        () ->
                                new GitHubException(
                                        "GitHub sent no token for installation " + installation,
                                        0,
                                        null,
                                        null));
    }

    private JsonNode send(String method, String path, String what) {
        return send(method, path, what, tokens.appJwt());
    }

    private JsonNode send(String method, String path, String what, String appJwt) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(apiUrl + path))
                        .timeout(timeout)
                        .header("Authorization", "Bearer " + appJwt)
                        .header("Accept", "application/vnd.github+json")
                        .header("X-GitHub-Api-Version", "2022-11-28")
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GitHubException(
                    "no answer asking GitHub for the " + what + ": " + e.getMessage(), 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException("interrupted asking GitHub for the " + what, 0, null, e);
        }
        GitHubResponse seen = GitHubResponse.of(response.statusCode(), response.headers().map());
        if (response.statusCode() >= 300) {
            throw new GitHubException(
                    "GitHub answered " + response.statusCode() + " asking for the " + what,
                    response.statusCode(),
                    seen,
                    null);
        }
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new GitHubException(
                    "GitHub's answer for the " + what + " is not JSON",
                    response.statusCode(),
                    seen,
                    e);
        }
    }

    @Override
    public String toString() {
        return "GitHub App " + tokens.appId() + " (key ****)";
    }
}
