package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.Runs;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/** {@code cancel_workflow_run}. Irreversible: a cancelled run cannot be resumed. */
public final class CancelWorkflowRunHandler implements ActionHandler<Runs> {

    @Override
    public AppPermission permission() {
        return AppPermission.ACTIONS_WRITE;
    }

    @Override
    public ActionType type() {
        return ActionType.CANCEL_WORKFLOW_RUN;
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
        return States.withRun(before, "completed", "cancelled", before.runAttempt());
    }

    @Override
    public Optional<String> refusal(TargetState current, ActionRecord action) {
        boolean finished =
                "completed".equals(current.runStatus())
                        && !"cancelled".equals(current.runConclusion());
        return finished
                ? Optional.of(
                        "run "
                                + action.targetRef()
                                + " already completed ("
                                + current.runConclusion()
                                + "); nothing to cancel")
                : Optional.empty();
    }

    @Override
    public Optional<TargetState> existingEffect(
            Runs github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        return "cancelled".equals(current.runConclusion())
                ? Optional.of(current)
                : Optional.empty();
    }

    @Override
    public Mutation apply(Runs github, ActionRecord action, TargetState before) {
        return Mutation.done(github.cancelWorkflowRun(action.repo(), Params.runId(action)));
    }

    @Override
    public UndoPlan<Runs> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current) {
        return new UndoPlan.Irreversible<>(
                "a cancelled run cannot be resumed (" + repo + "#" + target + ")");
    }
}
