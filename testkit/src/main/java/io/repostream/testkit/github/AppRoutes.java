package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * The two GitHub App endpoints an installation-token client needs, answered for the app whose JWT
 * authenticated the request ({@link ApiRequest#login()} is {@code app:<id>} on these routes).
 */
final class AppRoutes {
    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final SimulatedGitHub state;
    private final GitHubJson json;
    private final SecureRandom random = new SecureRandom();

    AppRoutes(SimulatedGitHub state, GitHubJson json) {
        this.state = state;
        this.json = json;
    }

    /** {@code GET /repos/{owner}/{repo}/installation}: the app's installation covering it. */
    ApiResponse repoInstallation(ApiRequest request) {
        long appId = appId(request);
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedApp.Installation installation = state.installationFor(appId, repo);
        if (installation == null) {
            throw ApiError.notFound();
        }
        return ApiResponse.of(200, installation(installation));
    }

    /** {@code GET /app}: the app whose JWT authenticated the request. */
    ApiResponse app(ApiRequest request) {
        SimulatedApp app = state.app(appId(request));
        SimulatedApp.Installation first = state.firstInstallationOf(app.id());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", app.id());
        body.put("slug", app.slug());
        body.put("node_id", "A_" + app.id());
        body.put("client_id", "Iv1." + app.id());
        body.set("owner", json.user(first != null ? first.account() : app.slug() + "[bot]"));
        body.put("name", app.slug());
        body.putNull("description");
        body.put("external_url", json.api() + "/apps/" + app.slug());
        body.put("html_url", json.api() + "/apps/" + app.slug());
        body.put("created_at", GitHubJson.ts(java.time.Instant.EPOCH));
        body.put("updated_at", GitHubJson.ts(java.time.Instant.EPOCH));
        body.set("permissions", permissions());
        body.putArray("events").add("issues").add("issue_comment").add("workflow_run");
        body.put("installations_count", state.installationCount(app.id()));
        return ApiResponse.ok(body);
    }

    /** {@code GET /app/installations/{installation_id}}: one of the app's installations. */
    ApiResponse getInstallation(ApiRequest request) {
        return ApiResponse.ok(installation(installationOfTheApp(request)));
    }

    /** {@code POST /app/installations/{installation_id}/access_tokens}: a one-hour token. */
    ApiResponse createAccessToken(ApiRequest request) {
        SimulatedApp.Installation installation = installationOfTheApp(request);
        StringBuilder token = new StringBuilder("ghs_");
        for (int i = 0; i < 36; i++) {
            token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        Instant expiresAt = state.now().plus(state.installationTokenLifetime());
        state.addInstallationToken(token.toString(), installation, expiresAt);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("token", token.toString());
        body.put("expires_at", GitHubJson.ts(expiresAt));
        body.set("permissions", permissions(installation.permissions()));
        body.put("repository_selection", "selected");
        return ApiResponse.of(201, body);
    }

    /** The {@code installation_id} of the path; another app's installation is GitHub's 404. */
    private SimulatedApp.Installation installationOfTheApp(ApiRequest request) {
        long appId = appId(request);
        SimulatedApp.Installation installation =
                state.installation(request.number("installation_id"));
        if (installation == null || installation.appId() != appId) {
            throw ApiError.notFound();
        }
        return installation;
    }

    private ObjectNode installation(SimulatedApp.Installation installation) {
        SimulatedApp app = state.app(installation.appId());
        String api = json.api();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", installation.id());
        body.set("account", json.user(installation.account()));
        body.put("repository_selection", "selected");
        body.put(
                "access_tokens_url",
                api + "/app/installations/" + installation.id() + "/access_tokens");
        body.put("repositories_url", api + "/installation/repositories");
        body.put("html_url", api + "/settings/installations/" + installation.id());
        body.put("app_id", app.id());
        body.put("app_slug", app.slug());
        body.put("target_id", state.user(installation.account()).id());
        body.put("target_type", "Organization");
        body.set("permissions", permissions(installation.permissions()));
        body.putArray("events").add("issues").add("issue_comment").add("workflow_run");
        body.put("created_at", GitHubJson.ts(installation.at()));
        body.put("updated_at", GitHubJson.ts(installation.at()));
        body.putNull("single_file_name");
        body.putNull("suspended_by");
        body.putNull("suspended_at");
        return body;
    }

    /** The app's own (requested) permissions. */
    private static ObjectNode permissions() {
        return permissions(GitHubSimulator.DEFAULT_INSTALLATION_PERMISSIONS);
    }

    /** Permissions as GitHub writes them: name to level, in name order. */
    private static ObjectNode permissions(java.util.Map<String, String> granted) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        new java.util.TreeMap<>(granted).forEach(p::put);
        return p;
    }

    private static long appId(ApiRequest request) {
        String login = request.login();
        if (login == null || !login.startsWith("app:")) {
            // not reachable through the pipeline, which authenticates app routes by JWT
            throw ApiError.of(401, "A JSON web token could not be decoded");
        }
        return Long.parseLong(login.substring(4));
    }
}
