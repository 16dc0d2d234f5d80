package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubClient;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;

/** {@code add_assignees} with {@code params.assignees}; undone by removing the logins it added. */
public final class AddAssigneesHandler extends NameSetHandler {
    public AddAssigneesHandler() {
        super(ActionType.ADD_ASSIGNEES, "assignees", "assignees", true);
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
    List<String> add(GitHubClient github, String repo, long target, List<String> names) {
        github.addAssignees(repo, target, names);
        return null;
    }

    @Override
    List<String> remove(GitHubClient github, String repo, long target, List<String> names) {
        github.removeAssignees(repo, target, names);
        return null;
    }
}
