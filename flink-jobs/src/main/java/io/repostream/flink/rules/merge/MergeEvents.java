package io.repostream.flink.rules.merge;

import io.repostream.schemas.GitHubEvent;
import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The events the merge rules read, keyed by repository: a commit status names only its SHA (no pull
 * request), and a check run of a fork's pull request names none either, so the rule finds the pull
 * requests of a commit in its own keyed state, which therefore holds the whole repository (one
 * entry per open pull request and per recent commit).
 */
public final class MergeEvents implements FilterFunction<GitHubEvent> {
    private static final long serialVersionUID = 1L;

    /** The webhook event types the rule reads. */
    public static final Set<String> TYPES =
            Set.of(
                    "pull_request",
                    "pull_request_review",
                    "check_run",
                    "check_suite",
                    "status",
                    "workflow_run");

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
