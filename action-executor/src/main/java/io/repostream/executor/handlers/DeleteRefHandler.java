package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.GitRefs;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/**
 * {@code delete_ref}: deletes the branch of the typed target ({@code DELETE
 * /repos/{owner}/{repo}/git/refs/{ref}}). Undo recreates it at the SHA the snapshot recorded.
 */
public final class DeleteRefHandler extends RefHandler {
    @Override
    public ActionType type() {
        return ActionType.DELETE_REF;
    }

    @Override
    public void validate(ActionRecord action) {
        RefTargets.branch(action);
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        return GitRefs.absent();
    }

    @Override
    public Optional<TargetState> existingEffect(
            GitRefs github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        return RefTargets.present(current) ? Optional.empty() : Optional.of(current);
    }

    @Override
    public Mutation apply(GitRefs github, ActionRecord action, TargetState before) {
        GitHubResult<Void> deleted = github.deleteRef(action.repo(), RefTargets.branch(action));
        return Mutation.answered(GitRefs.absent(), deleted.response());
    }

    @Override
    public UndoPlan<GitRefs> planUndo(
            AuditRecord applied, TargetState before, TargetState current) {
        String repo = applied.repo();
        TargetState after = applied.after();
        String ref = RefTargets.ref(applied.typedTarget(), repo);
        if (!RefTargets.present(before)) {
            return new UndoPlan.NothingToUndo<>(
                    RefTargets.name(repo, ref) + " did not exist; nothing was deleted");
        }
        if (RefTargets.present(current)) {
            return new UndoPlan.Conflict<>(
                    RefTargets.name(repo, ref)
                            + " was created again at "
                            + current.headSha()
                            + "; left alone");
        }
        String sha = before.headSha();
        return new UndoPlan.Restore<>(
                "recreate " + RefTargets.name(repo, ref) + " at " + sha,
                github -> github.createRef(repo, ref, sha).response());
    }
}
