package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.Checks;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/**
 * {@code create_commit_status}: a status on the commit of the typed target ({@code POST
 * /repos/{owner}/{repo}/statuses/{sha}}) with {@code params.state}, {@code params.context}, {@code
 * params.description} (cut to GitHub's 140 characters) and optionally {@code params.target_url}.
 * GitHub keeps every status and shows the latest per context, so undo writes a new one: the one
 * before the action again, or {@code error} saying it was superseded by the rollback.
 */
public final class CreateCommitStatusHandler implements ActionHandler<Checks> {
    @Override
    public ActionType type() {
        return ActionType.CREATE_COMMIT_STATUS;
    }

    @Override
    public AppPermission permission() {
        return AppPermission.STATUSES_WRITE;
    }

    @Override
    public void validate(ActionRecord action) {
        CommitChecks.sha(action);
        String state = Params.text(action, "state");
        if (!CommitChecks.STATES.contains(state)) {
            throw Params.invalid(
                    action,
                    "params.state must be error, failure, pending or success, got '" + state + "'");
        }
        Params.text(action, "context");
        Params.text(action, "description");
        Params.optionalText(action, "target_url", null);
    }

    @Override
    public GitHubResult<TargetState> read(Checks github, String repo, long target) {
        throw new IllegalStateException("a status is read by its commit and context");
    }

    @Override
    public GitHubResult<TargetState> read(Checks github, ActionRecord action) {
        return github.commitStatus(
                action.repo(), CommitChecks.sha(action), Params.text(action, "context"));
    }

    @Override
    public GitHubResult<TargetState> read(Checks github, AuditRecord applied) {
        return CommitChecks.readApplied(github, applied);
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        return CommitChecks.status(
                CommitChecks.sha(action),
                Params.text(action, "context"),
                Params.text(action, "state"),
                CommitChecks.description(Params.text(action, "description")));
    }

    @Override
    public Optional<TargetState> existingEffect(
            Checks github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        return CommitChecks.statusIs(
                        current,
                        Params.text(action, "state"),
                        CommitChecks.description(Params.text(action, "description")))
                ? Optional.of(current)
                : Optional.empty();
    }

    @Override
    public Mutation apply(Checks github, ActionRecord action, TargetState before) {
        GitHubResult<TargetState> created =
                github.createCommitStatus(
                        action.repo(),
                        CommitChecks.sha(action),
                        Params.text(action, "state"),
                        Params.text(action, "context"),
                        CommitChecks.description(Params.text(action, "description")),
                        Params.optionalText(action, "target_url", null));
        return Mutation.answered(created.value(), created.response());
    }

    @Override
    public UndoPlan<Checks> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current) {
        throw new IllegalStateException("a status is undone by its commit and context");
    }

    @Override
    public UndoPlan<Checks> planUndo(AuditRecord applied, TargetState before, TargetState current) {
        return CommitChecks.planUndo(applied, before, current);
    }
}
