package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.Labels;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;

/** {@code add_labels} with {@code params.labels}; undone by removing the labels it added. */
public final class AddLabelsHandler extends NameSetHandler<Labels> {
    public AddLabelsHandler() {
        super(ActionType.ADD_LABELS, "labels", "labels", true, AppPermission.ISSUES_WRITE);
    }

    @Override
    List<String> current(TargetState state) {
        return state.labels();
    }

    @Override
    TargetState with(TargetState state, List<String> names) {
        return States.withLabels(state, names);
    }

    @Override
    public GitHubResult<TargetState> read(Labels github, String repo, long target) {
        return github.issue(repo, target);
    }

    @Override
    GitHubResult<List<String>> add(Labels github, String repo, long target, List<String> names) {
        return github.addLabels(repo, target, names);
    }

    @Override
    List<List<String>> removalRequests(List<String> names) {
        return names.stream().map(List::of).toList();
    }

    @Override
    GitHubResult<List<String>> remove(Labels github, String repo, long target, List<String> names) {
        GitHubResult<List<String>> left = new GitHubResult<>(null, null);
        for (String label : names) {
            left = github.removeLabel(repo, target, label);
        }
        return left;
    }
}
