package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.Assignees;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;

/** {@code add_assignees} with {@code params.assignees}; undone by removing the logins it added. */
public final class AddAssigneesHandler extends NameSetHandler<Assignees> {
    public AddAssigneesHandler() {
        super(ActionType.ADD_ASSIGNEES, "assignees", "assignees", true, AppPermission.ISSUES_WRITE);
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
