package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubClient;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;

/** {@code add_labels} with {@code params.labels}; undone by removing the labels it added. */
public final class AddLabelsHandler extends NameSetHandler {
    public AddLabelsHandler() {
        super(ActionType.ADD_LABELS, "labels", "labels", true);
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
    List<String> add(GitHubClient github, String repo, long target, List<String> names) {
        return github.addLabels(repo, target, names);
    }

    @Override
    List<String> remove(GitHubClient github, String repo, long target, List<String> names) {
        List<String> left = null;
        for (String label : names) {
            left = github.removeLabel(repo, target, label);
        }
        return left;
    }
}
