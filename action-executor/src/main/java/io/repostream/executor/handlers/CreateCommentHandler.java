package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.Comments;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/**
 * {@code create_comment} with {@code params.body}; undone by deleting the comment.
 *
 * <p>Creating a comment is the one mutation that is not idempotent, so every comment carries a
 * hidden marker with its action id: after a crash between the request and the audit, the next
 * attempt finds the comment by its marker instead of posting a second one; and when GitHub's answer
 * to the request is lost, the client looks for the marker before it sends the request again. Only
 * the executor's own comments count: a person quoting the marker does not.
 */
public final class CreateCommentHandler implements ActionHandler<Comments> {

    /** The hidden marker GitHub renders as nothing. */
    public static String marker(String actionId) {
        return "<!-- repostream:action_id=" + actionId + " -->";
    }

    @Override
    public AppPermission permission() {
        return AppPermission.ISSUES_WRITE;
    }

    @Override
    public ActionType type() {
        return ActionType.CREATE_COMMENT;
    }

    @Override
    public void validate(ActionRecord action) {
        Params.text(action, "body");
    }

    @Override
    public GitHubResult<TargetState> read(Comments github, String repo, long target) {
        return github.issue(repo, target);
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        return before;
    }

    @Override
    public Optional<TargetState> existingEffect(
            Comments github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        if (!earlierAttempt) {
            // no snapshot, so no earlier request: listing comments would only cost quota
            return Optional.empty();
        }
        return github.findComment(action.repo(), action.target(), marker(action.actionId()))
                .value()
                .map(current::withCommentId);
    }

    @Override
    public Mutation apply(Comments github, ActionRecord action, TargetState before) {
        String marker = marker(action.actionId());
        String body = Params.text(action, "body") + "\n\n" + marker;
        return Mutation.comment(github.createComment(action.repo(), action.target(), body, marker));
    }

    @Override
    public UndoPlan<Comments> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current) {
        if (after == null || after.commentId() == null) {
            return new UndoPlan.NothingToUndo<>(
                    "no comment id recorded for " + repo + "#" + target);
        }
        long id = after.commentId();
        return new UndoPlan.Restore<>(
                "delete comment " + id + " on " + repo + "#" + target,
                gh -> gh.deleteComment(repo, target, id).response());
    }
}
