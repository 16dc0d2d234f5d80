package io.repostream.executor.github;

import io.repostream.schemas.TargetState;

/** Reads an issue (or a pull request seen as an issue): state, state reason, labels, assignees. */
public interface IssueReads {
    GitHubResult<TargetState> issue(String repo, long number);
}
