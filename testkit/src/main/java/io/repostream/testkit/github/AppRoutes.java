package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * The GitHub App endpoints: what an installation-token client needs and {@code GET
 * /app/installations}, answered for the app whose JWT authenticated the request ({@link
 * ApiRequest#login()} is {@code app:<id>} on these routes); and the manifest flow's code
 * conversion, which needs no authentication.
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
        ObjectNode body = appBody(app, app.slug(), null);
        body.put("installations_count", state.installationCount(app.id()));
        return ApiResponse.ok(body);
    }

    /** {@code GET /app/installations}: the app's installations, oldest first, one page. */
    ApiResponse listInstallations(ApiRequest request) {
        long appId = appId(request);
        com.fasterxml.jackson.databind.node.ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (SimulatedApp.Installation installation : state.installationsOf(appId)) {
            list.add(installation(installation));
        }
        return ApiResponse.ok(list);
    }

    /**
     * {@code POST /app-manifests/{code}/conversions}: the app the manifest flow registered under
     * {@code code}, with its private key, webhook secret and client secret; once, within an hour of
     * the redirect (GitHub: "the code expires after one hour"), otherwise GitHub's 404. No
     * authentication: the code is the credential.
     */
    ApiResponse convertManifest(ApiRequest request) {
        String code = request.param("code");
        SimulatedApp.PendingConversion pending = code == null ? null : state.takeConversion(code);
        if (pending == null || !state.now().isBefore(pending.expiresAt())) {
            throw ApiError.notFound();
        }
        SimulatedApp app = pending.app();
        ObjectNode body = appBody(app, pending.name(), pending.description());
        body.put("external_url", pending.url());
        body.put("webhook_secret", pending.webhookSecret());
        body.put("pem", pending.pem());
        body.put("client_secret", pending.clientSecret());
        return ApiResponse.of(201, body);
    }

    /** GitHub's {@code github-app}: what {@code GET /app} and the conversion share. */
    private ObjectNode appBody(SimulatedApp app, String name, String description) {
        String owner = app.owner();
        if (owner == null) {
            SimulatedApp.Installation first = state.firstInstallationOf(app.id());
            owner = first != null ? first.account() : app.slug() + "[bot]";
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", app.id());
        body.put("slug", app.slug());
        body.put("node_id", "A_" + app.id());
        body.put("client_id", "Iv1." + app.id());
        body.set("owner", json.user(owner));
        body.put("name", name);
        if (description == null) {
            body.putNull("description");
        } else {
            body.put("description", description);
        }
        body.put("external_url", json.api() + "/apps/" + app.slug());
        body.put("html_url", json.api() + "/apps/" + app.slug());
        body.put("created_at", GitHubJson.ts(java.time.Instant.EPOCH));
        body.put("updated_at", GitHubJson.ts(java.time.Instant.EPOCH));
        body.set("permissions", permissions(app.permissions()));
        com.fasterxml.jackson.databind.node.ArrayNode events = body.putArray("events");
        app.events().forEach(events::add);
        return body;
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
        com.fasterxml.jackson.databind.node.ArrayNode events = body.putArray("events");
        installation.events().forEach(events::add);
        body.put("created_at", GitHubJson.ts(installation.at()));
        body.put("updated_at", GitHubJson.ts(installation.at()));
        body.putNull("single_file_name");
        body.putNull("suspended_by");
        body.putNull("suspended_at");
        return body;
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
