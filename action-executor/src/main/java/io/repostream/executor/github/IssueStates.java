package io.repostream.executor.github;

/** Closes and reopens issues. */
public interface IssueStates extends IssueReads {

    /** Closes with {@code stateReason} ({@code completed} or {@code not_planned}). */
    GitHubResult<Void> closeIssue(String repo, long number, String stateReason);

    GitHubResult<Void> reopenIssue(String repo, long number);
}
