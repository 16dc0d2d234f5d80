package io.repostream.schemas;

import java.time.Instant;

/**
 * The target's state read right before a mutation, on {@code github.snapshots.v1}, compacted by
 * {@code action_id}. Written before the mutation, so a crash in between still leaves the means to
 * undo it.
 */
public record Snapshot(
        String actionId,
        String repo,
        long target,
        ActionType actionType,
        String producedBy,
        Instant takenAt,
        TargetState before) {

    public Snapshot {
        Require.text(actionId, "action_id");
        repo = Require.repo(repo, "repo");
        Require.present(actionType, "action_type");
        Require.text(producedBy, "produced_by");
        Require.present(takenAt, "taken_at");
        Require.present(before, "before");
    }
}
