package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.GitRefs;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/**
 * {@code update_ref}: moves the branch of the typed target to {@code params.sha} ({@code PATCH
 * /repos/{owner}/{repo}/git/refs/{ref}}), a fast-forward unless {@code params.force} (GitHub
 * answers 422 "Update is not a fast forward"). Undo moves it back, by force; but a fast-forward of
 * a branch outside {@code refs/heads/repostream/} is a landing on a base branch (what the merge
 * queue does): others build on it at once, so it is irreversible and says so.
 */
public final class UpdateRefHandler extends RefHandler {
    @Override
    public ActionType type() {
        return ActionType.UPDATE_REF;
    }

    @Override
    public void validate(ActionRecord action) {
        RefTargets.branch(action);
        RefTargets.sha(action, "sha");
        force(action);
    }

    static boolean force(ActionRecord action) {
        var node = action.params().get("force");
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw Params.invalid(action, "params.force must be true or false");
        }
        return node.asBoolean();
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        return RefTargets.present(Params.text(action, "sha"));
    }

    @Override
    public Optional<String> refusal(TargetState current, ActionRecord action) {
        return unlessPresent(action, current, "nothing to update");
    }

    @Override
    public Optional<TargetState> existingEffect(
            GitRefs github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        return atParamSha(action, current);
    }

    @Override
    public Mutation apply(GitRefs github, ActionRecord action, TargetState before) {
        String sha = Params.text(action, "sha");
        GitHubResult<Void> updated =
                github.updateRef(action.repo(), RefTargets.branch(action), sha, force(action));
        return Mutation.answered(RefTargets.present(sha), updated.response());
    }

    @Override
    public UndoPlan<GitRefs> planUndo(
            AuditRecord applied, TargetState before, TargetState current) {
        String repo = applied.repo();
        TargetState after = applied.after();
        String ref = RefTargets.ref(applied.typedTarget(), repo);
        if (!RefTargets.present(before) || before.headSha().equals(after.headSha())) {
            return new UndoPlan.NothingToUndo<>(RefTargets.name(repo, ref) + " did not move");
        }
        if (!ref.startsWith("refs/heads/repostream/")) {
            return new UndoPlan.Irreversible<>(
                    "moving "
                            + RefTargets.name(repo, ref)
                            + " landed commits on a base branch that others build on; revert"
                            + " them with a pull request instead");
        }
        if (!RefTargets.at(current, after.headSha())) {
            return new UndoPlan.Conflict<>(
                    RefTargets.name(repo, ref)
                            + " is at "
                            + current.headSha()
                            + " now, not where the action left it; left alone");
        }
        String sha = before.headSha();
        return new UndoPlan.Restore<>(
                "move " + RefTargets.name(repo, ref) + " back to " + sha,
                github -> github.updateRef(repo, ref, sha, true).response());
    }
}
