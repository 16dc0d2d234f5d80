package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.Assignees;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;

/**
 * Adds or removes an issue's assignees ({@code params.assignees}); GitHub's answer does not show
 * the whole set, so the target is read again afterwards.
 */
abstract class AssigneeSetHandler extends NameSetHandler<Assignees> {

    AssigneeSetHandler(ActionType type, boolean adds) {
        super(type, "assignees", "assignees", adds, AppPermission.ISSUES_WRITE);
    }

    @Override
    List<String> current(TargetState state) {
        return state.assignees();
    }

    @Override
    TargetState with(TargetState state, List<String> names) {
        return States.withAssignees(state, names);
    }

    @Override
    public GitHubResult<TargetState> read(Assignees github, String repo, long target) {
        return github.issue(repo, target);
    }

    @Override
    GitHubResult<List<String>> add(Assignees github, String repo, long target, List<String> names) {
        return github.addAssignees(repo, target, names).map(nothing -> null);
    }

    @Override
    GitHubResult<List<String>> remove(
            Assignees github, String repo, long target, List<String> names) {
        return github.removeAssignees(repo, target, names).map(nothing -> null);
    }
}
