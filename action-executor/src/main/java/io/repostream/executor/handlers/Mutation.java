package io.repostream.executor.handlers;

import io.repostream.schemas.TargetState;

/**
 * What a handler's mutation left behind that is worth keeping.
 *
 * @param commentId the id of a comment the action created, if it created one
 * @param after the target's state as GitHub's answer to the mutation showed it, when the answer
 *     shows all the action changed (saves reading the target again); null otherwise
 */
public record Mutation(Long commentId, TargetState after) {
    public static final Mutation DONE = new Mutation(null, null);

    public static Mutation comment(long id) {
        return new Mutation(id, null);
    }

    public static Mutation answered(TargetState after) {
        return new Mutation(null, after);
    }
}
