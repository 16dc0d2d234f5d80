package io.repostream.flink.rules.commands;

import java.io.Serializable;

/**
 * The latest completed run of one workflow for a pull request, as its {@code workflow_run} event
 * said.
 *
 * @param id the run's id
 * @param workflow the workflow's name
 * @param conclusion {@code success}, {@code failure}, {@code timed_out}, {@code cancelled}, ...
 * @param attempt the run's attempt
 */
public record WorkflowRun(long id, String workflow, String conclusion, int attempt)
        implements Serializable {
    /** Whether GitHub's "re-run failed jobs" has something to re-run. */
    public boolean failed() {
        return "failure".equals(conclusion) || "timed_out".equals(conclusion);
    }
}
