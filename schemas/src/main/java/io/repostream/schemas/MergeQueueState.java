package io.repostream.schemas;

import java.time.Instant;
import java.util.List;

/**
 * The merge queue of one repository and base branch as it is after a change, on {@code
 * github.mergequeue.v1} (compacted by {@code <repo>|<base>}): what a console shows (positions,
 * lanes, the candidates under test, why the queue is paused) and what just happened. Written by the
 * Flink job's rule {@code merge-queue@1} each time the queue changes.
 *
 * @param repo lowercase {@code owner/repo}
 * @param base the base branch's name
 * @param baseSha where the queue believes the base is (null: unknown until the base's next push)
 * @param pausedBecause why the queue is paused (null: it is not)
 * @param pullRequests every pull request the queue knows, waiting ones in the order they would be
 *     tested
 * @param candidates the candidates being built, tested or landed, the next to land first
 * @param changes what happened in this change (joined, landed, left with the reason, ...)
 * @param at event time of the change
 */
public record MergeQueueState(
        String repo,
        String base,
        String baseSha,
        String pausedBecause,
        List<PullRequest> pullRequests,
        List<Candidate> candidates,
        List<Change> changes,
        Instant at) {
    public MergeQueueState {
        repo = Require.repo(repo, "repo");
        Require.text(base, "base");
        pullRequests = Require.list(pullRequests);
        candidates = Require.list(candidates);
        changes = Require.list(changes);
        Require.present(at, "at");
    }

    /** The record's key: {@code owner/repo|base}. */
    public String key() {
        return repo + "|" + base;
    }

    /**
     * @param number the pull request
     * @param headSha the head it was queued with
     * @param lane {@code emergency} or {@code normal}
     * @param status {@code waiting}, {@code testing} (in a candidate) or {@code out} (left the
     *     queue, still eligible: {@code /merge} queues it again)
     * @param position 1 for the next to be tested among those waiting; 0 when not waiting
     * @param held kept from being tested or landed
     * @param eligibleAt when it joined its lane
     */
    public record PullRequest(
            long number,
            String headSha,
            String lane,
            String status,
            int position,
            boolean held,
            Instant eligibleAt) {}

    /**
     * @param number the candidate's number ({@code repostream/queue/<base>/<number>})
     * @param phase {@code building}, {@code testing}, {@code passed}, {@code failed} or {@code
     *     landing}
     * @param pullRequests its pull requests in merge order
     * @param sha its head once built
     */
    public record Candidate(long number, String phase, List<Long> pullRequests, String sha) {
        public Candidate {
            pullRequests = Require.list(pullRequests);
        }
    }

    /**
     * @param kind {@code queued}, {@code candidate}, {@code rerun}, {@code bisected}, {@code
     *     landed}, {@code left}, {@code requeued}, {@code paused} or {@code resumed} (readers
     *     tolerate others)
     * @param pullRequest the pull request, or 0 when it is about the queue
     * @param detail in words: the reason a pull request left, the candidate's pull requests...
     */
    public record Change(String kind, long pullRequest, String detail) {}
}
