package io.repostream.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * GitHub's App manifest flow, run from a laptop: a page on a loopback port posts the manifest to
 * GitHub's form (the person confirms there, signed in to GitHub), GitHub sends the browser back to
 * this page's {@code /callback} with a code and our {@code state}, and the code is exchanged
 * ({@code POST /app-manifests/{code}/conversions}) for the App's id, private key and webhook
 * secret. The page binds 127.0.0.1 only; a callback without our {@code state} is refused.
 */
public final class ManifestFlow {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the person sees and where the result goes. */
    public record Settings(
            GitHubEndpoints github,
            String org,
            int port,
            Duration timeout,
            Function<String, ObjectNode> manifestFor) {}

    private final Settings settings;
    private final PrintWriter out;

    /**
     * @param out where the page's address and progress go (never a secret)
     */
    public ManifestFlow(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Serves the page until GitHub's redirect comes back and its code is converted, or the timeout.
     *
     * @return the conversion's answer: the App, with {@code pem}, {@code webhook_secret}, ...
     * @throws IllegalStateException when GitHub refuses the code or nobody finished in time
     */
    public JsonNode run() {
        String state = HexFormat.of().formatHex(bytes(16));
        HttpServer server;
        try {
            server =
                    HttpServer.create(
                            new InetSocketAddress(
                                    InetAddress.getLoopbackAddress(), settings.port()),
                            0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen on 127.0.0.1:" + settings.port() + ": " + e.getMessage(), e);
        }
        String local = "http://127.0.0.1:" + server.getAddress().getPort();
        ObjectNode manifest = settings.manifestFor().apply(local + "/callback");
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        server.createContext("/", exchange -> page(exchange, manifest, state));
        server.createContext("/callback", exchange -> callback(exchange, state, done));
        server.start();
        try {
            out.println(
                    "Open "
                            + local
                            + "/ in a browser signed in to GitHub"
                            + (settings.org() != null ? " as an owner of " + settings.org() : "")
                            + ", and confirm the App on GitHub's page.");
            out.println("Waiting up to " + settings.timeout().toMinutes() + " min for GitHub ...");
            out.flush();
            return done.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "nobody finished the App manifest flow within " + settings.timeout());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for GitHub", e);
        } finally {
            server.stop(0);
        }
    }

    private void page(HttpExchange exchange, ObjectNode manifest, String state) throws IOException {
        if (!"/".equals(exchange.getRequestURI().getPath())) {
            respond(exchange, 404, "Not Found");
            return;
        }
        String action = settings.github().newAppForm(settings.org()) + "?state=" + state;
        String html =
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>Create the repostream"
                        + " GitHub App</title></head><body>"
                        + "<h1>Create the repostream GitHub App</h1>"
                        + "<p>This sends the App's manifest (permissions and events the enabled"
                        + " rules need) to GitHub, where you confirm it.</p>"
                        + "<form id=\"manifest\" method=\"post\" action=\""
                        + escape(action)
                        + "\"><input type=\"hidden\" name=\"manifest\" value=\""
                        + escape(manifest.toString())
                        + "\"><button type=\"submit\">Create on GitHub</button></form>"
                        + "<pre>"
                        + escape(manifest.toPrettyString())
                        + "</pre>"
                        + "<script>document.getElementById('manifest').submit()</script>"
                        + "</body></html>";
        respond(exchange, 200, html);
    }

    private void callback(HttpExchange exchange, String state, CompletableFuture<JsonNode> done)
            throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String code = query.get("code");
        if (!constantTimeEquals(state, query.get("state")) || code == null || code.isBlank()) {
            // not GitHub's redirect for this flow: refused, and the flow goes on waiting
            respond(exchange, 400, "This is not GitHub's answer to this App manifest flow.");
            return;
        }
        if (done.isDone()) {
            respond(exchange, 409, "This App manifest flow is already finished.");
            return;
        }
        try {
            GitHubRest.Answer answer =
                    new GitHubRest(settings.github().apiUrl())
                            .post("/app-manifests/" + code + "/conversions", null);
            if (answer.status() != 201) {
                String why =
                        "GitHub refused the manifest code ("
                                + answer.status()
                                + " "
                                + answer.message()
                                + "); it expires after an hour and converts once: run app create again";
                respond(exchange, 502, why);
                done.completeExceptionally(new IllegalStateException(why));
                return;
            }
            JsonNode app = answer.body();
            respond(
                    exchange,
                    200,
                    "GitHub App "
                            + app.path("slug").asText()
                            + " created. Back in the terminal: install it, then run repostream app"
                            + " check.");
            done.complete(app);
        } catch (RuntimeException e) {
            respond(exchange, 502, "Could not reach GitHub: " + e.getMessage());
            done.completeExceptionally(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return given != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8),
                        given.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders()
                .set(
                        "Content-Type",
                        body.startsWith("<!doctype")
                                ? "text/html; charset=utf-8"
                                : "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("\"", "&quot;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("'", "&#39;");
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
