package io.repostream.testkit.github;

import java.time.Instant;

/** One job of a workflow run. Mutable; guarded by the simulator's lock. */
final class SimulatedJob {
    final long id;
    final String name;
    String status;
    String conclusion;
    int runAttempt;
    Instant startedAt;
    Instant completedAt;

    /** The job's log as GitHub serves it for download; null until a test sets it. */
    String log;

    SimulatedJob(long id, String name, String status, String conclusion, Instant now) {
        this.id = id;
        this.name = name;
        this.runAttempt = 1;
        this.startedAt = now;
        setOutcome(status, conclusion, now);
    }

    void setOutcome(String status, String conclusion, Instant now) {
        this.status = status;
        this.conclusion = "completed".equals(status) ? conclusion : null;
        this.completedAt = "completed".equals(status) ? now : null;
    }

    boolean failed() {
        return "completed".equals(status)
                && ("failure".equals(conclusion)
                        || "cancelled".equals(conclusion)
                        || "timed_out".equals(conclusion));
    }
}
