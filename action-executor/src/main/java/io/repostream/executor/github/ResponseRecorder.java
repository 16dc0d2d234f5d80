package io.repostream.executor.github;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * Sits between hub4j and the HTTP client and remembers, per thread, the status and rate-limit
 * headers of the last answer: hub4j hides them, but audits and the rate-limit logic need them. It
 * also keeps hub4j from re-sending requests on its own after a connection error.
 */
final class ResponseRecorder implements GitHubConnector {
    private final GitHubConnector delegate;
    private final ThreadLocal<GitHubResponse> last = new ThreadLocal<>();

    ResponseRecorder(GitHubConnector delegate) {
        this.delegate = delegate;
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        GitHubConnectorResponse response;
        try {
            response = delegate.send(request);
        } catch (SocketException | SocketTimeoutException | SSLHandshakeException e) {
            // hub4j sends a request again by itself after these, writes included: as a plain
            // IOException it reaches the RequestGate, which looks whether a write took effect
            // before it sends it again
            throw new IOException(
                    request.method() + " " + request.url() + " failed: " + e.getMessage(), e);
        }
        record(GitHubResponse.of(response.statusCode(), response.allHeaders()));
        return response;
    }

    void record(GitHubResponse response) {
        last.set(response);
    }

    void clear() {
        last.remove();
    }

    Optional<GitHubResponse> last() {
        return Optional.ofNullable(last.get());
    }
}
