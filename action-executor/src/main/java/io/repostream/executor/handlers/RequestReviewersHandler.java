package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.Reviewers;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;

/**
 * {@code request_reviewers} with {@code params.reviewers} on a pull request; undone by removing the
 * review requests it added (a reviewer who already reviewed is no longer requested: conflict).
 */
public final class RequestReviewersHandler extends NameSetHandler<Reviewers> {
    public RequestReviewersHandler() {
        super(
                ActionType.REQUEST_REVIEWERS,
                "reviewers",
                "requested reviewers",
                true,
                AppPermission.PULL_REQUESTS_WRITE);
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
    public GitHubResult<TargetState> read(Reviewers github, String repo, long target) {
        return github.pullRequest(repo, target);
    }

    @Override
    GitHubResult<List<String>> add(Reviewers github, String repo, long target, List<String> names) {
        return github.requestReviewers(repo, target, names).map(nothing -> null);
    }

    @Override
    GitHubResult<List<String>> remove(
            Reviewers github, String repo, long target, List<String> names) {
        return github.removeRequestedReviewers(repo, target, names).map(nothing -> null);
    }
}
