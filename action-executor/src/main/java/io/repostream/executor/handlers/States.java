package io.repostream.executor.handlers;

import io.repostream.schemas.TargetState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Copies of a {@link TargetState} with one part changed, and set arithmetic on name lists. */
final class States {
    private States() {}

    static TargetState withLabels(TargetState s, List<String> labels) {
        return new TargetState(
                s.kind(),
                s.state(),
                s.stateReason(),
                labels,
                s.assignees(),
                s.requestedReviewers(),
                s.headSha(),
                s.merged(),
                s.runStatus(),
                s.runConclusion(),
                s.runAttempt(),
                s.commentId(),
                s.updatedAt());
    }

    static TargetState withAssignees(TargetState s, List<String> assignees) {
        return new TargetState(
                s.kind(),
                s.state(),
                s.stateReason(),
                s.labels(),
                assignees,
                s.requestedReviewers(),
                s.headSha(),
                s.merged(),
                s.runStatus(),
                s.runConclusion(),
                s.runAttempt(),
                s.commentId(),
                s.updatedAt());
    }

    static TargetState withReviewers(TargetState s, List<String> reviewers) {
        return new TargetState(
                s.kind(),
                s.state(),
                s.stateReason(),
                s.labels(),
                s.assignees(),
                reviewers,
                s.headSha(),
                s.merged(),
                s.runStatus(),
                s.runConclusion(),
                s.runAttempt(),
                s.commentId(),
                s.updatedAt());
    }

    static TargetState withState(TargetState s, String state, String stateReason) {
        return new TargetState(
                s.kind(),
                state,
                stateReason,
                s.labels(),
                s.assignees(),
                s.requestedReviewers(),
                s.headSha(),
                s.merged(),
                s.runStatus(),
                s.runConclusion(),
                s.runAttempt(),
                s.commentId(),
                s.updatedAt());
    }

    static TargetState merged(TargetState s) {
        return new TargetState(
                s.kind(),
                "closed",
                s.stateReason(),
                s.labels(),
                s.assignees(),
                s.requestedReviewers(),
                s.headSha(),
                true,
                s.runStatus(),
                s.runConclusion(),
                s.runAttempt(),
                s.commentId(),
                s.updatedAt());
    }

    static TargetState withRun(TargetState s, String status, String conclusion, Integer attempt) {
        return new TargetState(
                s.kind(),
                s.state(),
                s.stateReason(),
                s.labels(),
                s.assignees(),
                s.requestedReviewers(),
                s.headSha(),
                s.merged(),
                status,
                conclusion,
                attempt,
                s.commentId(),
                s.updatedAt());
    }

    /** Names in {@code a} that are not in {@code b}, in {@code a}'s order. */
    static List<String> minus(Collection<String> a, Collection<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.removeAll(b);
        return List.copyOf(out);
    }

    static List<String> union(Collection<String> a, Collection<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    static List<String> intersection(Collection<String> a, Collection<String> b) {
        List<String> out = new ArrayList<>(a);
        out.retainAll(b);
        return List.copyOf(out);
    }
}
