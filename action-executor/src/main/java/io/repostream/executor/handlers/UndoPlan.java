package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubResponse;
import java.util.List;
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
     * Send these requests, in order, to restore the part of the target the action changed.
     *
     * @param steps each sends one request and returns GitHub's answer to it: a rollback that must
     *     wait for a GitHub limit between two of them goes on with the one that waited, and does
     *     not send again what was sent
     */
    record Restore<G>(String description, List<Function<G, GitHubResponse>> steps)
            implements UndoPlan<G> {
        public Restore {
            if (steps.isEmpty()) {
                throw new IllegalArgumentException("a restore sends at least one request");
            }
            steps = List.copyOf(steps);
        }

        /** A restore of one request. */
        public Restore(String description, Function<G, GitHubResponse> step) {
            this(description, List.of(step));
        }
    }

    /** The target changed since the action; the change is left alone. */
    record Conflict<G>(String description) implements UndoPlan<G> {}

    /** The action changed nothing, so there is nothing to undo. */
    record NothingToUndo<G>(String description) implements UndoPlan<G> {}

    /** GitHub cannot undo this kind of action (a merge, a cancelled run). */
    record Irreversible<G>(String description) implements UndoPlan<G> {}
}
