package io.repostream.flink.rules.ci;

import io.repostream.schemas.RepoPolicy.Retry;
import java.time.Duration;

/**
 * Exponential backoff with jitter for CI re-runs. The jitter is derived from the run id and the
 * attempt rather than drawn at random, so a replay from a checkpoint plans the same times and
 * concurrent failures of many runs still spread out.
 */
public final class Backoff {
    private Backoff() {}

    /** Delay before re-running after {@code attempt} failed: base·2^(attempt−1), ±20%, capped. */
    public static Duration delay(Retry retry, long runId, int attempt) {
        long base = retry.baseDelay().toMillis();
        long exponential = base << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(exponential, retry.maxDelay().toMillis());
        long seed = runId * 31 + attempt;
        seed ^= (seed >>> 33);
        seed *= 0xff51afd7ed558ccdL;
        seed ^= (seed >>> 33);
        double unit = (seed >>> 11) * 0x1.0p-53; // [0, 1)
        double factor = 0.8 + 0.4 * unit;
        return Duration.ofMillis(Math.min((long) (capped * factor), retry.maxDelay().toMillis()));
    }
}
