package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubClient;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;

/**
 * {@code request_reviewers} with {@code params.reviewers} on a pull request; undone by removing the
 * review requests it added (a reviewer who already reviewed is no longer requested: conflict).
 */
public final class RequestReviewersHandler extends NameSetHandler {
    public RequestReviewersHandler() {
        super(ActionType.REQUEST_REVIEWERS, "reviewers", "requested reviewers", true);
    }

    @Override
    public TargetState read(GitHubClient github, String repo, long target) {
        return github.pullRequest(repo, target);
    }

    @Override
    List<String> current(TargetState state) {
        return state.requestedReviewers();
    }

    @Override
    TargetState with(TargetState state, List<String> names) {
        return States.withReviewers(state, names);
    }

    @Override
    List<String> add(GitHubClient github, String repo, long target, List<String> names) {
        github.requestReviewers(repo, target, names);
        return null;
    }

    @Override
    List<String> remove(GitHubClient github, String repo, long target, List<String> names) {
        github.removeRequestedReviewers(repo, target, names);
        return null;
    }
}
