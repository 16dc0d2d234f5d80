package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OAuth web application flow as GitHub documents it: authorize redirects back with a code and
 * the app's state; the code is exchanged once for a user token; wrong credentials, a used code and
 * a foreign callback are refused the way GitHub refuses them; the token's user then sees the
 * repository's permissions of their role.
 */
class SimulatorOAuthTest {
    private static final String CALLBACK = "http://127.0.0.1:1/oauth/callback";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GitHubSimulator github;

    @BeforeAll
    static void start() {
        github = GitHubSimulator.start();
        github.createRepo("acme/oauth");
        github.registerOAuthApp("Iv1.test", "the-secret", CALLBACK);
        github.addCollaborator("acme/oauth", "olivia", "write");
    }

    @AfterAll
    static void stop() {
        github.close();
    }

    @Test
    void exchangesACodeOnceForAUserTokenThatSeesItsRolesPermissions() throws Exception {
        github.signInOnWeb("olivia");
        String code = authorize("Iv1.test", CALLBACK, "st4te");

        JsonNode token = exchange("Iv1.test", "the-secret", code);
        assertThat(token.path("token_type").asText()).isEqualTo("bearer");
        String accessToken = token.path("access_token").asText();
        assertThat(accessToken).startsWith("gho_");
        assertThat(exchange("Iv1.test", "the-secret", code).path("error").asText())
                .isEqualTo("bad_verification_code");

        JsonNode user = get("/user", accessToken);
        assertThat(user.path("login").asText()).isEqualTo("olivia");
        JsonNode permissions = get("/repos/acme/oauth", accessToken).path("permissions");
        assertThat(permissions.path("push").asBoolean()).isTrue();
        assertThat(permissions.path("maintain").asBoolean()).isFalse();
        assertThat(permissions.path("admin").asBoolean()).isFalse();
    }

    @Test
    void refusesWrongClientCredentialsAndAForeignCallbackAsGitHubDoes() throws Exception {
        github.signInOnWeb("olivia");
        String code = authorize("Iv1.test", CALLBACK, "s");
        assertThat(exchange("Iv1.test", "wrong", code).path("error").asText())
                .isEqualTo("incorrect_client_credentials");

        HttpResponse<String> foreign =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                github.baseUrl()
                                                        + "/login/oauth/authorize?client_id=Iv1.test&state=s&redirect_uri="
                                                        + "http://evil.example/cb"))
                                .build());
        assertThat(foreign.statusCode()).isEqualTo(302);
        assertThat(foreign.headers().firstValue("Location").orElseThrow())
                .startsWith(CALLBACK + "?")
                .contains("error=redirect_uri_mismatch");
        HttpResponse<String> unknown =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                github.baseUrl()
                                                        + "/login/oauth/authorize?client_id=nope"))
                                .build());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    private static String authorize(String clientId, String callback, String state)
            throws Exception {
        HttpResponse<String> answer =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                github.baseUrl()
                                                        + "/login/oauth/authorize?client_id="
                                                        + clientId
                                                        + "&redirect_uri="
                                                        + callback
                                                        + "&state="
                                                        + state))
                                .build());
        assertThat(answer.statusCode()).isEqualTo(302);
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(callback + "?code=").endsWith("&state=" + state);
        return location.substring(location.indexOf("code=") + 5, location.indexOf('&'));
    }

    private static JsonNode exchange(String clientId, String secret, String code) throws Exception {
        HttpResponse<String> answer =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(github.baseUrl() + "/login/oauth/access_token"))
                                .header("Accept", "application/json")
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "client_id="
                                                        + clientId
                                                        + "&client_secret="
                                                        + secret
                                                        + "&code="
                                                        + code)));
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> answer =
                send(
                        HttpRequest.newBuilder(URI.create(github.baseUrl() + path))
                                .header("Authorization", "Bearer " + token));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
