package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubResponse;
import java.util.function.Function;

/**
 * How one applied action is undone now.
 *
 * @param <G> the GitHub interface the handler's undo talks to
 */
public sealed interface UndoPlan<G> {

    /** A human-readable description of the plan. */
    String description();

    /**
     * Send these requests to restore the part of the target the action changed.
     *
     * @param steps sends them and returns GitHub's answer to the last
     */
    record Restore<G>(String description, Function<G, GitHubResponse> steps)
            implements UndoPlan<G> {}

    /** The target changed since the action; the change is left alone. */
    record Conflict<G>(String description) implements UndoPlan<G> {}

    /** The action changed nothing, so there is nothing to undo. */
    record NothingToUndo<G>(String description) implements UndoPlan<G> {}

    /** GitHub cannot undo this kind of action (a merge, a cancelled run). */
    record Irreversible<G>(String description) implements UndoPlan<G> {}
}
