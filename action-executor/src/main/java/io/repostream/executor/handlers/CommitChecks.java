package io.repostream.executor.handlers;

import io.repostream.executor.github.Checks;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetKind;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.TypedTarget;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** What the check-run and commit-status handlers share. */
final class CommitChecks {
    /** GitHub's limit on a status's description. */
    static final int MAX_DESCRIPTION = 140;

    static final Set<String> STATES = Set.of("error", "failure", "pending", "success");
    static final Set<String> RUN_STATUSES = Set.of("queued", "in_progress", "completed");
    static final Set<String> CONCLUSIONS =
            Set.of(
                    "action_required",
                    "cancelled",
                    "failure",
                    "neutral",
                    "success",
                    "skipped",
                    "timed_out");

    /** A check run's conclusion as a commit status's state, for clients that are no App. */
    private static final Map<String, String> STATE_OF_CONCLUSION =
            Map.of(
                    "success", "success",
                    "neutral", "success",
                    "skipped", "success",
                    "failure", "failure",
                    "action_required", "failure",
                    "cancelled", "error",
                    "timed_out", "error");

    /** What an undo writes on a check or status that did not exist before the action. */
    static final String SUPERSEDED = "Superseded: withdrawn by a rollback of repostream's action";

    private CommitChecks() {}

    static String sha(ActionRecord action) {
        TypedTarget target = action.typedTarget();
        if (target == null || !target.kind().equals(TargetKind.COMMIT)) {
            throw Params.invalid(action, "the target must be a commit (its 40-digit SHA)");
        }
        return target.id();
    }

    static String sha(TypedTarget target, String repo) {
        if (target == null || !target.kind().equals(TargetKind.COMMIT)) {
            throw new IllegalArgumentException(
                    "a check on " + repo + " needs a typed commit target, got " + target);
        }
        return target.id();
    }

    /** The commit status a check run is written as when the client is no App. */
    static String stateOf(String status, String conclusion) {
        if (!"completed".equals(status)) {
            return "pending";
        }
        return STATE_OF_CONCLUSION.getOrDefault(conclusion, "error");
    }

    static String description(String text) {
        if (text == null || text.length() <= MAX_DESCRIPTION) {
            return text;
        }
        return text.substring(0, MAX_DESCRIPTION - 1) + "…";
    }

    static boolean absent(TargetState state) {
        return state == null || "absent".equals(state.state());
    }

    static TargetState status(String sha, String context, String state, String description) {
        return new TargetState(
                Checks.COMMIT_STATUS,
                state,
                description,
                null,
                null,
                null,
                sha,
                null,
                null,
                null,
                null,
                null,
                null,
                context);
    }

    static TargetState checkRun(
            String sha, String name, String status, String conclusion, String title) {
        return new TargetState(
                Checks.CHECK_RUN,
                conclusion != null ? conclusion : status,
                title,
                null,
                null,
                null,
                sha,
                null,
                status,
                conclusion,
                null,
                null,
                null,
                name);
    }

    /** What an applied action wrote, read again: the kind and name its state after recorded. */
    static GitHubResult<TargetState> readApplied(Checks github, AuditRecord applied) {
        TargetState after = applied.after();
        String sha = sha(applied.typedTarget(), applied.repo());
        if (after == null || after.name() == null) {
            throw new IllegalStateException(
                    "the audit of " + applied.actionId() + " does not name its check or status");
        }
        return Checks.CHECK_RUN.equals(after.kind())
                ? github.checkRun(applied.repo(), sha, after.name())
                : github.commitStatus(applied.repo(), sha, after.name());
    }

    /**
     * A new check run or status undoes the action's: the one before again, or, where there was
     * none, one that says it was superseded (a check run cancelled, a status in error, so that a
     * withdrawn success lets nothing merge). Left alone when someone wrote after the action.
     */
    static UndoPlan<Checks> planUndo(AuditRecord applied, TargetState before, TargetState current) {
        TargetState after = applied.after();
        String repo = applied.repo();
        String sha = sha(applied.typedTarget(), repo);
        String what = after.kind() + " " + after.name() + " on " + repo + "@" + sha;
        if (!unchangedSince(after, current)) {
            return new UndoPlan.Conflict<>(what + " was written again since; left alone");
        }
        boolean restore = !absent(before) && before.kind().equals(after.kind());
        if (Checks.CHECK_RUN.equals(after.kind())) {
            Checks.CheckRun run =
                    restore
                            ? new Checks.CheckRun(
                                    after.name(),
                                    before.runStatus(),
                                    before.runConclusion(),
                                    before.stateReason(),
                                    "Restored by a rollback of repostream's action "
                                            + applied.actionId(),
                                    null)
                            : new Checks.CheckRun(
                                    after.name(),
                                    "completed",
                                    "cancelled",
                                    SUPERSEDED,
                                    "Withdrawn by a rollback of repostream's action "
                                            + applied.actionId(),
                                    null);
            return new UndoPlan.Restore<>(
                    (restore ? "restore " : "supersede ") + what,
                    github -> github.createCheckRun(repo, sha, run).response());
        }
        String state = restore ? before.state() : "error";
        String description = restore ? before.stateReason() : description(SUPERSEDED);
        return new UndoPlan.Restore<>(
                (restore ? "restore " : "supersede ") + what,
                github ->
                        github.createCommitStatus(repo, sha, state, after.name(), description, null)
                                .response());
    }

    /** Whether a status shows {@code state} with {@code description}. */
    static boolean statusIs(TargetState s, String state, String description) {
        return s != null
                && Checks.COMMIT_STATUS.equals(s.kind())
                && state.equals(s.state())
                && Objects.equals(description, s.stateReason());
    }

    /** Whether a check run shows this status, conclusion and title. */
    static boolean runIs(TargetState s, String status, String conclusion, String title) {
        return s != null
                && Checks.CHECK_RUN.equals(s.kind())
                && status.equals(s.runStatus())
                && Objects.equals(conclusion, s.runConclusion())
                && Objects.equals(title, s.stateReason());
    }

    /** Whether the part an action wrote is still what it wrote (nobody wrote after it). */
    static boolean unchangedSince(TargetState after, TargetState current) {
        if (after == null || current == null) {
            return false;
        }
        return Objects.equals(after.kind(), current.kind())
                && Objects.equals(after.state(), current.state())
                && Objects.equals(after.stateReason(), current.stateReason())
                && Objects.equals(after.runStatus(), current.runStatus())
                && Objects.equals(after.runConclusion(), current.runConclusion());
    }
}
