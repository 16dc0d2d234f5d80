package io.repostream.testkit.github;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;
import org.kohsuke.github.extras.HttpClientGitHubConnector;

/**
 * What an HTTP cache in front of hub4j does (OkHttp's, in production setups): remembers each GET
 * answer with its ETag, revalidates with {@code If-None-Match}, and turns a 304 back into the
 * remembered answer, with the fresh rate-limit headers of the 304.
 */
final class ConditionalRequestConnector implements GitHubConnector {
    private record Cached(String etag, byte[] body, Map<String, List<String>> headers) {}

    private final GitHubConnector http = new HttpClientGitHubConnector();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile int notModified;

    int notModifiedCount() {
        return notModified;
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        String key = request.url().toString();
        Cached cached = "GET".equals(request.method()) ? cache.get(key) : null;
        GitHubConnectorRequest sent =
                cached == null ? request : new WithHeader(request, "If-None-Match", cached.etag);
        GitHubConnectorResponse response = http.send(sent);
        if (response.statusCode() == 304 && cached != null) {
            notModified++;
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(cached.headers);
            response.allHeaders()
                    .forEach(
                            (k, v) -> {
                                if (k != null && k.toLowerCase().startsWith("x-ratelimit")) {
                                    headers.put(k, v);
                                }
                            });
            response.close();
            return new Replayed(request, headers, cached.body);
        }
        String etag = response.header("ETag");
        if ("GET".equals(request.method()) && response.statusCode() == 200 && etag != null) {
            byte[] body = response.bodyStream().readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.allHeaders()
                    .forEach(
                            (k, v) -> {
                                if (k != null) {
                                    headers.put(k, v);
                                }
                            });
            response.close();
            cache.put(key, new Cached(etag, body, headers));
            return new Replayed(request, headers, body);
        }
        return response;
    }

    private static final class Replayed extends GitHubConnectorResponse.ByteArrayResponse {
        private final byte[] body;

        Replayed(GitHubConnectorRequest request, Map<String, List<String>> headers, byte[] body) {
            super(request, 200, headers);
            this.body = body;
        }

        @Override
        protected InputStream rawBodyStream() {
            return new ByteArrayInputStream(body);
        }
    }

    private record WithHeader(GitHubConnectorRequest request, String name, String value)
            implements GitHubConnectorRequest {
        @Override
        public String method() {
            return request.method();
        }

        @Override
        public Map<String, List<String>> allHeaders() {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(request.allHeaders());
            headers.put(name, new ArrayList<>(List.of(value)));
            return headers;
        }

        @Override
        public String header(String header) {
            return header.equalsIgnoreCase(name) ? value : request.header(header);
        }

        @Override
        public String contentType() {
            return request.contentType();
        }

        @Override
        public InputStream body() {
            return request.body();
        }

        @Override
        public URL url() {
            return request.url();
        }

        @Override
        public boolean hasBody() {
            return request.hasBody();
        }
    }
}
