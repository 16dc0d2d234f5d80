package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * GitHub's OAuth web application flow, served on the simulator's base URL (GitHub serves it on
 * {@code github.com}, beside the API on {@code api.github.com}): {@code GET /login/oauth/authorize}
 * sends the person signed in on the simulated web ({@link GitHubSimulator#signInOnWeb}) straight
 * back to the app's callback with a code and the app's {@code state} (as GitHub does once the app
 * is authorized); {@code POST /login/oauth/access_token} exchanges the code, once and within 10
 * minutes, for a user token that the API then knows. Failures are GitHub's: an unknown client id is
 * a 404 page, a callback that is not the registered one comes back with {@code
 * error=redirect_uri_mismatch}, and the token endpoint answers 200 with {@code error} ({@code
 * incorrect_client_credentials}, {@code bad_verification_code}, {@code redirect_uri_mismatch}).
 */
final class OAuthWebFlow {
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    record App(String clientId, String clientSecret, String callbackUrl) {}

    private record Code(String clientId, String login, String redirectUri, Instant expiresAt) {}

    private final SimulatedGitHub state;
    private final Map<String, App> apps = new HashMap<>();
    private final Map<String, Code> codes = new HashMap<>();
    private String webLogin;
    private int tokensIssued;

    OAuthWebFlow(SimulatedGitHub state) {
        this.state = state;
    }

    void mount(Router router) {
        router.get("/login/oauth/authorize").handler(this::authorize);
        router.post("/login/oauth/access_token").handler(this::accessToken);
    }

    void register(App app) {
        synchronized (state) {
            apps.put(app.clientId(), app);
        }
    }

    void signIn(String login) {
        synchronized (state) {
            state.user(login);
            webLogin = login;
        }
    }

    /** Who is signed in on the simulated web, or null. */
    String signedIn() {
        synchronized (state) {
            return webLogin;
        }
    }

    int tokensIssued() {
        synchronized (state) {
            return tokensIssued;
        }
    }

    private void authorize(RoutingContext ctx) {
        String clientId = ctx.request().getParam("client_id");
        String redirectUri = ctx.request().getParam("redirect_uri");
        String appState = ctx.request().getParam("state");
        String location;
        synchronized (state) {
            App app = clientId == null ? null : apps.get(clientId);
            if (app == null) {
                ctx.response().setStatusCode(404).end("Not Found");
                return;
            }
            String callback = redirectUri == null ? app.callbackUrl() : redirectUri;
            if (!matches(app.callbackUrl(), callback)) {
                location =
                        with(
                                app.callbackUrl(),
                                Map.of(
                                        "error", "redirect_uri_mismatch",
                                        "error_description",
                                                "The redirect_uri MUST match the registered callback URL for this application.",
                                        "state", appState == null ? "" : appState));
            } else if (webLogin == null) {
                ctx.response()
                        .setStatusCode(401)
                        .end("Sign in to the simulated GitHub first (GitHubSimulator.signInOnWeb)");
                return;
            } else {
                String code = HexFormat.of().formatHex(bytes(10));
                codes.put(
                        code,
                        new Code(clientId, webLogin, redirectUri, state.now().plus(CODE_LIFETIME)));
                Map<String, String> query = new java.util.LinkedHashMap<>();
                query.put("code", code);
                if (appState != null) {
                    query.put("state", appState);
                }
                location = with(callback, query);
            }
        }
        ctx.response().setStatusCode(302).putHeader("Location", location).end();
    }

    private void accessToken(RoutingContext ctx) {
        String clientId = param(ctx, "client_id");
        String secret = param(ctx, "client_secret");
        String code = param(ctx, "code");
        String redirectUri = param(ctx, "redirect_uri");
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        synchronized (state) {
            App app = clientId == null ? null : apps.get(clientId);
            Code issued = code == null ? null : codes.get(code);
            if (app == null || secret == null || !app.clientSecret().equals(secret)) {
                error(
                        answer,
                        "incorrect_client_credentials",
                        "The client_id and/or client_secret passed are incorrect.");
            } else if (issued == null
                    || !issued.clientId().equals(clientId)
                    || !state.now().isBefore(issued.expiresAt())) {
                codes.remove(code);
                error(answer, "bad_verification_code", "The code passed is incorrect or expired.");
            } else if (redirectUri != null && !redirectUri.equals(issued.redirectUri())) {
                error(
                        answer,
                        "redirect_uri_mismatch",
                        "The redirect_uri MUST match the registered callback URL for this application.");
            } else {
                codes.remove(code);
                String token = "gho_" + HexFormat.of().formatHex(bytes(18));
                state.addToken(token, issued.login());
                tokensIssued++;
                answer.put("access_token", token);
                answer.put("token_type", "bearer");
                answer.put("scope", "");
            }
        }
        String accept = ctx.request().getHeader("Accept");
        if (accept != null && accept.contains("application/json")) {
            ctx.response()
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(answer.toString());
            return;
        }
        StringBuilder form = new StringBuilder();
        answer.fields()
                .forEachRemaining(
                        e -> {
                            if (form.length() > 0) {
                                form.append('&');
                            }
                            form.append(e.getKey())
                                    .append('=')
                                    .append(
                                            URLEncoder.encode(
                                                    e.getValue().asText(), StandardCharsets.UTF_8));
                        });
        ctx.response()
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .end(form.toString());
    }

    private static String param(RoutingContext ctx, String name) {
        String form = ctx.request().getFormAttribute(name);
        return form != null ? form : ctx.request().getParam(name);
    }

    private static void error(ObjectNode answer, String error, String description) {
        answer.put("error", error);
        answer.put("error_description", description);
        answer.put(
                "error_uri",
                "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/");
    }

    /**
     * GitHub's rule: the redirect URI's host and port must be the callback URL's, and its path the
     * callback's path or below it.
     */
    private static boolean matches(String registered, String redirect) {
        try {
            URI r = URI.create(registered);
            URI u = URI.create(redirect);
            return r.getScheme().equals(u.getScheme())
                    && r.getHost().equalsIgnoreCase(u.getHost())
                    && r.getPort() == u.getPort()
                    && u.getPath().startsWith(r.getPath());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String with(String url, Map<String, String> query) {
        StringBuilder out = new StringBuilder(url).append(url.contains("?") ? '&' : '?');
        boolean first = true;
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (!first) {
                out.append('&');
            }
            first = false;
            out.append(e.getKey())
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
