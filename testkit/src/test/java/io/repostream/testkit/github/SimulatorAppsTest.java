package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GitHub App authentication as GitHub does it: JWT for the app, installation tokens per repo. */
class SimulatorAppsTest {
    private static final long APP = 31;
    private GitHubSimulator github;
    private KeyPair keys;

    @BeforeEach
    void start() {
        github = GitHubSimulator.start();
        github.createRepo("acme/api");
        github.createRepo("acme/web");
        github.createRepo("other/lib");
        keys = AppKeys.generate();
        github.registerApp(APP, keys.getPublic());
        github.installApp(APP, 501, "acme/api", "acme/web");
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private SimulatorHttp as(String token) {
        return new SimulatorHttp(github.baseUrl(), token);
    }

    @Test
    void anInstallationTokenSeesItsInstallationsReposOnly() {
        SimulatorHttp app = as(AppKeys.jwt(APP, keys.getPrivate()));
        SimulatorHttp.Response installation = app.get("/repos/acme/web/installation");
        assertThat(installation.status()).isEqualTo(200);
        assertThat(installation.json().path("id").asLong()).isEqualTo(501);
        assertThat(installation.json().path("app_id").asLong()).isEqualTo(APP);
        assertThat(app.get("/repos/other/lib/installation").status()).isEqualTo(404);

        SimulatorHttp.Response created = app.post("/app/installations/501/access_tokens", null);
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().path("token").asText();
        assertThat(token).startsWith("ghs_");
        assertThat(Instant.parse(created.json().path("expires_at").asText()))
                .isAfter(Instant.now().plusSeconds(3000));

        SimulatorHttp installed = as(token);
        assertThat(installed.get("/repos/acme/api").status()).isEqualTo(200);
        assertThat(
                        installed
                                .post("/repos/acme/api/issues", "{\"title\":\"from the app\"}")
                                .status())
                .isEqualTo(201);
        assertThat(installed.get("/repos/other/lib").status()).isEqualTo(404);
        assertThat(installed.get("/user").status()).isEqualTo(200);
        assertThat(github.installationTokensIssued()).containsEntry(501L, 1L);
        // the app's JWT is not a token for the REST API
        assertThat(app.get("/repos/acme/api").status()).isEqualTo(401);
    }

    @Test
    void refusesJwtsThatAreExpiredForeignOrTooLong() {
        Instant now = Instant.now();
        String expired =
                AppKeys.jwt(APP, keys.getPrivate(), now.minusSeconds(700), now.minusSeconds(100));
        String tooLong = AppKeys.jwt(APP, keys.getPrivate(), now, now.plusSeconds(3600));
        String foreign = AppKeys.jwt(APP, AppKeys.generate().getPrivate());
        String unknownApp = AppKeys.jwt(999, keys.getPrivate());

        for (String jwt : new String[] {expired, tooLong, foreign, unknownApp, "a.b.c"}) {
            SimulatorHttp.Response r = as(jwt).post("/app/installations/501/access_tokens", null);
            assertThat(r.status()).as(jwt).isEqualTo(401);
        }
        assertThat(
                        as(AppKeys.jwt(APP, keys.getPrivate()))
                                .post("/app/installations/999/access_tokens", null)
                                .status())
                .isEqualTo(404);
        assertThat(github.installationTokensIssued()).isEmpty();
    }

    @Test
    void anInstallationReportsThePermissionsItsOwnerGranted() {
        github.createRepo("lean/repo");
        github.installApp(
                APP, 502, java.util.Map.of("issues", "write", "metadata", "read"), "lean/repo");
        SimulatorHttp app = as(AppKeys.jwt(APP, keys.getPrivate()));

        SimulatorHttp.Response lean = app.get("/app/installations/502");
        assertThat(lean.status()).isEqualTo(200);
        assertThat(lean.json().path("permissions").properties())
                .extracting(e -> e.getKey() + ": " + e.getValue().asText())
                .containsExactly("issues: write", "metadata: read");
        SimulatorHttp.Response token = app.post("/app/installations/502/access_tokens", null);
        assertThat(token.json().path("permissions").path("actions").isMissingNode()).isTrue();
        assertThat(
                        app.get("/app/installations/501")
                                .json()
                                .path("permissions")
                                .path("actions")
                                .asText())
                .isEqualTo("write");
    }
}
