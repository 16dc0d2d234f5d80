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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replays GitHub answers recorded from api.github.com ({@code src/test/resources/recorded}) on a
 * loopback port: each request is matched by method, path (case-insensitively, as GitHub does) and,
 * where recorded, its JSON body; anything else is answered 501 and remembered as unmatched.
 */
final class RecordedGitHub implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final JsonNode exchanges;
    private final List<String> unmatched = new ArrayList<>();

    RecordedGitHub() {
        try {
            exchanges = MAPPER.readTree(resource("exchanges.json"));
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

    synchronized List<String> unmatched() {
        return List.copyOf(unmatched);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        for (JsonNode recorded : exchanges) {
            if (matches(recorded, method, path, requestBody)) {
                byte[] body =
                        recorded.has("body_file")
                                ? resource(recorded.get("body_file").asText())
                                : MAPPER.writeValueAsBytes(recorded.get("body"));
                for (Map.Entry<String, JsonNode> header : recorded.get("headers").properties()) {
                    exchange.getResponseHeaders().add(header.getKey(), header.getValue().asText());
                }
                send(exchange, recorded.get("status").asInt(), body);
                return;
            }
        }
        synchronized (this) {
            unmatched.add(
                    method + " " + path + " " + new String(requestBody, StandardCharsets.UTF_8));
        }
        send(exchange, 501, "{\"message\":\"not recorded\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static boolean matches(JsonNode recorded, String method, String path, byte[] body)
            throws IOException {
        if (!recorded.get("method").asText().equals(method)) {
            return false;
        }
        if (!recorded.get("path")
                .asText()
                .toLowerCase(Locale.ROOT)
                .equals(path.toLowerCase(Locale.ROOT))) {
            return false;
        }
        return !recorded.has("request_body")
                || recorded.get("request_body").equals(MAPPER.readTree(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
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
