package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubClient;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;

/** {@code remove_label} with {@code params.label}; undone by adding the label back. */
public final class RemoveLabelHandler extends NameSetHandler {
    public RemoveLabelHandler() {
        super(ActionType.REMOVE_LABEL, "label", "labels", false);
    }

    @Override
    List<String> names(ActionRecord action) {
        return List.of(Params.text(action, "label"));
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
