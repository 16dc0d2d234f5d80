package io.repostream.flink.rules.ci;

import java.util.List;
import java.util.Map;

/**
 * What the CI failure classifier remembers per repository and workflow; every collection is
 * bounded. {@code reruns} was the retry planner's before the two rules were split: the classifier
 * restores it from such a savepoint and drops it at its next update.
 *
 * <p>State written before {@code recentRuns} existed had {@code outcomes}, one entry per failed
 * attempt as well as per success; it is not carried over (JSON readers ignore the old field), so
 * the flake window starts again under the per-run definition while {@code failedShas} still
 * recognises flakes of runs that failed before.
 *
 * @param failedJobs run id to the text of its failed jobs (names, failed steps), until the run
 *     completes
 * @param failedShas head SHA of recent failed runs to the run attempt that failed
 * @param recentRuns the workflow's latest completed runs, oldest first, at most {@link
 *     CiFailureClassifierFunction#FLAKE_WINDOW}: run ({@code run:<id>}, or {@code sha:<head sha>}
 *     for other CI apps' checks) to its outcome so far, {@code ok}, {@code fail} or {@code flaky};
 *     a re-run updates its run's entry
 * @param reruns event times (epoch ms) of re-runs planned in the last hour
 */
public record CiWorkflowState(
        Map<String, String> failedJobs,
        Map<String, Integer> failedShas,
        Map<String, String> recentRuns,
        List<Long> reruns) {

    public CiWorkflowState {
        failedJobs = failedJobs == null ? Map.of() : failedJobs;
        failedShas = failedShas == null ? Map.of() : failedShas;
        recentRuns = recentRuns == null ? Map.of() : recentRuns;
        reruns = reruns == null ? List.of() : reruns;
    }

    /** Flaky runs among the recent ones. */
    public long flakyCount() {
        return recentRuns.values().stream().filter("flaky"::equals).count();
    }

    /** Share of the recent completed runs that were flaky; 0 with no history. */
    public double flakeRate() {
        return recentRuns.isEmpty() ? 0 : (double) flakyCount() / recentRuns.size();
    }
}
