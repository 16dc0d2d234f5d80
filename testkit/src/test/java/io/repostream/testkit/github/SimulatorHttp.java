package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the simulator, to see exactly what goes over the wire. */
final class SimulatorHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, HttpResponse<byte[]> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            String body = new String(raw.body(), java.nio.charset.StandardCharsets.UTF_8);
            // enough to recognise the answer; a workflow run renders to ~20 kB
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    SimulatorHttp(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    SimulatorHttp withToken(String other) {
        return new SimulatorHttp(baseUrl, other);
    }

    Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    Response post(String path, String body) {
        return send("POST", path, body);
    }

    Response patch(String path, String body) {
        return send("PATCH", path, body);
    }

    Response put(String path, String body) {
        return send("PUT", path, body);
    }

    Response delete(String path, String body) {
        return send("DELETE", path, body);
    }

    Response send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Accept", "application/vnd.github+json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response =
                    client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json =
                    response.body().length == 0
                            ? MissingNode.getInstance()
                            : JSON.readTree(response.body());
            return new Response(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
    }
}
