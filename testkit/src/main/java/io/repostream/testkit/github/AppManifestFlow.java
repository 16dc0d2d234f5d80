package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The web half of GitHub's App manifest flow, served on the simulator's base URL (GitHub serves it
 * on {@code github.com}): a form posted to {@code /settings/apps/new} (a personal app) or {@code
 * /organizations/{org}/settings/apps/new} (an organization's) with the manifest as its {@code
 * manifest} field and {@code state} in the query registers the app at once for the person signed in
 * on the simulated web ({@link GitHubSimulator#signInOnWeb}), as a click on GitHub's "Create GitHub
 * App" does, and sends the browser to the manifest's {@code redirect_url} with a {@code code} and
 * the {@code state}. The code is converted by {@code POST /app-manifests/{code}/conversions}
 * ({@link AppRoutes#convertManifest}). Refused as GitHub refuses it: nobody signed in (GitHub asks
 * to sign in), a manifest that is not JSON or lacks its required {@code url}, a {@code
 * hook_attributes} without {@code url}.
 */
final class AppManifestFlow {
    private static final Duration CODE_LIFETIME = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimulatedGitHub state;
    private final OAuthWebFlow web;

    AppManifestFlow(SimulatedGitHub state, OAuthWebFlow web) {
        this.state = state;
        this.web = web;
    }

    void mount(Router router) {
        router.post("/settings/apps/new").handler(ctx -> register(ctx, null));
        router.post("/organizations/:org/settings/apps/new")
                .handler(ctx -> register(ctx, ctx.pathParam("org")));
    }

    private void register(RoutingContext ctx, String org) {
        String login = web.signedIn();
        if (login == null) {
            page(ctx, 401, "Sign in to the simulated GitHub first (GitHubSimulator.signInOnWeb)");
            return;
        }
        String text = ctx.request().getFormAttribute("manifest");
        JsonNode manifest;
        try {
            manifest = text == null ? null : JSON.readTree(text);
        } catch (IOException e) {
            manifest = null;
        }
        List<String> problems = problems(manifest);
        if (!problems.isEmpty()) {
            page(ctx, 422, "Invalid GitHub App configuration: " + String.join("; ", problems));
            return;
        }
        String appState = ctx.request().getParam("state");
        String location;
        synchronized (state) {
            if (org != null && !(state.knowsUser(org) && state.user(org).organization())) {
                page(ctx, 404, "Not Found");
                return;
            }
            KeyPair keys = rsaKeys();
            long id = Math.max(1000, state.highestAppId() + 1);
            String name = manifest.path("name").asText("app-" + id);
            Map<String, String> permissions = new LinkedHashMap<>();
            permissions.put("metadata", "read");
            manifest.path("default_permissions")
                    .fields()
                    .forEachRemaining(e -> permissions.put(e.getKey(), e.getValue().asText()));
            List<String> events = new ArrayList<>();
            manifest.path("default_events").forEach(e -> events.add(e.asText()));
            SimulatedApp app =
                    new SimulatedApp(
                            id,
                            slug(name),
                            keys.getPublic(),
                            Map.copyOf(permissions),
                            List.copyOf(events),
                            org != null ? org : login);
            state.registerApp(app);
            String secret = hex(20);
            JsonNode hook = manifest.path("hook_attributes");
            if (hook.has("url") && hook.path("active").asBoolean(true)) {
                state.setAppHook(id, hook.path("url").asText(), secret);
            }
            String code = hex(10);
            state.awaitConversion(
                    code,
                    new SimulatedApp.PendingConversion(
                            app,
                            name,
                            manifest.hasNonNull("description")
                                    ? manifest.path("description").asText()
                                    : null,
                            manifest.path("url").asText(),
                            pkcs1Pem(keys),
                            secret,
                            hex(20),
                            state.now().plus(CODE_LIFETIME)));
            String redirect = manifest.path("redirect_url").asText(null);
            if (redirect == null) {
                // GitHub then shows the new app's settings page; the code is of no use there
                page(ctx, 200, "Created GitHub App " + app.slug());
                return;
            }
            StringBuilder to =
                    new StringBuilder(redirect)
                            .append(redirect.contains("?") ? '&' : '?')
                            .append("code=")
                            .append(code);
            if (appState != null) {
                to.append("&state=").append(URLEncoder.encode(appState, StandardCharsets.UTF_8));
            }
            location = to.toString();
        }
        ctx.response().setStatusCode(302).putHeader("Location", location).end();
    }

    private static List<String> problems(JsonNode manifest) {
        List<String> problems = new ArrayList<>();
        if (manifest == null || !manifest.isObject()) {
            problems.add("the manifest field must be a JSON object");
            return problems;
        }
        if (!manifest.hasNonNull("url")) {
            problems.add("url is required");
        }
        JsonNode hook = manifest.path("hook_attributes");
        if (!hook.isMissingNode() && !hook.hasNonNull("url")) {
            problems.add("hook_attributes.url is required");
        }
        for (String field : List.of("url", "redirect_url")) {
            if (manifest.hasNonNull(field)) {
                try {
                    URI.create(manifest.path(field).asText()).toURL();
                } catch (IllegalArgumentException | java.net.MalformedURLException e) {
                    problems.add(field + " is not a URL");
                }
            }
        }
        return problems;
    }

    private static void page(RoutingContext ctx, int status, String text) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(text);
    }

    /** GitHub's slug: the name in lower case, runs of other characters as one hyphen. */
    static String slug(String name) {
        String slug =
                name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "app" : slug;
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no RSA", e);
        }
    }

    /**
     * The private key as GitHub hands it out: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), the RSA key
     * taken out of the JDK's PKCS#8 envelope (SEQUENCE { version, algorithm, OCTET STRING key }).
     */
    static String pkcs1Pem(KeyPair keys) {
        byte[] der = keys.getPrivate().getEncoded();
        int[] at = {0};
        readHeader(der, at, 0x30); // PrivateKeyInfo
        int version = readHeader(der, at, 0x02);
        at[0] += version;
        int algorithm = readHeader(der, at, 0x30);
        at[0] += algorithm;
        int length = readHeader(der, at, 0x04); // privateKey
        byte[] pkcs1 = java.util.Arrays.copyOfRange(der, at[0], at[0] + length);
        String body =
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pkcs1);
        return "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----\n";
    }

    /** Reads a DER tag and length at {@code at[0]}, leaves {@code at[0]} on the content. */
    private static int readHeader(byte[] der, int[] at, int tag) {
        if ((der[at[0]++] & 0xff) != tag) {
            throw new IllegalStateException("unexpected PKCS#8 structure");
        }
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        return length;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
