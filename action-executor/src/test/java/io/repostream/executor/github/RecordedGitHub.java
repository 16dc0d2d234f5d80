package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Replays GitHub answers on a loopback port, as {@code src/test/resources/recorded/exchanges.json}
 * assigns them: exchanges recorded from api.github.com by {@code @octokit/fixtures} (replayed with
 * their method, path, request body, status, headers and body), recorded answers adapted to a request
 * their scenario did not make, example responses of GitHub's OpenAPI description ({@code
 * @octokit/openapi}), and a few constructed answers; each exchange says which it is ({@link
 * Answer#source()}), and the NOTICE in that folder says why. The package files are checked against
 * the SHA-256s in their {@code source.properties}.
 *
 * <p>A request is matched by method, path (case-insensitively, as GitHub does; the query is
 * ignored) and, where the exchange has one, its JSON body. Every request is kept ({@link
 * #requests()}) so that a test can assert what the client sent; one that matches nothing is
 * answered 501 and kept in {@link #unmatched()}.
 */
final class RecordedGitHub implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Headers that describe the recorded connection or encoding, not GitHub's answer. */
    private static final Set<String> TRANSPORT_HEADERS =
            Set.of("content-length", "connection", "transfer-encoding", "content-encoding");

    /** One request as the server received it. */
    record Request(String method, String path, JsonNode body) {}

    /**
     * One prepared answer.
     *
     * @param source {@code recorded add-labels-to-issue#1}, {@code adapted branch-protection#0},
     *     {@code openapi-example issue}, {@code constructed}
     */
    record Answer(
            String method,
            String path,
            JsonNode requestBody,
            int status,
            Map<String, String> headers,
            byte[] body,
            String source) {}

    private final HttpServer server;
    private final List<Answer> answers;
    private final List<Request> requests = new ArrayList<>();
    private final List<String> served = new ArrayList<>();
    private final List<String> unmatched = new ArrayList<>();

    RecordedGitHub() {
        try {
            answers = load();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The {@link Answer#source()} of each answer given, in order. */
    synchronized List<String> served() {
        return List.copyOf(served);
    }

    synchronized List<String> unmatched() {
        return List.copyOf(unmatched);
    }

    /** Every prepared answer (to check what the sources hold). */
    List<Answer> answers() {
        return answers;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        byte[] raw = exchange.getRequestBody().readAllBytes();
        JsonNode body = raw.length == 0 ? null : MAPPER.readTree(raw);
        synchronized (this) {
            requests.add(new Request(method, path, body));
        }
        for (Answer a : answers) {
            if (a.method().equals(method)
                    && a.path().equalsIgnoreCase(path)
                    && (a.requestBody() == null || a.requestBody().equals(body))) {
                synchronized (this) {
                    served.add(a.source());
                }
                a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                send(exchange, a.status(), a.body());
                return;
            }
        }
        synchronized (this) {
            unmatched.add(method + " " + path + " " + new String(raw, StandardCharsets.UTF_8));
        }
        send(exchange, 501, "{\"message\":\"not recorded\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static List<Answer> load() throws IOException {
        JsonNode index = MAPPER.readTree(resource("exchanges.json"));
        Map<String, JsonNode> scenarios = new LinkedHashMap<>();
        JsonNode examples = null;
        List<Answer> out = new ArrayList<>();
        for (JsonNode e : index.get("exchanges")) {
            if (e.has("recorded") || e.has("adapted")) {
                String ref =
                        e.has("recorded") ? e.get("recorded").asText() : e.get("adapted").asText();
                String scenario = ref.substring(0, ref.indexOf('#'));
                int i = Integer.parseInt(ref.substring(ref.indexOf('#') + 1));
                JsonNode fixture = scenarios.get(scenario);
                if (fixture == null) {
                    fixture = scenario(scenario);
                    scenarios.put(scenario, fixture);
                }
                JsonNode recorded = fixture.get(i);
                out.add(e.has("recorded") ? recorded(recorded, ref) : adapted(recorded, e, ref));
            } else if (e.has("openapi_example")) {
                if (examples == null) {
                    examples = openApiExamples();
                }
                String name =
                        e.get("openapi_example").isNull()
                                ? null
                                : e.get("openapi_example").asText();
                if (name != null && !examples.has(name)) {
                    throw new IOException("no OpenAPI example " + name);
                }
                out.add(
                        new Answer(
                                e.get("method").asText(),
                                e.get("path").asText(),
                                e.get("request_body"),
                                e.get("status").asInt(),
                                name == null
                                        ? Map.of()
                                        : Map.of("Content-Type", "application/json; charset=utf-8"),
                                name == null
                                        ? new byte[0]
                                        : MAPPER.writeValueAsBytes(examples.get(name)),
                                "openapi-example " + (name == null ? "(no body)" : name)));
            } else if (e.path("constructed").asBoolean()) {
                out.add(
                        new Answer(
                                e.get("method").asText(),
                                e.get("path").asText(),
                                e.get("request_body"),
                                e.get("status").asInt(),
                                headers(e.get("headers")),
                                MAPPER.writeValueAsBytes(e.get("body")),
                                "constructed"));
            } else {
                throw new IOException("exchanges.json: an exchange of no known kind: " + e);
            }
        }
        return List.copyOf(out);
    }

    private static Answer recorded(JsonNode r, String ref) throws IOException {
        JsonNode body = r.get("body");
        return new Answer(
                r.get("method").asText().toUpperCase(Locale.ROOT),
                pathOf(r),
                body == null || (body.isTextual() && body.asText().isEmpty()) ? null : body,
                r.get("status").asInt(),
                headers(r.get("headers")),
                responseBytes(r.get("response")),
                "recorded " + ref);
    }

    private static Answer adapted(JsonNode r, JsonNode e, String ref) throws IOException {
        String text = new String(responseBytes(r.get("response")), StandardCharsets.UTF_8);
        if (e.has("replace")) {
            for (Map.Entry<String, JsonNode> p : e.get("replace").properties()) {
                text = text.replace(p.getKey(), p.getValue().asText());
            }
        }
        return new Answer(
                e.get("method").asText(),
                e.get("path").asText(),
                e.get("request_body"),
                e.has("status") ? e.get("status").asInt() : r.get("status").asInt(),
                headers(r.get("headers")),
                text.getBytes(StandardCharsets.UTF_8),
                "adapted " + ref);
    }

    private static String pathOf(JsonNode r) {
        String path = r.get("path").asText();
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static byte[] responseBytes(JsonNode response) throws IOException {
        if (response == null || (response.isTextual() && response.asText().isEmpty())) {
            return new byte[0];
        }
        return MAPPER.writeValueAsBytes(response);
    }

    private static Map<String, String> headers(JsonNode headers) {
        Map<String, String> out = new LinkedHashMap<>();
        if (headers != null) {
            for (Map.Entry<String, JsonNode> h : headers.properties()) {
                if (!TRANSPORT_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    out.put(h.getKey(), h.getValue().asText());
                }
            }
        }
        return out;
    }

    /** A scenario's normalized-fixture.json, checked against its SHA-256. */
    private static JsonNode scenario(String name) throws IOException {
        byte[] json = gunzip(resource("octokit-fixtures/" + name + ".json.gz"));
        verify(json, source("octokit-fixtures"), "sha256." + name, name);
        return MAPPER.readTree(json);
    }

    private static JsonNode openApiExamples() throws IOException {
        byte[] json = gunzip(resource("openapi-examples/examples.json.gz"));
        verify(json, source("openapi-examples"), "sha256.examples", "OpenAPI examples");
        return MAPPER.readTree(json);
    }

    private static Properties source(String folder) throws IOException {
        Properties p = new Properties();
        try (InputStream in =
                RecordedGitHub.class.getResourceAsStream(
                        "/recorded/" + folder + "/source.properties")) {
            if (in == null) {
                throw new IOException("no source.properties in recorded/" + folder);
            }
            p.load(in);
        }
        return p;
    }

    private static void verify(byte[] json, Properties source, String key, String what)
            throws IOException {
        String expected = source.getProperty(key);
        String actual;
        try {
            actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!actual.equals(expected)) {
            throw new IOException(
                    what
                            + " is not the file of "
                            + source.getProperty("package")
                            + "@"
                            + source.getProperty("version")
                            + ": SHA-256 "
                            + actual
                            + ", source.properties says "
                            + expected);
        }
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RecordedGitHub.class.getResourceAsStream("/recorded/" + name)) {
            if (in == null) {
                throw new IOException("no recorded response " + name);
            }
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
