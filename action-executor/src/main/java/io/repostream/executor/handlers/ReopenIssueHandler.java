package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.IssueStates;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/** {@code reopen_issue}; undone by closing again with the earlier state reason. */
public final class ReopenIssueHandler implements ActionHandler<IssueStates> {

    @Override
    public AppPermission permission() {
        return AppPermission.ISSUES_WRITE;
    }

    @Override
    public ActionType type() {
        return ActionType.REOPEN_ISSUE;
    }

    @Override
    public void validate(ActionRecord action) {
        // no parameters
    }

    @Override
    public GitHubResult<TargetState> read(IssueStates github, String repo, long target) {
        return github.issue(repo, target);
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        return States.withState(before, "open", "reopened");
    }

    @Override
    public Optional<TargetState> existingEffect(
            IssueStates github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        return "open".equals(current.state()) ? Optional.of(current) : Optional.empty();
    }

    @Override
    public Mutation apply(IssueStates github, ActionRecord action, TargetState before) {
        return Mutation.done(github.reopenIssue(action.repo(), action.target()));
    }

    @Override
    public UndoPlan<IssueStates> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current) {
        if ("open".equals(before.state())) {
            return new UndoPlan.NothingToUndo<>(repo + "#" + target + " was open already");
        }
        if (!"open".equals(current.state())) {
            return new UndoPlan.Conflict<>(
                    repo + "#" + target + " was closed again since the action reopened it");
        }
        String reason = before.stateReason() == null ? "completed" : before.stateReason();
        return new UndoPlan.Restore<>(
                "close " + repo + "#" + target + " as " + reason,
                gh -> gh.closeIssue(repo, target, reason).response());
    }
}
