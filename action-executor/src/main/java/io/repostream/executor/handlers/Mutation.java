package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubResponse;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.TargetState;

/**
 * What a handler's mutation left behind that is worth keeping, with GitHub's answer to it.
 *
 * @param commentId the id of a comment the action created, if it created one
 * @param after the target's state as GitHub's answer to the mutation showed it, when the answer
 *     shows all the action changed (saves reading the target again); null otherwise
 * @param response GitHub's answer to the mutation (status and rate-limit headers), for the audit
 */
public record Mutation(Long commentId, TargetState after, GitHubResponse response) {

    /** A mutation whose answer tells nothing more than that it was done. */
    public static Mutation done(GitHubResult<?> result) {
        return new Mutation(null, null, result.response());
    }

    public static Mutation comment(GitHubResult<Long> created) {
        return new Mutation(created.value(), null, created.response());
    }

    public static Mutation answered(TargetState after, GitHubResponse response) {
        return new Mutation(null, after, response);
    }
}
