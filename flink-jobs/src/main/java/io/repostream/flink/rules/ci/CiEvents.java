package io.repostream.flink.rules.ci;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Completed CI work (workflow runs and jobs, check runs) and the job logs the classifier asked for
 * ({@code read_job_log} results), keyed by repository and workflow.
 */
public final class CiEvents implements FilterFunction<GitHubEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(GitHubEvent event) {
        if (event.repo() == null) {
            return false;
        }
        if (event.source() == EventSource.ENRICHMENT) {
            // a job's log the classifier asked for, read or not
            return ActionType.READ_JOB_LOG.wireName().equals(event.type());
        }
        if (!"completed".equals(event.action())) {
            return false;
        }
        return switch (event.type()) {
            case "workflow_run", "workflow_job" -> true;
            // GitHub Actions' own check runs repeat its workflow jobs
            case "check_run" ->
                    !"github-actions"
                            .equals(
                                    event.payload()
                                            .path("check_run")
                                            .path("app")
                                            .path("slug")
                                            .asText());
            default -> false;
        };
    }

    /** {@code owner/repo|workflow name} (or check name for other CI apps). */
    public static final class Key implements KeySelector<GitHubEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(GitHubEvent event) {
            return event.repo() + "|" + workflow(event);
        }
    }

    /** The workflow (or check) a completion belongs to. */
    public static String workflow(GitHubEvent event) {
        JsonNode p = event.payload();
        return switch (event.type()) {
            case "workflow_run" -> p.path("workflow_run").path("name").asText("unknown");
            case "workflow_job" -> p.path("workflow_job").path("workflow_name").asText("unknown");
            case "read_job_log" ->
                    p.path("enrichment").path("params").path("workflow").asText("unknown");
            default -> "check:" + p.path("check_run").path("name").asText("unknown");
        };
    }
}
