package io.repostream.executor.github;

import io.repostream.schemas.TargetState;

/** Reads a pull request: state, labels, assignees, requested reviewers, head SHA, merged. */
public interface PullReads {
    GitHubResult<TargetState> pullRequest(String repo, long number);
}
