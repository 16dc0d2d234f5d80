package io.repostream.testkit.github;

import java.util.List;

/** A workflow run and its jobs as the simulator holds them, for assertions. */
public record WorkflowRunView(
        long id,
        long workflowId,
        String headSha,
        String status,
        String conclusion,
        int runAttempt,
        List<Job> jobs) {

    public record Job(long id, String name, String status, String conclusion, int runAttempt) {}
}
