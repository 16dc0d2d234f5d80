package io.repostream.schemas;

import java.time.Instant;
import java.util.List;

/**
 * The state of an issue, pull request or workflow run as read from GitHub. Fields that do not apply
 * to the target's kind are null.
 *
 * @param kind {@code issue}, {@code pull_request} or {@code workflow_run}
 * @param state {@code open}/{@code closed} for issues and PRs
 * @param stateReason GitHub's {@code state_reason}
 * @param labels label names, sorted
 * @param assignees logins, sorted
 * @param requestedReviewers logins, sorted
 * @param headSha a PR's or run's head commit
 * @param merged whether a PR is merged
 * @param runStatus a workflow run's {@code status}
 * @param runConclusion a workflow run's {@code conclusion}
 * @param runAttempt a workflow run's {@code run_attempt}
 * @param commentId the comment an action created (so that rollback can delete it)
 * @param updatedAt GitHub's {@code updated_at}
 * @param name what the target is within its kind when its id does not say it: a check run's name, a
 *     commit status's context (added after the release; null otherwise)
 */
public record TargetState(
        String kind,
        String state,
        String stateReason,
        List<String> labels,
        List<String> assignees,
        List<String> requestedReviewers,
        String headSha,
        Boolean merged,
        String runStatus,
        String runConclusion,
        Integer runAttempt,
        Long commentId,
        Instant updatedAt,
        String name) {

    /** A state without a {@link #name()}, as every kind of the first release has. */
    public TargetState(
            String kind,
            String state,
            String stateReason,
            List<String> labels,
            List<String> assignees,
            List<String> requestedReviewers,
            String headSha,
            Boolean merged,
            String runStatus,
            String runConclusion,
            Integer runAttempt,
            Long commentId,
            Instant updatedAt) {
        this(
                kind,
                state,
                stateReason,
                labels,
                assignees,
                requestedReviewers,
                headSha,
                merged,
                runStatus,
                runConclusion,
                runAttempt,
                commentId,
                updatedAt,
                null);
    }

    public TargetState {
        Require.text(kind, "kind");
        labels = labels == null ? List.of() : labels.stream().sorted().toList();
        assignees = assignees == null ? List.of() : assignees.stream().sorted().toList();
        requestedReviewers =
                requestedReviewers == null
                        ? List.of()
                        : requestedReviewers.stream().sorted().toList();
    }

    /** An issue or PR with these labels and nothing else known. */
    public static TargetState issue(String state, List<String> labels, List<String> assignees) {
        return new TargetState(
                "issue", state, null, labels, assignees, null, null, null, null, null, null, null,
                null);
    }

    public TargetState withCommentId(Long id) {
        return new TargetState(
                kind,
                state,
                stateReason,
                labels,
                assignees,
                requestedReviewers,
                headSha,
                merged,
                runStatus,
                runConclusion,
                runAttempt,
                id,
                updatedAt,
                name);
    }
}
