package io.repostream.executor.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls an executor's admin API over real HTTP on loopback. */
public final class AdminApi {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AdminApi() {}

    /**
     * @param token sent as {@code Authorization: Bearer <token>}; no header when null
     * @param body a JSON body, or null for none
     */
    public static HttpResponse<String> send(
            int port, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        // a bulk rollback of many actions takes a while on a loaded machine
                        .timeout(Duration.ofSeconds(120))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
