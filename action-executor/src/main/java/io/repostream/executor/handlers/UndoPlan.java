package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubClient;
import java.util.function.Consumer;

/** How one applied action is undone now. */
public sealed interface UndoPlan {

    /** A human-readable description of the plan. */
    String description();

    /** Send these requests to restore the part of the target the action changed. */
    record Restore(String description, Consumer<GitHubClient> steps) implements UndoPlan {}

    /** The target changed since the action; the change is left alone. */
    record Conflict(String description) implements UndoPlan {}

    /** The action changed nothing, so there is nothing to undo. */
    record NothingToUndo(String description) implements UndoPlan {}

    /** GitHub cannot undo this kind of action (a merge, a cancelled run). */
    record Irreversible(String description) implements UndoPlan {}
}
