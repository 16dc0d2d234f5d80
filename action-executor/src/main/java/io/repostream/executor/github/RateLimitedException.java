package io.repostream.executor.github;

import java.time.Instant;

/**
 * A request met a GitHub rate limit (or a quota known to be used up) and was not waited for in the
 * caller's thread: nothing was sent, and the caller is to try again at {@link #until()}. Only a
 * client that defers rate limits throws it ({@link GitHubClient#deferringRateLimits()}); the
 * executor uses one for an action's first requests, so that its lane is held without a worker.
 */
public final class RateLimitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Instant until;

    public RateLimitedException(String message, Instant until) {
        super(message);
        this.until = until;
    }

    /** When the limit is over and the request may go again. */
    public Instant until() {
        return until;
    }
}
