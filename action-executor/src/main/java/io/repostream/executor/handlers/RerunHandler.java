package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.Runs;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Re-runs a workflow run (all jobs, or the failed ones). Undone by cancelling the new attempt while
 * it still runs; a finished attempt cannot be undone.
 */
public final class RerunHandler implements ActionHandler<Runs> {
    static final Set<String> RUNNING =
            Set.of("queued", "in_progress", "waiting", "pending", "requested");

    private final ActionType type;

    private RerunHandler(ActionType type) {
        this.type = type;
    }

    public static RerunHandler failedJobs() {
        return new RerunHandler(ActionType.RERUN_FAILED_JOBS);
    }

    public static RerunHandler workflow() {
        return new RerunHandler(ActionType.RERUN_WORKFLOW);
    }

    @Override
    public AppPermission permission() {
        return AppPermission.ACTIONS_WRITE;
    }

    @Override
    public ActionType type() {
        return type;
    }

    @Override
    public void validate(ActionRecord action) {
        // the target is a workflow run; no parameters
        Params.runId(action);
    }

    @Override
    public GitHubResult<TargetState> read(Runs github, String repo, long target) {
        return github.workflowRun(repo, target);
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        int attempt = before.runAttempt() == null ? 1 : before.runAttempt();
        return States.withRun(before, "queued", null, attempt + 1);
    }

    @Override
    public Optional<String> refusal(TargetState current, ActionRecord action) {
        return RUNNING.contains(current.runStatus())
                ? Optional.of(
                        "run "
                                + action.targetRef()
                                + " is still "
                                + current.runStatus()
                                + "; GitHub re-runs finished runs only")
                : Optional.empty();
    }

    @Override
    public Optional<TargetState> existingEffect(
            Runs github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        // a newer attempt than the snapshot's means the re-run request went through before a crash
        boolean newerAttempt =
                earlierAttempt
                        && current.runAttempt() != null
                        && before.runAttempt() != null
                        && current.runAttempt() > before.runAttempt();
        return newerAttempt ? Optional.of(current) : Optional.empty();
    }

    @Override
    public Mutation apply(Runs github, ActionRecord action, TargetState before) {
        // the attempt seen tells, when GitHub's answer is lost, whether the re-run was made
        int attempt = before.runAttempt() == null ? 1 : before.runAttempt();
        return Mutation.done(
                type == ActionType.RERUN_FAILED_JOBS
                        ? github.rerunFailedJobs(action.repo(), Params.runId(action), attempt)
                        : github.rerunWorkflow(action.repo(), Params.runId(action), attempt));
    }

    @Override
    public UndoPlan<Runs> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current) {
        String ref = repo + "#" + target;
        if (after == null || Objects.equals(before.runAttempt(), after.runAttempt())) {
            return new UndoPlan.NothingToUndo<>("the action started no new attempt of run " + ref);
        }
        if (!Objects.equals(current.runAttempt(), after.runAttempt())) {
            return new UndoPlan.Conflict<>(
                    "run "
                            + ref
                            + " was re-run again since (attempt "
                            + current.runAttempt()
                            + ")");
        }
        if (!RUNNING.contains(current.runStatus())) {
            return new UndoPlan.Conflict<>(
                    "attempt "
                            + current.runAttempt()
                            + " of run "
                            + ref
                            + " already finished ("
                            + current.runConclusion()
                            + "); only a running re-run can be cancelled");
        }
        return new UndoPlan.Restore<>(
                "cancel attempt " + current.runAttempt() + " of run " + ref,
                gh -> gh.cancelWorkflowRun(repo, target).response());
    }
}
