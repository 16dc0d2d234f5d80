package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The target's state read right before a mutation, on {@code github.snapshots.v1}, compacted by
 * {@code action_id}. Written before the mutation, so a crash in between still leaves the means to
 * undo it.
 *
 * @param target the action's {@code target}
 * @param declaredTarget {@code typed_target}: the action's typed target, as the executor carries
 *     it; null in records from before it existed, which {@link #typedTarget()} reads as before
 */
public record Snapshot(
        String actionId,
        String repo,
        long target,
        @JsonProperty("typed_target") TypedTarget declaredTarget,
        ActionType actionType,
        String producedBy,
        Instant takenAt,
        TargetState before) {

    public Snapshot {
        Require.text(actionId, "action_id");
        repo = Require.repo(repo, "repo");
        TypedTarget.requireSameTarget(target, declaredTarget, repo);
        Require.present(actionType, "action_type");
        Require.text(producedBy, "produced_by");
        Require.present(takenAt, "taken_at");
        Require.present(before, "before");
    }

    /**
     * The snapshot of {@code action}'s target as it was {@code before}, taken at {@code takenAt}.
     */
    public static Snapshot of(ActionRecord action, Instant takenAt, TargetState before) {
        return new Snapshot(
                action.actionId(),
                action.repo(),
                action.target(),
                action.typedTarget(),
                action.type(),
                action.producedBy(),
                takenAt,
                before);
    }

    /** A snapshot without a typed target, as every one was before {@code typed_target}. */
    public Snapshot(
            String actionId,
            String repo,
            long target,
            ActionType actionType,
            String producedBy,
            Instant takenAt,
            TargetState before) {
        this(actionId, repo, target, null, actionType, producedBy, takenAt, before);
    }

    /**
     * What the action acted on: the {@code typed_target} written, or for a snapshot without one,
     * the type's own kind with {@code target} as its id.
     */
    public TypedTarget typedTarget() {
        return declaredTarget != null ? declaredTarget : TypedTarget.implied(actionType, target);
    }

    /** The same snapshot of an action on {@code on}, with {@code target} set to match it. */
    public Snapshot withTypedTarget(TypedTarget on) {
        return new Snapshot(
                actionId, repo, on.legacyTarget(), on, actionType, producedBy, takenAt, before);
    }
}
