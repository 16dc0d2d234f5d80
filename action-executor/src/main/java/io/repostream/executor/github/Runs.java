package io.repostream.executor.github;

import io.repostream.schemas.TargetState;

/** Workflow runs: read, re-run, cancel. */
public interface Runs {

    /** A workflow run: status, conclusion, attempt, head SHA. */
    GitHubResult<TargetState> workflowRun(String repo, long runId);

    /**
     * Re-runs the failed jobs of a run whose latest attempt is {@code attemptSeen}; a newer attempt
     * tells, when GitHub's answer is lost, that the re-run was made.
     */
    GitHubResult<Void> rerunFailedJobs(String repo, long runId, int attemptSeen);

    /** Re-runs every job of a run whose latest attempt is {@code attemptSeen}. */
    GitHubResult<Void> rerunWorkflow(String repo, long runId, int attemptSeen);

    default GitHubResult<Void> rerunFailedJobs(String repo, long runId) {
        return rerunFailedJobs(repo, runId, attemptOf(workflowRun(repo, runId).value()));
    }

    default GitHubResult<Void> rerunWorkflow(String repo, long runId) {
        return rerunWorkflow(repo, runId, attemptOf(workflowRun(repo, runId).value()));
    }

    private static int attemptOf(TargetState run) {
        return run.runAttempt() == null ? 1 : run.runAttempt();
    }

    GitHubResult<Void> cancelWorkflowRun(String repo, long runId);
}
