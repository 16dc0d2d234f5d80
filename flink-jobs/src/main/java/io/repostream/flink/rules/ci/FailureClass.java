package io.repostream.flink.rules.ci;

import java.util.Locale;

/** Why a CI run failed, as far as its conclusion, job steps and check output tell. */
public enum FailureClass {
    /** Timeouts, lost runners, network trouble, rate limits: a re-run will likely pass. */
    TRANSIENT,
    /** A package registry or service was unavailable: a later re-run will likely pass. */
    DEPENDENCY,
    /** Compile errors, failed assertions: a re-run will fail the same way. */
    PERMANENT,
    /** The same commit failed and then passed on a re-run. */
    FLAKY,
    /** Nothing matched; no automatic action. */
    UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether re-running the failed jobs is the right answer. */
    public boolean retryable() {
        return this == TRANSIENT || this == DEPENDENCY || this == FLAKY;
    }
}
