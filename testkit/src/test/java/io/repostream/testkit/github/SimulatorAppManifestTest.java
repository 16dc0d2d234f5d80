package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GitHub's App manifest flow and the installations list, as GitHub serves them. */
class SimulatorAppManifestTest {
    private static final String MANIFEST =
            """
            {"name": "Repostream Acme", "url": "https://example.com/repostream",
             "hook_attributes": {"url": "https://example.com/webhooks/github"},
             "redirect_url": "http://127.0.0.1:1/callback",
             "public": false,
             "default_permissions": {"issues": "write", "checks": "read"},
             "default_events": ["issues", "check_run"]}
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private GitHubSimulator github;

    @BeforeEach
    void start() {
        github = GitHubSimulator.start();
        github.createOrganization("acme");
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void aManifestPostedByASignedInPersonComesBackAsACodeThatConvertsOnce() throws Exception {
        github.signInOnWeb("alice");

        HttpResponse<String> posted =
                postForm("/organizations/acme/settings/apps/new?state=s-42", MANIFEST);

        assertThat(posted.statusCode()).isEqualTo(302);
        String location = posted.headers().firstValue("Location").orElseThrow();
        assertThat(location)
                .startsWith("http://127.0.0.1:1/callback?code=")
                .endsWith("&state=s-42");
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf('&'));

        SimulatorHttp anonymous = new SimulatorHttp(github.baseUrl(), null);
        SimulatorHttp.Response converted =
                anonymous.post("/app-manifests/" + code + "/conversions", null);
        assertThat(converted.status()).isEqualTo(201);
        assertThat(converted.json().path("slug").asText()).isEqualTo("repostream-acme");
        assertThat(converted.json().path("name").asText()).isEqualTo("Repostream Acme");
        assertThat(converted.json().path("owner").path("login").asText()).isEqualTo("acme");
        assertThat(converted.json().path("pem").asText())
                .startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
        assertThat(converted.json().path("webhook_secret").asText()).hasSize(40);
        assertThat(converted.json().path("permissions").path("issues").asText()).isEqualTo("write");
        assertThat(converted.json().path("permissions").path("metadata").asText())
                .isEqualTo("read");
        assertThat(converted.json().path("events").toString())
                .isEqualTo("[\"issues\",\"check_run\"]");

        assertThat(anonymous.post("/app-manifests/" + code + "/conversions", null).status())
                .as("a code converts once")
                .isEqualTo(404);
        assertThat(anonymous.post("/app-manifests/bogus/conversions", null).status())
                .isEqualTo(404);
    }

    @Test
    void aManifestFromNobodySignedInOrWithoutItsUrlIsRefused() throws Exception {
        assertThat(postForm("/settings/apps/new", MANIFEST).statusCode()).isEqualTo(401);

        github.signInOnWeb("alice");
        assertThat(postForm("/settings/apps/new", "{\"name\":\"x\"}").statusCode()).isEqualTo(422);
        assertThat(postForm("/settings/apps/new", "not json").statusCode()).isEqualTo(422);
        assertThat(postForm("/organizations/nobody/settings/apps/new", MANIFEST).statusCode())
                .isEqualTo(404);
    }

    @Test
    void theInstallationsListSaysWhatEachInstallationGrantsAndSubscribesTo() {
        github.createRepo("acme/api");
        github.createRepo("bob/lib");
        KeyPair keys = AppKeys.generate();
        github.registerApp(31, keys.getPublic());
        github.installApp(31, 501, Map.of("issues", "read"), List.of("issues"), "acme/api");
        github.installApp(31, 502, "bob/lib");

        SimulatorHttp.Response list =
                new SimulatorHttp(github.baseUrl(), AppKeys.jwt(31, keys.getPrivate()))
                        .get("/app/installations");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).hasSize(2);
        assertThat(list.json().get(0).path("id").asLong()).isEqualTo(501);
        assertThat(list.json().get(0).path("account").path("login").asText()).isEqualTo("acme");
        assertThat(list.json().get(0).path("permissions").toString())
                .isEqualTo("{\"issues\":\"read\"}");
        assertThat(list.json().get(0).path("events").toString()).isEqualTo("[\"issues\"]");
        assertThat(list.json().get(1).path("events").toString())
                .isEqualTo("[\"issues\",\"issue_comment\",\"workflow_run\"]");
        assertThat(
                        new SimulatorHttp(github.baseUrl(), "not.a.jwt")
                                .get("/app/installations")
                                .status())
                .isEqualTo(401);
    }

    private HttpResponse<String> postForm(String path, String manifest) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(github.baseUrl() + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "manifest="
                                                + URLEncoder.encode(
                                                        manifest, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
