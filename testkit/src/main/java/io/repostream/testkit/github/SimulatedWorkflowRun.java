package io.repostream.testkit.github;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A GitHub Actions workflow run with its jobs. Mutable; guarded by the simulator's lock. */
final class SimulatedWorkflowRun {
    final long id;
    final long workflowId;
    final String name;
    final int runNumber;
    final String headBranch;
    final String headSha;
    final String event;
    final String actor;
    final Instant createdAt;
    String status;
    String conclusion;
    int runAttempt = 1;
    Instant runStartedAt;
    Instant updatedAt;
    final List<SimulatedJob> jobs = new ArrayList<>();

    SimulatedWorkflowRun(
            long id,
            long workflowId,
            String name,
            int runNumber,
            String headBranch,
            String headSha,
            String actor,
            Instant now) {
        this.id = id;
        this.workflowId = workflowId;
        this.name = name;
        this.runNumber = runNumber;
        this.headBranch = headBranch;
        this.headSha = headSha;
        this.event = "push";
        this.actor = actor;
        this.createdAt = now;
        this.runStartedAt = now;
        this.updatedAt = now;
    }

    boolean isCompleted() {
        return "completed".equals(status);
    }

    void setOutcome(String status, String conclusion, Instant now) {
        this.status = status;
        this.conclusion = "completed".equals(status) ? conclusion : null;
        this.updatedAt = now;
    }

    String path() {
        return ".github/workflows/" + workflowId + ".yml";
    }
}
