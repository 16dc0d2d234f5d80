package io.repostream.flink.rules.ci;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the CI failure classifier keeps per repository and workflow about job logs (state {@code
 * ci-logs}, beside the workflow state it restored from the retry planner): the logs asked for and
 * read per run, failed runs waiting for their logs, the history of failed tests per branch (for
 * flaky tests) and the clusters of unknown failures. Every collection is bounded.
 *
 * @param runs run id to its logs, until the run has been classified
 * @param tests {@code <branch> <test>} to the test's recent failures
 * @param clusters clusters of unknown failure texts, least recently seen first
 */
public record CiLogState(
        Map<String, RunLogs> runs,
        Map<String, TestHistory> tests,
        List<FailureClusters.Cluster> clusters) {

    static final int MAX_RUNS = 100;
    static final int MAX_TESTS = 500;

    public CiLogState {
        runs = runs == null ? Map.of() : runs;
        tests = tests == null ? Map.of() : tests;
        clusters = clusters == null ? List.of() : clusters;
    }

    static CiLogState empty() {
        return new CiLogState(null, null, null);
    }

    boolean isEmpty() {
        return runs.isEmpty() && tests.isEmpty() && clusters.isEmpty();
    }

    RunLogs run(long runId) {
        RunLogs r = runs.get(String.valueOf(runId));
        return r == null ? RunLogs.NONE : r;
    }

    CiLogState withRun(long runId, RunLogs logs) {
        Map<String, RunLogs> next = new LinkedHashMap<>(runs);
        next.remove(String.valueOf(runId));
        if (logs != null) {
            next.put(String.valueOf(runId), logs);
        }
        var oldest = next.keySet().iterator();
        while (next.size() > MAX_RUNS) {
            oldest.next();
            oldest.remove();
        }
        return new CiLogState(next, tests, clusters);
    }

    CiLogState withTests(Map<String, TestHistory> nextTests) {
        Map<String, TestHistory> bounded = new LinkedHashMap<>(nextTests);
        var oldest = bounded.keySet().iterator();
        while (bounded.size() > MAX_TESTS) {
            oldest.next();
            oldest.remove();
        }
        return new CiLogState(runs, bounded, clusters);
    }

    CiLogState withClusters(List<FailureClusters.Cluster> next) {
        return new CiLogState(runs, tests, next);
    }

    /**
     * The logs of one run's failed jobs.
     *
     * @param awaiting job ids whose log was asked for and has not come back
     * @param excerpts the error lines of the logs read, one text per job
     * @param failedTests the failed tests named in them
     * @param pending the run, once it completed as failed and waits for {@code awaiting}; else null
     */
    public record RunLogs(
            List<Long> awaiting,
            List<String> excerpts,
            List<String> failedTests,
            PendingRun pending) {
        static final RunLogs NONE = new RunLogs(null, null, null, null);

        public RunLogs {
            awaiting = awaiting == null ? List.of() : List.copyOf(awaiting);
            excerpts = excerpts == null ? List.of() : List.copyOf(excerpts);
            failedTests = failedTests == null ? List.of() : List.copyOf(failedTests);
        }
    }

    /**
     * A completed failed run whose classification waits for its jobs' logs, until {@code deadline}
     * (event time, epoch ms; a timer is set for it).
     */
    public record PendingRun(
            long runId,
            String sha,
            String branch,
            String conclusion,
            int attempt,
            long pullRequest,
            String jobText,
            String eventId,
            Long installationId,
            Instant occurredAt,
            long deadline) {}

    /**
     * A test's recent failures on one branch.
     *
     * @param shas the head SHAs it failed on, latest last (at most five)
     * @param passedSince whether the workflow passed on the branch since the latest failure
     * @param flips how often it failed again on another SHA after the workflow had passed
     */
    public record TestHistory(List<String> shas, boolean passedSince, int flips) {
        public TestHistory {
            shas = shas == null ? List.of() : List.copyOf(shas);
        }
    }
}
