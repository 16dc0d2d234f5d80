package io.repostream.flink.rules.merge.queue;

import java.util.List;

/**
 * The queue of one base branch as it is kept between inputs (in keyed state), written and read by
 * {@link QueueStateCodec}. Times are epoch milliseconds.
 *
 * @param baseSha where the base branch is, as far as the queue knows (null: unknown, e.g. after a
 *     landing was refused because the base moved, until the next push of the base is seen)
 * @param pauseReason why the queue is paused (null: it is not)
 * @param pausedByTimeout the pause came from a candidate without checks, and ends by itself when a
 *     check arrives
 * @param pulls the pull requests the queue knows: waiting, in a candidate, or out of the queue but
 *     still eligible (until {@code /merge})
 * @param candidates the candidates being built, tested or landed, oldest (next to land) first
 */
public record QueueState(
        String baseSha,
        String pauseReason,
        boolean pausedByTimeout,
        long nextCandidate,
        long nextSeq,
        int nextGroup,
        List<PullEntry> pulls,
        List<CandidateEntry> candidates) {
    public QueueState {
        pulls = List.copyOf(pulls);
        candidates = List.copyOf(candidates);
    }

    /** A queue that has seen nothing. */
    public static QueueState empty() {
        return new QueueState(null, null, false, 1, 1, 1, List.of(), List.of());
    }

    /** Where a pull request is. */
    public enum PullStatus {
        WAITING,
        TESTING,
        OUT
    }

    /**
     * @param group the bisection group it belongs to (0: none); a group is tested on its own
     * @param suspect its group is known to fail on the current base (the group beside it landed
     *     after the two failed together): it is split without being tested whole
     * @param suspectAfter the group whose landing makes this one suspect (0: none)
     */
    public record PullEntry(
            int number,
            String headSha,
            boolean emergency,
            PullStatus status,
            boolean held,
            long eligibleAt,
            long seq,
            int group,
            boolean suspect,
            int suspectAfter) {}

    /** The phases of a candidate. */
    public enum Phase {
        BUILDING,
        TESTING,
        PASSED,
        FAILED,
        LANDING
    }

    /**
     * @param pulls its pull requests in merge order (one that conflicted is gone)
     * @param next the index in {@code pulls} of the next one to merge (building) or land (squash)
     * @param parentSha what it was built on: the base's head or the candidate before it
     * @param sha its head: the last merge, the candidate's SHA once built
     * @param since when it started testing (or was rerun)
     * @param buildRef its build branch exists; {@code queueRef}: its candidate branch exists
     * @param pendingKey the step whose outcome it waits for (null: none)
     * @param failure why it failed, for the pull requests' comments
     */
    public record CandidateEntry(
            long number,
            int group,
            Phase phase,
            List<Integer> pulls,
            int next,
            String parentSha,
            String sha,
            long since,
            boolean rerun,
            boolean timedOut,
            boolean buildRef,
            boolean queueRef,
            String pendingKey,
            String failure,
            List<CheckEntry> checks) {
        public CandidateEntry {
            pulls = List.copyOf(pulls);
            checks = List.copyOf(checks);
        }
    }

    /** A required check's result on a candidate; {@code failureClass} null for a success. */
    public record CheckEntry(
            String name,
            boolean success,
            io.repostream.flink.rules.ci.FailureClass failureClass,
            long runId) {}
}
