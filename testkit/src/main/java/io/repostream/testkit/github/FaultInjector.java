package io.repostream.testkit.github;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * The ways GitHub fails that have nothing to do with the request: a server error before anything
 * happened, a write that was applied but whose answer was lost on the way back (a 502 from the
 * proxy, or the connection dropped), a slow answer, and a secondary rate limit on a chosen path.
 * Thread-safe.
 */
final class FaultInjector {
    /** {@link #takeAfterApplying()} answers this for "close the connection, send no answer". */
    static final int DROP_CONNECTION = 0;

    private int status;
    private int remaining;
    private int afterStatus;
    private int afterRemaining;
    private Duration responseDelay = Duration.ZERO;
    private final java.util.List<Limit> limits = new java.util.ArrayList<>();

    /**
     * A secondary rate limit for the next request whose path contains {@code pathContains}.
     *
     * @param status 403 or 429
     * @param retryAfterSeconds the {@code Retry-After} GitHub sends with it
     */
    record Limit(int status, long retryAfterSeconds, String pathContains) {}

    synchronized void limitNext(int status, long retryAfterSeconds, String pathContains) {
        if (status != 403 && status != 429) {
            throw new IllegalArgumentException("GitHub answers rate limits with 403 or 429");
        }
        if (retryAfterSeconds < 1 || pathContains == null) {
            throw new IllegalArgumentException(
                    "a Retry-After of 1 s or more and a path are needed");
        }
        limits.add(new Limit(status, retryAfterSeconds, pathContains));
    }

    /** The limit this request runs into (it is then used up), or null. */
    synchronized Limit takeLimit(String path) {
        for (java.util.Iterator<Limit> it = limits.iterator(); it.hasNext(); ) {
            Limit limit = it.next();
            if (path.contains(limit.pathContains())) {
                it.remove();
                return limit;
            }
        }
        return null;
    }

    synchronized void failNext(int status, int count) {
        requireServerError(status);
        requireCount(count);
        this.status = status;
        this.remaining = count;
    }

    /**
     * The next {@code count} successful writes are applied, then answered with {@code status} (a
     * 5xx) or, for {@link #DROP_CONNECTION}, not answered at all.
     */
    synchronized void failNextWritesAfterApplying(int status, int count) {
        if (status != DROP_CONNECTION) {
            requireServerError(status);
        }
        requireCount(count);
        this.afterStatus = status;
        this.afterRemaining = count;
    }

    synchronized void setResponseDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("a response delay must be zero or positive");
        }
        this.responseDelay = delay;
    }

    synchronized Duration responseDelay() {
        return responseDelay;
    }

    /** The status to fail this request with, or 0 to serve it. */
    synchronized int take() {
        if (remaining == 0) {
            return 0;
        }
        remaining--;
        return status;
    }

    /**
     * For a write that was just applied: the status that replaces its answer ({@link
     * #DROP_CONNECTION} for none), or empty to answer it normally.
     */
    synchronized OptionalInt takeAfterApplying() {
        if (afterRemaining == 0) {
            return OptionalInt.empty();
        }
        afterRemaining--;
        return OptionalInt.of(afterStatus);
    }

    private static void requireServerError(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("inject server errors (5xx), not " + status);
        }
    }

    private static void requireCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
    }
}
