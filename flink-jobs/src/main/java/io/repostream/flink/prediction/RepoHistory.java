package io.repostream.flink.prediction;

import java.time.Instant;

/**
 * A repository's CI history as known so far: its outcomes and the last build that finished.
 *
 * @param outcomes all of the repo's known outcomes
 * @param lastCompletedAt when the last known build finished
 * @param lastFailed whether it failed
 * @param lastActor who caused it (lowercase login; empty when unknown)
 */
public record RepoHistory(
        OutcomeStats outcomes, Instant lastCompletedAt, boolean lastFailed, String lastActor) {

    public static final RepoHistory NONE = new RepoHistory(OutcomeStats.NONE, null, false, "");

    /** This history after a build of {@code actor} finished at {@code at}. */
    public RepoHistory plus(boolean success, Instant at, String actor) {
        // an outcome delivered late must not pretend to be the latest one
        boolean latest = lastCompletedAt == null || !at.isBefore(lastCompletedAt);
        return new RepoHistory(
                outcomes.plus(success),
                latest ? at : lastCompletedAt,
                latest ? !success : lastFailed,
                latest ? actor : lastActor);
    }
}
