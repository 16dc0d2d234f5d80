package io.repostream.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sign-in with GitHub, OAuth's web application flow: the person is sent to GitHub's {@code
 * /login/oauth/authorize} with an unguessable {@code state}, comes back with a code, which is
 * exchanged for their token at {@code /login/oauth/access_token}; {@code GET /user} says who they
 * are and {@code GET /repos/{owner}/{repo}}'s {@code permissions} what they may do here. The token
 * is used for those two reads and dropped: never stored, never logged.
 *
 * <p>Roles: {@code admin} permission on the repository makes an admin (kill switch), {@code
 * maintain} or {@code push} (write) an operator (undo), {@code triage}, or {@code pull} (read) on a
 * private repository, a viewer; anybody else is refused (on a public repository everybody may pull,
 * so a viewer needs triage there).
 */
public final class GitHubSignIn {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Settings settings;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param clientId the OAuth App's (or GitHub App's) client id
     * @param clientSecret its client secret (never logged)
     * @param webUrl GitHub's web address, where the web flow is ({@code https://github.com})
     * @param apiUrl GitHub's API ({@code https://api.github.com})
     * @param publicUrl the console's own address as browsers reach it; the callback is {@code
     *     publicUrl/oauth/callback}, registered as the app's callback URL
     * @param repo the repository whose permission gives the roles ({@code owner/repo})
     * @param scope OAuth scopes to ask for (empty for an OAuth App on public repositories or a
     *     GitHub App; {@code repo} for an OAuth App that must read a private repository)
     */
    public record Settings(
            String clientId,
            String clientSecret,
            String webUrl,
            String apiUrl,
            String publicUrl,
            String repo,
            String scope) {
        public Settings {
            require(clientId, "the GitHub OAuth client id");
            require(clientSecret, "the GitHub OAuth client secret");
            require(publicUrl, "the console's public URL (for GitHub's callback)");
            require(repo, "the repository whose permission gives the roles (owner/repo)");
            if (!repo.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException(
                        "the sign-in repository must be owner/repo, got " + repo);
            }
            webUrl = trim(webUrl);
            apiUrl = trim(apiUrl);
            publicUrl = trim(publicUrl);
            scope = scope == null ? "" : scope.strip();
        }

        @Override
        public String toString() {
            return "GitHubSignIn[clientId="
                    + clientId
                    + ", clientSecret=****, webUrl="
                    + webUrl
                    + ", apiUrl="
                    + apiUrl
                    + ", publicUrl="
                    + publicUrl
                    + ", repo="
                    + repo
                    + ", scope="
                    + scope
                    + "]";
        }

        private static String trim(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        private static void require(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " is required for GitHub sign-in");
            }
        }
    }

    /** Signing in did not work for a reason the person should read. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    public GitHubSignIn(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Session cookies only over HTTPS when the console is reached over HTTPS. */
    public boolean secureCookies() {
        return settings.publicUrl().startsWith("https://");
    }

    /** Where to send the person to sign in, carrying {@code state}. */
    public String authorizeUrl(String state) {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", callbackUrl());
        query.put("state", state);
        query.put("allow_signup", "false");
        if (!settings.scope().isEmpty()) {
            query.put("scope", settings.scope());
        }
        return settings.webUrl() + "/login/oauth/authorize?" + form(query);
    }

    public String callbackUrl() {
        return settings.publicUrl() + "/oauth/callback";
    }

    /**
     * Exchanges {@code code} for the person's token and reads who they are and their role.
     *
     * @throws Refused when GitHub refuses the code or the person may not see the repository
     */
    public Person complete(String code) {
        Map<String, String> exchange = new java.util.LinkedHashMap<>();
        exchange.put("client_id", settings.clientId());
        exchange.put("client_secret", settings.clientSecret());
        exchange.put("code", code);
        exchange.put("redirect_uri", callbackUrl());
        HttpResponse<String> tokenAnswer =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(settings.webUrl() + "/login/oauth/access_token"))
                                .header("Accept", "application/json")
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form(exchange))));
        JsonNode token = parse(tokenAnswer);
        if (tokenAnswer.statusCode() != 200 || !token.hasNonNull("access_token")) {
            // GitHub answers 200 with an error for a bad or used code
            throw new Refused(
                    "GitHub did not accept the sign-in ("
                            + token.path("error").asText("HTTP " + tokenAnswer.statusCode())
                            + "): sign in again at /login");
        }
        String accessToken = token.get("access_token").asText();
        JsonNode user = api("/user", accessToken, "who you are");
        String login = user.path("login").asText(null);
        if (login == null) {
            throw new IllegalStateException("GitHub's /user answer has no login");
        }
        HttpResponse<String> repoAnswer = get("/repos/" + settings.repo(), accessToken);
        if (repoAnswer.statusCode() == 404 || repoAnswer.statusCode() == 403) {
            throw new Refused(
                    login
                            + " cannot read "
                            + settings.repo()
                            + " on GitHub, so may not use this console");
        }
        if (repoAnswer.statusCode() != 200) {
            throw new IllegalStateException(
                    "GitHub answered HTTP "
                            + repoAnswer.statusCode()
                            + " reading "
                            + settings.repo());
        }
        JsonNode repo = parse(repoAnswer);
        return new Person(
                login, role(login, repo.path("permissions"), repo.path("private").asBoolean(true)));
    }

    /**
     * The role the repository permission gives. On a public repository everybody may pull, so
     * pulling alone lets nobody in there: a viewer needs triage.
     */
    Role role(String login, JsonNode permissions, boolean privateRepo) {
        if (permissions.path("admin").asBoolean(false)) {
            return Role.ADMIN;
        }
        if (permissions.path("maintain").asBoolean(false)
                || permissions.path("push").asBoolean(false)) {
            return Role.OPERATOR;
        }
        if (permissions.path("triage").asBoolean(false)
                || (privateRepo && permissions.path("pull").asBoolean(false))) {
            return Role.VIEWER;
        }
        throw new Refused(
                login
                        + " has no permission on "
                        + settings.repo()
                        + ", so may not use this console");
    }

    private JsonNode api(String path, String accessToken, String what) {
        HttpResponse<String> answer = get(path, accessToken);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(
                    "GitHub answered HTTP " + answer.statusCode() + " asking " + what);
        }
        return parse(answer);
    }

    private HttpResponse<String> get(String path, String accessToken) {
        return send(
                HttpRequest.newBuilder(URI.create(settings.apiUrl() + path))
                        .header("Accept", "application/vnd.github+json")
                        .header("X-GitHub-Api-Version", "2022-11-28")
                        .header("Authorization", "Bearer " + accessToken)
                        .GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(
                    request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // the exception names the host, never the request's headers or body
            throw new IllegalStateException(
                    "GitHub did not answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking GitHub");
        }
    }

    private static JsonNode parse(HttpResponse<String> answer) {
        try {
            JsonNode node = JSON.readTree(answer.body());
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(
                        e ->
                                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                                        + "="
                                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
