package io.repostream.executor.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.connector.GitHubConnector;

/**
 * hub4j sends a request again by itself (twice) after a {@link SocketException} or {@link
 * SocketTimeoutException}, a comment included: the recorder makes those plain IOExceptions, so that
 * only the RequestGate retries, after looking whether the write took effect.
 */
class ResponseRecorderTest {

    @Test
    void hub4jSendsARequestOnlyOnceWhenItsConnectionFails() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        GitHubConnector failing =
                request -> {
                    // hub4j also asks GET /user after a failure; only the request itself counts
                    if (request.url().getPath().equals("/repos/acme/widgets")) {
                        sent.incrementAndGet();
                    }
                    throw new SocketTimeoutException("Read timed out");
                };
        GitHub github =
                new GitHubBuilder()
                        .withEndpoint("http://127.0.0.1:1")
                        .withOAuthToken("t")
                        .withConnector(new ResponseRecorder(failing))
                        .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                        .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
                        .build();

        assertThatThrownBy(() -> github.getRepository("acme/widgets"))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(SocketTimeoutException.class)
                .hasRootCauseInstanceOf(SocketTimeoutException.class);
        assertThat(sent).hasValue(1);
    }
}
