package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.githubapp.AppJwt;
import io.repostream.githubapp.InstallationToken;
import io.repostream.githubapp.InstallationTokens;
import io.repostream.githubapp.TokenRequest;
import java.io.IOException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GitHub App authentication: the app's JWT buys an installation token per installation, and each
 * repo's requests use the token of the installation that owns it. The JWT and the token cache (kept
 * until five minutes before a token expires) come from {@code github-app-auth}; the executor adds
 * which installation owns a repo and sends the app's requests through the executor's {@link
 * GitHubHttp} (the transport and metrics, not the write gate: these are reads with the app's JWT),
 * so that a refusal is a {@link GitHubException} with GitHub's status and rate-limit headers.
 * Neither the key nor a token is ever put into a message.
 */
public final class GitHubApp implements Credentials {
    private final GitHubHttp http;
    private final InstallationTokens tokens;
    private final Map<String, Long> installationByRepo = new ConcurrentHashMap<>();

    /** What each installation was granted, asked once per installation. */
    private final Map<Long, Map<String, String>> permissionsByInstallation =
            new ConcurrentHashMap<>();

    /** The app's slug, learnt from an installation lookup; its bot is {@code <slug>[bot]}. */
    private volatile String slug;

    public GitHubApp(long appId, RSAPrivateKey key, GitHubHttp http, Clock clock) {
        this.http = http;
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
     * The permissions the installation that owns {@code repo} was granted ({@code GET
     * /app/installations/{installation_id}}), asked once per installation and process: an owner who
     * grants more later is seen after a restart.
     *
     * @param installationId as the action names it, or null to look it up by repo
     */
    public Map<String, String> permissions(String repo, Long installationId) {
        long installation = installationId != null ? installationId : installation(repo);
        return permissionsByInstallation.computeIfAbsent(
                installation,
                id -> {
                    JsonNode answer =
                            send(
                                    "GET",
                                    "/app/installations/" + id,
                                    "permissions of installation " + id);
                    rememberSlug(answer);
                    Map<String, String> granted = new java.util.TreeMap<>();
                    answer.path("permissions")
                            .properties()
                            .forEach(e -> granted.put(e.getKey(), e.getValue().asText()));
                    return Map.copyOf(granted);
                });
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
        return http.send(
                        new GitHubRequest(
                                operation(method, path),
                                RequestGate.Kind.READ,
                                method,
                                path,
                                null,
                                null,
                                "the " + what,
                                "Bearer " + appJwt,
                                null))
                .body();
    }

    private static String operation(String method, String path) {
        if (method.equals("POST")) {
            return "create_installation_token";
        }
        return path.startsWith("/app/") ? "get_installation" : "get_repo_installation";
    }

    @Override
    public String toString() {
        return "GitHub App " + tokens.appId() + " (key ****)";
    }
}
