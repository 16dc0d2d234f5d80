package io.repostream.executor.github;

import io.repostream.schemas.TargetState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The part of GitHub's REST API the executor uses. Handlers talk to this interface only, so the
 * real client and any other implementation are interchangeable.
 *
 * <p>Every method either succeeds or throws {@link GitHubException} whose message names the target
 * ({@code owner/repo#12}). {@link #lastResponse()} tells the status and rate-limit headers of the
 * last answer the calling thread received.
 */
public interface GitHubClient {

    /** An issue (or a pull request seen as an issue): state, state reason, labels, assignees. */
    TargetState issue(String repo, long number);

    /** A pull request: state, labels, assignees, requested reviewers, head SHA, merged. */
    TargetState pullRequest(String repo, long number);

    /** A workflow run: status, conclusion, attempt, head SHA. */
    TargetState workflowRun(String repo, long runId);

    /** Adds labels and returns every label the issue has now. */
    List<String> addLabels(String repo, long number, List<String> labels);

    /** Removes a label and returns the labels the issue has left. */
    List<String> removeLabel(String repo, long number, String label);

    /**
     * Creates a comment and returns its id.
     *
     * @param marker text that only this comment carries (an action's hidden marker): when GitHub's
     *     answer is lost, a comment of ours containing it is this one, and none is created again
     */
    long createComment(String repo, long number, String body, String marker);

    /** Creates a comment whose whole body identifies it (see the four-argument form). */
    default long createComment(String repo, long number, String body) {
        return createComment(repo, number, body, body);
    }

    /**
     * The id of a comment on the issue whose body contains {@code marker} and that this client's
     * own identity wrote (the token's user, or the GitHub App's bot), if any: a person quoting the
     * marker does not count.
     */
    Optional<Long> findComment(String repo, long number, String marker);

    void deleteComment(String repo, long number, long commentId);

    /** Closes with {@code stateReason} ({@code completed} or {@code not_planned}). */
    void closeIssue(String repo, long number, String stateReason);

    void reopenIssue(String repo, long number);

    void addAssignees(String repo, long number, List<String> logins);

    void removeAssignees(String repo, long number, List<String> logins);

    void requestReviewers(String repo, long number, List<String> logins);

    void removeRequestedReviewers(String repo, long number, List<String> logins);

    /** Merges only if the head is still {@code headSha}; GitHub answers 409 otherwise. */
    void mergePullRequest(String repo, long number, String headSha, String mergeMethod);

    /**
     * Re-runs the failed jobs of a run whose latest attempt is {@code attemptSeen}; a newer attempt
     * tells, when GitHub's answer is lost, that the re-run was made.
     */
    void rerunFailedJobs(String repo, long runId, int attemptSeen);

    /** Re-runs every job of a run whose latest attempt is {@code attemptSeen}. */
    void rerunWorkflow(String repo, long runId, int attemptSeen);

    default void rerunFailedJobs(String repo, long runId) {
        rerunFailedJobs(repo, runId, attemptOf(workflowRun(repo, runId)));
    }

    default void rerunWorkflow(String repo, long runId) {
        rerunWorkflow(repo, runId, attemptOf(workflowRun(repo, runId)));
    }

    private static int attemptOf(TargetState run) {
        return run.runAttempt() == null ? 1 : run.runAttempt();
    }

    void cancelWorkflowRun(String repo, long runId);

    /**
     * Tells the client which GitHub App installation owns {@code repo} (actions carry it), so that
     * it need not look it up. Clients that authenticate with one token ignore it.
     */
    default void installationOf(String repo, long installationId) {}

    /**
     * Until when the installation that owns {@code repo} is known to be rate limited (its quota
     * used up, or a secondary limit's wait), if that is known without asking GitHub and within the
     * longest wait allowed: an action on it is better held until then than sent to wait.
     */
    default Optional<Instant> limitedUntil(String repo, Long installationId) {
        return Optional.empty();
    }

    /** Status and rate-limit headers of the last answer this thread received, if any. */
    Optional<GitHubResponse> lastResponse();
}
