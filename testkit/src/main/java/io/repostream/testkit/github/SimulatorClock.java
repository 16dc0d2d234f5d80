package io.repostream.testkit.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The time GitHub stamps on what it records ({@code created_at}, {@code updated_at}, deliveries):
 * the system's, unless a test froze it to make many changes share one second, as they do on GitHub
 * under a burst. Rate-limit windows keep real time. Thread-safe.
 */
final class SimulatorClock extends Clock {
    private volatile Instant frozen;

    void freeze(Instant at) {
        frozen = at;
    }

    void advance(Duration by) {
        Instant at = frozen;
        if (at == null) {
            throw new IllegalStateException("time is not frozen; freezeTime first");
        }
        frozen = at.plus(by);
    }

    void unfreeze() {
        frozen = null;
    }

    @Override
    public Instant instant() {
        Instant at = frozen;
        return at != null ? at : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulator keeps UTC");
    }
}
