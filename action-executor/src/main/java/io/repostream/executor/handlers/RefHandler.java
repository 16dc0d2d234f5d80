package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.GitRefs;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/**
 * What the handlers of a branch share ({@code create_ref}, {@code update_ref}, {@code delete_ref},
 * {@code merge_branch}): the permission ({@code contents: write}, under which GitHub lists the git
 * refs endpoints and {@code POST /merges}), and the target, a ref read by its name ({@code GET
 * /repos/{owner}/{repo}/git/ref/{ref}}, a snapshot of its SHA), never by a number.
 */
abstract class RefHandler implements ActionHandler<GitRefs> {

    @Override
    public final AppPermission permission() {
        return AppPermission.CONTENTS_WRITE;
    }

    @Override
    public final GitHubResult<TargetState> read(GitRefs github, String repo, long target) {
        throw new IllegalStateException("a ref is read by its name, not by number " + target);
    }

    @Override
    public final GitHubResult<TargetState> read(GitRefs github, ActionRecord action) {
        return github.ref(action.repo(), RefTargets.branch(action));
    }

    @Override
    public final GitHubResult<TargetState> read(GitRefs github, AuditRecord applied) {
        return github.ref(applied.repo(), RefTargets.ref(applied.typedTarget(), applied.repo()));
    }

    @Override
    public final UndoPlan<GitRefs> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current) {
        throw new IllegalStateException("a ref is undone by its name, not by number " + target);
    }

    /** The ref is at {@code params.sha} already: the effect of a create or an update. */
    static Optional<TargetState> atParamSha(ActionRecord action, TargetState current) {
        return RefTargets.at(current, Params.text(action, "sha"))
                ? Optional.of(current)
                : Optional.empty();
    }

    /** A refusal when the branch is not there, {@code what} saying what could not be done. */
    static Optional<String> unlessPresent(ActionRecord action, TargetState current, String what) {
        if (RefTargets.present(current)) {
            return Optional.empty();
        }
        return Optional.of(
                RefTargets.name(action.repo(), RefTargets.branch(action))
                        + " does not exist; "
                        + what);
    }
}
