package io.repostream.flink.prediction;

import java.time.Instant;
import java.util.List;

/**
 * What the success predictor reads from one GitHub event: a few typed fields instead of a payload
 * of tens of kilobytes. A trigger ({@link Kind#RUN_STARTED}, {@link Kind#PR_UPDATED}) never carries
 * a conclusion — {@link BuildSignals} does not read it — so features computed from a trigger cannot
 * see the outcome they predict.
 *
 * @param kind what happened
 * @param repo lowercase {@code owner/repo}
 * @param eventId the GitHub event's id
 * @param at event time
 * @param installationId the GitHub App installation, when known
 * @param runId workflow run id (runs only)
 * @param runAttempt 1 for a first run, more for re-runs (runs only)
 * @param workflowId the workflow's id (runs only)
 * @param headSha the commit being built
 * @param actor who caused the build (lowercase login); empty when unknown
 * @param pullRequests numbers of the pull requests a run builds (runs), or the PR's own number
 * @param commits commits in the pull request, when the payload gives them
 * @param additions lines added by the pull request, when given
 * @param deletions lines deleted by the pull request, when given
 * @param changedFiles files changed by the pull request, when given
 * @param prCreatedAt when the pull request was opened, when given
 * @param reviewState {@code approved}, {@code changes_requested}, ... (reviews only)
 * @param conclusion GitHub's conclusion (completed runs only; null on every trigger)
 */
public record BuildSignal(
        Kind kind,
        String repo,
        String eventId,
        Instant at,
        Long installationId,
        Long runId,
        Integer runAttempt,
        Long workflowId,
        String headSha,
        String actor,
        List<Long> pullRequests,
        Integer commits,
        Integer additions,
        Integer deletions,
        Integer changedFiles,
        Instant prCreatedAt,
        String reviewState,
        String conclusion) {

    /** The kinds of event the predictor follows. */
    public enum Kind {
        /** {@code workflow_run} requested or in_progress: predict. */
        RUN_STARTED,
        /** {@code workflow_run} completed: the outcome. */
        RUN_COMPLETED,
        /** {@code pull_request} opened, reopened or synchronize: predict. */
        PR_UPDATED,
        /** {@code pull_request_review} submitted or dismissed. */
        PR_REVIEWED,
        /** {@code pull_request} closed: its state is no longer needed. */
        PR_CLOSED
    }

    public BuildSignal {
        pullRequests = pullRequests == null ? List.of() : List.copyOf(pullRequests);
        actor = actor == null ? "" : actor;
        if (conclusion != null && kind != Kind.RUN_COMPLETED) {
            throw new IllegalArgumentException(
                    kind + " of " + repo + " carries a conclusion; only outcomes may");
        }
    }

    /** The pull request this signal is about, or the first one a run builds; null if none. */
    public Long pullRequest() {
        return pullRequests.isEmpty() ? null : pullRequests.get(0);
    }

    /** {@code owner/repo#123} for pull requests, {@code owner/repo run 456} for runs. */
    public String ref() {
        if (runId != null) {
            return repo + " run " + runId;
        }
        return repo + "#" + pullRequest();
    }
}
