package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubException;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.Merges;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.Optional;
import java.util.Set;

/**
 * {@code merge_pull_request} with {@code params.head_sha} and optional {@code params.merge_method}
 * ({@code merge}, {@code squash}, {@code rebase}). Merges only while the head is still the commit
 * the rule looked at. Irreversible, which is why policies must enable it explicitly.
 */
public final class MergePullRequestHandler implements ActionHandler<Merges> {
    private static final Set<String> METHODS = Set.of("merge", "squash", "rebase");

    @Override
    public AppPermission permission() {
        return AppPermission.CONTENTS_WRITE;
    }

    @Override
    public ActionType type() {
        return ActionType.MERGE_PULL_REQUEST;
    }

    @Override
    public void validate(ActionRecord action) {
        Params.text(action, "head_sha");
        String method = Params.optionalText(action, "merge_method", "merge");
        if (!METHODS.contains(method)) {
            throw Params.invalid(
                    action,
                    "params.merge_method must be merge, squash or rebase, got '" + method + "'");
        }
    }

    @Override
    public GitHubResult<TargetState> read(Merges github, String repo, long target) {
        return github.pullRequest(repo, target);
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        return States.merged(before);
    }

    @Override
    public Optional<String> refusal(TargetState current, ActionRecord action) {
        String wanted = Params.text(action, "head_sha");
        if (Boolean.TRUE.equals(current.merged())) {
            return Optional.empty();
        }
        if (!"open".equals(current.state())) {
            return Optional.of(
                    "pull request "
                            + action.targetRef()
                            + " is "
                            + current.state()
                            + "; only open pull requests are merged");
        }
        if (!wanted.equals(current.headSha())) {
            return Optional.of(
                    "head of "
                            + action.targetRef()
                            + " moved from "
                            + wanted
                            + " to "
                            + current.headSha()
                            + "; not merging a commit the rule did not see");
        }
        return Optional.empty();
    }

    @Override
    public Optional<TargetState> existingEffect(
            Merges github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        return Boolean.TRUE.equals(current.merged()) ? Optional.of(current) : Optional.empty();
    }

    @Override
    public Mutation apply(Merges github, ActionRecord action, TargetState before) {
        try {
            return Mutation.done(
                    github.mergePullRequest(
                            action.repo(),
                            action.target(),
                            Params.text(action, "head_sha"),
                            Params.optionalText(action, "merge_method", "merge")));
        } catch (GitHubException e) {
            throw refused(action, e);
        }
    }

    /**
     * GitHub's refusals of a merge, said plainly for the rule that reads the audit (the status is
     * audited too): 409 the head moved, 405 not mergeable (a conflict, a merge method or rule the
     * base refuses, already merged or closed), 422 the request was invalid.
     */
    static GitHubException refused(ActionRecord action, GitHubException e) {
        String why =
                switch (e.status()) {
                    case 409 ->
                            "head_moved: the head of the pull request is no longer "
                                    + Params.text(action, "head_sha");
                    case 405 ->
                            "not_mergeable: GitHub refused to merge (a conflict, a merge"
                                    + " method or branch rule the base does not allow, or already merged"
                                    + " or closed)";
                    case 422 -> "invalid: GitHub refused the merge request as invalid";
                    default -> null;
                };
        if (why == null) {
            return e;
        }
        return new GitHubException(
                "merge of " + action.targetRef() + " refused, " + why + " (" + e.getMessage() + ")",
                e.status(),
                e.response().orElse(null),
                e);
    }

    @Override
    public UndoPlan<Merges> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current) {
        return new UndoPlan.Irreversible<>(
                "a merge cannot be undone by the executor ("
                        + repo
                        + "#"
                        + target
                        + "); revert it by hand");
    }
}
