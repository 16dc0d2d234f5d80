package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/**
 * Applies one action type through a narrow GitHub interface of its own ({@code G}: labels,
 * comments, runs, ...) and declares how it is undone. Handlers are stateless; the {@link
 * io.repostream.executor.ActionProcessor} owns ordering (snapshot before mutation, audit after).
 *
 * @param <G> the part of GitHub the handler talks to; the executor's client implements every one
 */
public interface ActionHandler<G> {

    ActionType type();

    /**
     * The GitHub App permission the handler's requests need (GitHub's "Permissions required for
     * GitHub Apps"): an installation without it is not sent the action.
     */
    AppPermission permission();

    /**
     * Checks the action's parameters.
     *
     * @throws IllegalArgumentException naming the parameter and the target when they are unusable
     */
    void validate(ActionRecord action);

    /** Reads the current state of the target, with GitHub's answer. */
    GitHubResult<TargetState> read(G github, String repo, long target);

    /**
     * Reads the current state of what {@code action} acts on. By default the target by its number;
     * a type whose target is no number (a ref, a commit: its {@code target} is only a digest of the
     * typed target's id) or that acts on a part of it its parameters name (a check run's name)
     * reads it from the action.
     */
    default GitHubResult<TargetState> read(G github, ActionRecord action) {
        return read(github, action.repo(), action.target());
    }

    /**
     * Reads the current state of what an applied action acted on, for its rollback; by default the
     * target by its number. See {@link #read(Object, ActionRecord)}.
     */
    default GitHubResult<TargetState> read(G github, AuditRecord applied) {
        return read(github, applied.repo(), applied.target());
    }

    /** The state the action would leave behind, for dry runs. */
    TargetState intended(TargetState before, ActionRecord action);

    /** Why the action must not be applied to a target in this state, if it must not. */
    default Optional<String> refusal(TargetState current, ActionRecord action) {
        return Optional.empty();
    }

    /**
     * The state after the action if its effect is already there, so that no request is sent: the
     * target may already be as wanted, or an attempt before a crash may have applied it.
     *
     * @param before the state recorded in the action's snapshot (or the current state when none)
     * @param earlierAttempt whether a snapshot of an earlier attempt exists (so a mutation may have
     *     been sent before a crash)
     */
    Optional<TargetState> existingEffect(
            G github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt);

    /** Sends the mutation; the result carries GitHub's answer to it. */
    Mutation apply(G github, ActionRecord action, TargetState before);

    /**
     * How to undo the action, given the state before it, right after it, and now. Only the part of
     * the target the action changed is looked at: if that part changed since, the plan is a
     * conflict and the change is left alone.
     */
    UndoPlan<G> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current);

    /**
     * {@link #planUndo(String, long, TargetState, TargetState, TargetState)} for an applied action
     * (its state after is {@code applied.after()}); types whose target is no number plan by the
     * typed target.
     */
    default UndoPlan<G> planUndo(AuditRecord applied, TargetState before, TargetState current) {
        return planUndo(applied.repo(), applied.target(), before, applied.after(), current);
    }
}
