package io.repostream.executor.handlers;

/**
 * What a handler's mutation left that the target's state does not show.
 *
 * @param commentId the id of a comment the action created, if it created one
 */
public record Mutation(Long commentId) {
    public static final Mutation DONE = new Mutation(null);
}
