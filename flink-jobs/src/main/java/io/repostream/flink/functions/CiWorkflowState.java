package io.repostream.flink.functions;

import java.util.List;
import java.util.Map;

/**
 * What the CI planner remembers per repository and workflow; every collection is bounded.
 *
 * @param failedJobs run id to the text of its failed jobs (names, failed steps), until the run
 *     completes
 * @param failedShas head SHA of recent failed runs to the run attempt that failed
 * @param outcomes the latest runs' outcomes, oldest first: {@code ok}, {@code fail} or {@code
 *     flaky}
 * @param reruns event times (epoch ms) of re-runs planned in the last hour
 */
public record CiWorkflowState(
        Map<String, String> failedJobs,
        Map<String, Integer> failedShas,
        List<String> outcomes,
        List<Long> reruns) {

    public CiWorkflowState {
        failedJobs = failedJobs == null ? Map.of() : failedJobs;
        failedShas = failedShas == null ? Map.of() : failedShas;
        outcomes = outcomes == null ? List.of() : outcomes;
        reruns = reruns == null ? List.of() : reruns;
    }

    /** Flaky runs among the recent outcomes. */
    public long flakyCount() {
        return outcomes.stream().filter("flaky"::equals).count();
    }

    /** Share of recent runs that were flaky; 0 with no history. */
    public double flakeRate() {
        return outcomes.isEmpty() ? 0 : (double) flakyCount() / outcomes.size();
    }
}
