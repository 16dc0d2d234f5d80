package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.Labels;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;

/** {@code remove_label} with {@code params.label}; undone by adding the label back. */
public final class RemoveLabelHandler extends NameSetHandler<Labels> {
    public RemoveLabelHandler() {
        super(ActionType.REMOVE_LABEL, "label", "labels", false, AppPermission.ISSUES_WRITE);
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
    public GitHubResult<TargetState> read(Labels github, String repo, long target) {
        return github.issue(repo, target);
    }

    @Override
    GitHubResult<List<String>> add(Labels github, String repo, long target, List<String> names) {
        return github.addLabels(repo, target, names);
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
