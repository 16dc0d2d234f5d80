package io.repostream.testkit.github;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** What a pull request has beyond its issue. Mutable; guarded by the simulator's lock. */
final class SimulatedPull {
    final String headRef;
    final String baseRef;
    String baseSha;

    /** Whether head and base are commits of the repository's git (mergeable is computed). */
    boolean gitBacked;

    /** Whether someone read the pull request since mergeable was last forgotten. */
    boolean mergeableAsked;

    String headSha;
    boolean draft;

    /** Null while GitHub is still computing it; false when the branches conflict. */
    Boolean mergeable = Boolean.TRUE;

    boolean merged;
    Instant mergedAt;
    String mergedBy;
    String mergeCommitSha;
    final Set<String> requestedReviewers = new LinkedHashSet<>();

    SimulatedPull(String headRef, String headSha, String baseRef, String baseSha) {
        this.headRef = headRef;
        this.headSha = headSha;
        this.baseRef = baseRef;
        this.baseSha = baseSha;
    }

    /** A push to head or base: GitHub computes {@code mergeable} again, lazily. */
    void forgetMergeable() {
        if (gitBacked) {
            mergeable = null;
            mergeableAsked = false;
        }
    }

    String mergeableState() {
        if (merged) {
            return "unknown";
        }
        if (mergeable == null) {
            return "unknown";
        }
        return mergeable ? "clean" : "dirty";
    }
}
