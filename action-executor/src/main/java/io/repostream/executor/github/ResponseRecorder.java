package io.repostream.executor.github;

import java.io.IOException;
import java.util.Optional;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * Sits between hub4j and the HTTP client and remembers, per thread, the status and rate-limit
 * headers of the last answer: hub4j hides them, but audits and the rate-limit logic need them.
 */
final class ResponseRecorder implements GitHubConnector {
    private final GitHubConnector delegate;
    private final ThreadLocal<GitHubResponse> last = new ThreadLocal<>();

    ResponseRecorder(GitHubConnector delegate) {
        this.delegate = delegate;
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        GitHubConnectorResponse response = delegate.send(request);
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
