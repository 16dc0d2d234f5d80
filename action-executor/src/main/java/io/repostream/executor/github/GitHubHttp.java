package io.repostream.executor.github;

/**
 * The one path every GitHub request takes. The transport ({@link HttpTransport}) sends it; layers
 * around it add what every request needs, each in one place: credentials ({@link
 * AuthenticatedHttp}), metrics ({@link MeteredHttp}) and the rate gate with its retries and
 * rate-limit bookkeeping ({@link GatedHttp}). {@link #standard} stacks them in that order.
 */
@FunctionalInterface
public interface GitHubHttp {

    /**
     * Sends {@code request} and returns GitHub's answer.
     *
     * @throws GitHubException on a status of 300 or more (carrying GitHub's status, rate-limit
     *     headers and message) or when no answer arrived; its message names the target
     */
    GitHubAnswer send(GitHubRequest request);

    /**
     * The same path, but a request that meets a rate limit throws {@link RateLimitedException}
     * instead of waiting in the caller's thread; a path without a rate gate is itself.
     */
    default GitHubHttp deferringRateLimits() {
        return this;
    }

    /**
     * The executor's stack: gate (pacing, retries, rate limits) around metrics around credentials
     * around the transport, so that each retry is timed and authenticated on its own.
     */
    static GitHubHttp standard(
            GitHubHttp transport,
            Credentials credentials,
            RequestGate gate,
            io.repostream.executor.metrics.ExecutorMetrics metrics) {
        return new GatedHttp(
                gate,
                credentials,
                new MeteredHttp(metrics, new AuthenticatedHttp(credentials, transport)));
    }
}
