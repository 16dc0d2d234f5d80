package io.repostream.flink.rules.completion;

import io.repostream.schemas.GitHubEvent;
import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The events the completion rule reads, keyed by repository: a pull request or a pushed commit
 * links to issues by number, and a check suite, commit status or workflow run names only its
 * commit, so the rule finds the issues of a pull request or a commit in its own keyed state, which
 * therefore holds the repository (one entry per issue that open or recent work links to). The
 * answers to its comparison reads ({@code read_compare}, {@code source: enrichment}) are keyed by
 * the same repository.
 */
public final class CompletionEvents implements FilterFunction<GitHubEvent> {
    private static final long serialVersionUID = 1L;

    /** The webhook event types the rule reads. */
    public static final Set<String> TYPES =
            Set.of(
                    "pull_request",
                    "push",
                    "check_suite",
                    "status",
                    "workflow_run",
                    "issues",
                    "issue_comment",
                    CompletionFunction.COMPARE.wireName());

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
