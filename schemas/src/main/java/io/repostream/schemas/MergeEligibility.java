package io.repostream.schemas;

import java.time.Instant;
import java.util.List;

/**
 * A change of one pull request's merge eligibility, as the merge rules judged it for its head
 * commit: the record of the queue-state stream, keyed by repo.
 *
 * @param repo lowercase {@code owner/repo}
 * @param base the base branch's name
 * @param pullNumber the pull request's number
 * @param headSha the head commit judged
 * @param eligible whether every condition of the base branch's {@code merge_queue:} settings holds
 * @param reasons the conditions not met, each as {@code condition: why} (empty when eligible)
 * @param at event time of the event that changed the verdict
 */
public record MergeEligibility(
        String repo,
        String base,
        long pullNumber,
        String headSha,
        boolean eligible,
        List<String> reasons,
        Instant at) {
    public MergeEligibility {
        repo = Require.repo(repo, "repo");
        Require.text(base, "base");
        if (pullNumber <= 0) {
            throw new IllegalArgumentException("pull_number must be positive, got " + pullNumber);
        }
        Require.text(headSha, "head_sha");
        reasons = Require.list(reasons);
        Require.present(at, "at");
    }
}
