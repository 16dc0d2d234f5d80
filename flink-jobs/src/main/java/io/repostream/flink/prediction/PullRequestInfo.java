package io.repostream.flink.prediction;

import java.time.Instant;

/**
 * What is known of an open pull request before its CI finishes: size, reviews, first approval.
 *
 * @param createdAt when it was opened, when known
 * @param headSha its latest head commit
 * @param commits commits, when known
 * @param additions lines added, when known
 * @param deletions lines deleted, when known
 * @param changedFiles files changed, when known
 * @param reviews reviews submitted so far
 * @param approvedAt first approval, or null
 */
public record PullRequestInfo(
        Instant createdAt,
        String headSha,
        Integer commits,
        Integer additions,
        Integer deletions,
        Integer changedFiles,
        int reviews,
        Instant approvedAt) {

    public static final PullRequestInfo NONE =
            new PullRequestInfo(null, null, null, null, null, null, 0, null);

    /** Updated by a pull_request event: its size and head; reviews stay. */
    public PullRequestInfo withPush(BuildSignal pr) {
        return new PullRequestInfo(
                pr.prCreatedAt() != null ? pr.prCreatedAt() : createdAt,
                pr.headSha() != null ? pr.headSha() : headSha,
                pr.commits() != null ? pr.commits() : commits,
                pr.additions() != null ? pr.additions() : additions,
                pr.deletions() != null ? pr.deletions() : deletions,
                pr.changedFiles() != null ? pr.changedFiles() : changedFiles,
                reviews,
                approvedAt);
    }

    /** Updated by a review event. */
    public PullRequestInfo withReview(BuildSignal review) {
        if ("dismissed".equals(review.reviewState())) {
            return this;
        }
        boolean approval = "approved".equals(review.reviewState());
        return new PullRequestInfo(
                createdAt != null ? createdAt : review.prCreatedAt(),
                headSha,
                commits,
                additions,
                deletions,
                changedFiles,
                reviews + 1,
                approval && approvedAt == null ? review.at() : approvedAt);
    }
}
