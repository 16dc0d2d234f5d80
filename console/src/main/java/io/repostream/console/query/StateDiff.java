package io.repostream.console.query;

import io.repostream.schemas.TargetState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** A readable field-by-field comparison of two states of one target. */
public final class StateDiff {
    private StateDiff() {}

    /**
     * The fields that either state knows, in a fixed order; lists show what was added and removed.
     * Either state may be null (nothing read, or nothing changed).
     */
    public static List<DiffRow> between(TargetState before, TargetState after) {
        List<DiffRow> rows = new ArrayList<>();
        scalar(rows, "state", before, after, TargetState::state);
        scalar(rows, "state_reason", before, after, TargetState::stateReason);
        list(rows, "labels", before, after, TargetState::labels);
        list(rows, "assignees", before, after, TargetState::assignees);
        list(rows, "requested_reviewers", before, after, TargetState::requestedReviewers);
        scalar(rows, "merged", before, after, TargetState::merged);
        scalar(rows, "head_sha", before, after, TargetState::headSha);
        scalar(rows, "run_status", before, after, TargetState::runStatus);
        scalar(rows, "run_conclusion", before, after, TargetState::runConclusion);
        scalar(rows, "run_attempt", before, after, TargetState::runAttempt);
        scalar(rows, "comment_id", before, after, TargetState::commentId);
        return rows;
    }

    private static void scalar(
            List<DiffRow> rows,
            String field,
            TargetState before,
            TargetState after,
            Function<TargetState, Object> get) {
        Object b = before == null ? null : get.apply(before);
        Object a = after == null ? null : get.apply(after);
        if (b == null && a == null) {
            return;
        }
        rows.add(
                new DiffRow(
                        field,
                        b == null ? "" : b.toString(),
                        a == null ? "" : a.toString(),
                        after != null && !Objects.equals(b, a),
                        List.of(),
                        List.of()));
    }

    private static void list(
            List<DiffRow> rows,
            String field,
            TargetState before,
            TargetState after,
            Function<TargetState, List<String>> get) {
        List<String> b = before == null ? List.of() : get.apply(before);
        List<String> a = after == null ? List.of() : get.apply(after);
        if (b.isEmpty() && a.isEmpty()) {
            return;
        }
        List<String> added =
                after == null ? List.of() : a.stream().filter(x -> !b.contains(x)).toList();
        List<String> removed =
                after == null ? List.of() : b.stream().filter(x -> !a.contains(x)).toList();
        rows.add(
                new DiffRow(
                        field,
                        String.join(", ", b),
                        after == null ? "" : String.join(", ", a),
                        !added.isEmpty() || !removed.isEmpty(),
                        added,
                        removed));
    }
}
