package io.repostream.executor.github;

/** Merges pull requests. */
public interface Merges extends PullReads {

    /** Merges only if the head is still {@code headSha}; GitHub answers 409 otherwise. */
    GitHubResult<Void> mergePullRequest(
            String repo, long number, String headSha, String mergeMethod);
}
