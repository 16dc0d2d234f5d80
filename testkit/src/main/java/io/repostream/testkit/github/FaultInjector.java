package io.repostream.testkit.github;

/**
 * Makes the next requests fail with a server error, or hit a secondary rate limit, as GitHub
 * sometimes does. Thread-safe.
 */
final class FaultInjector {
    private int status;
    private int remaining;
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
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("inject server errors (5xx), not " + status);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        this.status = status;
        this.remaining = count;
    }

    /** The status to fail this request with, or 0 to serve it. */
    synchronized int take() {
        if (remaining == 0) {
            return 0;
        }
        remaining--;
        return status;
    }
}
