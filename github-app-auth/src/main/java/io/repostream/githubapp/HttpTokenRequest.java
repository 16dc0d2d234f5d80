package io.repostream.githubapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A {@link TokenRequest} over the JDK's HTTP client, to the REST API at {@code apiUrl}. */
public final class HttpTokenRequest implements TokenRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiUrl;
    private final HttpClient http;
    private final Duration timeout;

    public HttpTokenRequest(String apiUrl, HttpClient http, Duration timeout) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * @throws Refused when GitHub answers other than 2xx or without a token
     * @throws IOException when GitHub does not answer
     */
    @Override
    public InstallationToken request(long installationId, String appJwt) throws IOException {
        HttpRequest post =
                HttpRequest.newBuilder(URI.create(apiUrl + TokenRequest.path(installationId)))
                        .timeout(timeout)
                        .header("Authorization", "Bearer " + appJwt)
                        .header("Accept", "application/vnd.github+json")
                        .header("X-GitHub-Api-Version", "2022-11-28")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build();
        HttpResponse<String> response;
        try {
            response = http.send(post, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(
                    "interrupted asking GitHub for a token of installation " + installationId);
        }
        int status = response.statusCode();
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (status / 100 != 2) {
            String message = answer == null ? "" : answer.path("message").asText("");
            throw new Refused(
                    "GitHub answered "
                            + status
                            + (message.isBlank() ? "" : " (" + message + ")")
                            + " asking for a token of installation "
                            + installationId,
                    status,
                    response.headers());
        }
        return InstallationToken.fromAnswer(answer)
                .orElseThrow(
                        () ->
                                new Refused(
                                        "GitHub's answer holds no token for installation "
                                                + installationId,
                                        status,
                                        response.headers()));
    }

    /** GitHub's refusal, with its status and headers (e.g. rate limits, {@code Retry-After}). */
    public static final class Refused extends IOException {
        private final int status;
        private final transient HttpHeaders headers;

        Refused(String message, int status, HttpHeaders headers) {
            super(message);
            this.status = status;
            this.headers = headers;
        }

        public int status() {
            return status;
        }

        public HttpHeaders headers() {
            return headers;
        }
    }
}
