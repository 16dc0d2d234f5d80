package io.repostream.executor.reads;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.CollaboratorReads.Conditional;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;

/**
 * Performs one read type for the rules through a narrow GitHub interface of its own ({@code G}):
 * checks the parameters, names the resource (the cache's key), reads it conditionally.
 *
 * @param <G> the part of GitHub the read talks to; the executor's client implements every one
 */
public interface ReadHandler<G> {

    ActionType type();

    /** The GitHub App permission the read's endpoint needs. */
    AppPermission permission();

    /**
     * Checks the action's parameters.
     *
     * @throws IllegalArgumentException naming the parameter and the target when they are unusable
     */
    void validate(ActionRecord action);

    /** The resource read, the same for every action that reads it (the cache's key). */
    String resource(ActionRecord action);

    /** Reads the resource, conditional on {@code etag} when it is not null. */
    GitHubResult<Conditional> read(G github, ActionRecord action, String etag);
}
