package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.GitRefs;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/**
 * {@code merge_branch}: merges {@code params.head} (a branch or SHA) into the branch of the typed
 * target with a merge commit ({@code POST /repos/{owner}/{repo}/merges}, message {@code
 * params.commit_message}). GitHub's 409 (a conflict) and 404 (no such base or head) are audited as
 * failed with the status, for the queue's rule to read. Undo resets a {@code
 * refs/heads/repostream/queue/} branch to the SHA it had; on any other branch a merge is
 * irreversible.
 */
public final class MergeBranchHandler extends RefHandler {
    @Override
    public ActionType type() {
        return ActionType.MERGE_BRANCH;
    }

    @Override
    public void validate(ActionRecord action) {
        RefTargets.branch(action);
        Params.text(action, "head");
        Params.optionalText(action, "commit_message", null);
    }

    /** The SHA of the merge is GitHub's to choose: the ref is known to move, not where to. */
    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        return before;
    }

    @Override
    public Optional<String> refusal(TargetState current, ActionRecord action) {
        return unlessPresent(action, current, "nothing to merge into");
    }

    /** After a crash, a ref that moved since the snapshot took the merge. */
    @Override
    public Optional<TargetState> existingEffect(
            GitRefs github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        if (earlierAttempt
                && RefTargets.present(current)
                && RefTargets.present(before)
                && !current.headSha().equals(before.headSha())) {
            return Optional.of(current);
        }
        return Optional.empty();
    }

    @Override
    public Mutation apply(GitRefs github, ActionRecord action, TargetState before) {
        GitHubResult<String> merged =
                github.mergeBranch(
                        action.repo(),
                        RefTargets.branch(action),
                        Params.text(action, "head"),
                        Params.optionalText(action, "commit_message", null),
                        before.headSha());
        TargetState after = merged.value() == null ? before : RefTargets.present(merged.value());
        return Mutation.answered(after, merged.response());
    }

    @Override
    public UndoPlan<GitRefs> planUndo(
            AuditRecord applied, TargetState before, TargetState current) {
        String repo = applied.repo();
        TargetState after = applied.after();
        String ref = RefTargets.ref(applied.typedTarget(), repo);
        if (!ref.startsWith(RefTargets.QUEUE_PREFIX)) {
            return new UndoPlan.Irreversible<>(
                    "a merge into "
                            + RefTargets.name(repo, ref)
                            + " cannot be undone by the executor (only merge-queue candidates,"
                            + " "
                            + RefTargets.QUEUE_PREFIX
                            + "**, are reset); revert it with a pull request");
        }
        if (before.headSha() == null || before.headSha().equals(after.headSha())) {
            return new UndoPlan.NothingToUndo<>(
                    RefTargets.name(repo, ref) + " already had the head; nothing was merged");
        }
        if (!RefTargets.at(current, after.headSha())) {
            return new UndoPlan.Conflict<>(
                    RefTargets.name(repo, ref)
                            + " moved since the merge (now "
                            + current.headSha()
                            + "); left alone");
        }
        String sha = before.headSha();
        return new UndoPlan.Restore<>(
                "reset " + RefTargets.name(repo, ref) + " to " + sha,
                github -> github.updateRef(repo, ref, sha, true).response());
    }
}
