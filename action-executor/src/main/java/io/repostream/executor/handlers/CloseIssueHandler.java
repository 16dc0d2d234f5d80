package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.IssueStates;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.Optional;
import java.util.Set;

/**
 * {@code close_issue} with optional {@code params.state_reason} ({@code completed} or {@code
 * not_planned}); undone by reopening, unless somebody reopened it already.
 */
public final class CloseIssueHandler implements ActionHandler<IssueStates> {
    private static final Set<String> REASONS = Set.of("completed", "not_planned");

    @Override
    public AppPermission permission() {
        return AppPermission.ISSUES_WRITE;
    }

    @Override
    public ActionType type() {
        return ActionType.CLOSE_ISSUE;
    }

    @Override
    public void validate(ActionRecord action) {
        String reason = reason(action);
        if (!REASONS.contains(reason)) {
            throw Params.invalid(
                    action,
                    "params.state_reason must be completed or not_planned, got '" + reason + "'");
        }
    }

    private static String reason(ActionRecord action) {
        return Params.optionalText(action, "state_reason", "completed");
    }

    @Override
    public GitHubResult<TargetState> read(IssueStates github, String repo, long target) {
        return github.issue(repo, target);
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        return States.withState(before, "closed", reason(action));
    }

    @Override
    public Optional<TargetState> existingEffect(
            IssueStates github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        return "closed".equals(current.state()) ? Optional.of(current) : Optional.empty();
    }

    @Override
    public Mutation apply(IssueStates github, ActionRecord action, TargetState before) {
        return Mutation.done(github.closeIssue(action.repo(), action.target(), reason(action)));
    }

    @Override
    public UndoPlan<IssueStates> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current) {
        if ("closed".equals(before.state())) {
            return new UndoPlan.NothingToUndo<>(repo + "#" + target + " was closed already");
        }
        if (!"closed".equals(current.state())) {
            return new UndoPlan.Conflict<>(
                    repo + "#" + target + " was reopened since the action closed it");
        }
        return new UndoPlan.Restore<>(
                "reopen " + repo + "#" + target, gh -> gh.reopenIssue(repo, target).response());
    }
}
