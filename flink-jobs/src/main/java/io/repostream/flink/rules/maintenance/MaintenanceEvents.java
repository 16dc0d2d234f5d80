package io.repostream.flink.rules.maintenance;

import io.repostream.schemas.GitHubEvent;
import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The events the maintenance rule reads, keyed by repository: the activity its impact profile
 * learns from (people, workflow runs, merges, issue activity) and what says which branches may be
 * deleted (merged pull requests, pushes, branch creations and deletions).
 */
public final class MaintenanceEvents implements FilterFunction<GitHubEvent> {
    private static final long serialVersionUID = 1L;

    /** The webhook event types the rule reads. */
    public static final Set<String> TYPES =
            Set.of(
                    "issues",
                    "issue_comment",
                    "pull_request",
                    "pull_request_review",
                    "pull_request_review_comment",
                    "push",
                    "workflow_run",
                    "create",
                    "delete");

    @Override
    public boolean filter(GitHubEvent event) {
        return event.repo() != null && TYPES.contains(event.type());
    }

    /** {@code owner/repo}. */
    public static final class Key implements KeySelector<GitHubEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(GitHubEvent event) {
            return event.repo();
        }
    }
}
