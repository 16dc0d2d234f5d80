package io.repostream.executor.github;

import java.time.Instant;

/**
 * A request met a GitHub rate limit (or a quota known to be used up), or is a write whose
 * installation may not write before a later slot (pacing), and was not waited for in the caller's
 * thread: nothing was sent, or GitHub refused it with a rate limit and so did not apply it, and the
 * caller is to try again at {@link #until()}. Only a client that defers rate limits throws it
 * ({@link GitHubClient#deferringRateLimits()}); the executor uses one for an action's first
 * requests, so that its lane is held without a worker.
 */
public final class RateLimitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Instant until;
    private final boolean paced;

    public RateLimitedException(String message, Instant until) {
        this(message, until, false);
    }

    /**
     * @param paced whether nothing was refused: a write was not sent because its installation's
     *     next write slot (GitHub's spacing between writes, the caps on content creation) is later
     */
    public RateLimitedException(String message, Instant until, boolean paced) {
        super(message);
        this.until = until;
        this.paced = paced;
    }

    /** Whether the request waits for a write slot of its own pacing, not for a GitHub limit. */
    public boolean paced() {
        return paced;
    }

    /** When the limit is over and the request may go again. */
    public Instant until() {
        return until;
    }
}
