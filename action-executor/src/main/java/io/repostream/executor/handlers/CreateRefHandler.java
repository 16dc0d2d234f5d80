package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.GitRefs;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/**
 * {@code create_ref}: the branch of the typed target at {@code params.sha} ({@code POST
 * /repos/{owner}/{repo}/git/refs}). Undo deletes it, unless it moved since.
 */
public final class CreateRefHandler extends RefHandler {
    @Override
    public ActionType type() {
        return ActionType.CREATE_REF;
    }

    @Override
    public void validate(ActionRecord action) {
        RefTargets.branch(action);
        RefTargets.sha(action, "sha");
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        return RefTargets.present(Params.text(action, "sha"));
    }

    @Override
    public Optional<String> refusal(TargetState current, ActionRecord action) {
        if (RefTargets.present(current) && !RefTargets.at(current, Params.text(action, "sha"))) {
            return Optional.of(
                    RefTargets.name(action.repo(), RefTargets.branch(action))
                            + " exists at "
                            + current.headSha()
                            + "; not moving it");
        }
        return Optional.empty();
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
        GitHubResult<Void> created =
                github.createRef(action.repo(), RefTargets.branch(action), sha);
        return Mutation.answered(RefTargets.present(sha), created.response());
    }

    @Override
    public UndoPlan<GitRefs> planUndo(
            AuditRecord applied, TargetState before, TargetState current) {
        String repo = applied.repo();
        TargetState after = applied.after();
        String ref = RefTargets.ref(applied.typedTarget(), repo);
        if (RefTargets.present(before)) {
            return new UndoPlan.NothingToUndo<>(
                    RefTargets.name(repo, ref) + " existed already; nothing was created");
        }
        if (!RefTargets.present(current)) {
            return new UndoPlan.NothingToUndo<>(RefTargets.name(repo, ref) + " is gone already");
        }
        if (!current.headSha().equals(after.headSha())) {
            return new UndoPlan.Conflict<>(
                    RefTargets.name(repo, ref)
                            + " moved to "
                            + current.headSha()
                            + " since it was created; left alone");
        }
        return new UndoPlan.Restore<>(
                "delete " + RefTargets.name(repo, ref),
                github -> github.deleteRef(repo, ref).response());
    }
}
