package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubClient;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;

/** {@code remove_assignees} with {@code params.assignees}; undone by adding the logins back. */
public final class RemoveAssigneesHandler extends NameSetHandler {
    public RemoveAssigneesHandler() {
        super(ActionType.REMOVE_ASSIGNEES, "assignees", "assignees", false);
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
