package io.repostream.testkit.github;

/** Makes the next requests fail with a server error, as GitHub sometimes does. Thread-safe. */
final class FaultInjector {
    private int status;
    private int remaining;

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
