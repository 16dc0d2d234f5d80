package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;

/** Issue comments: list and create on an issue; get, edit and delete by id. */
final class CommentRoutes {
    private final SimulatedGitHub state;
    private final GitHubJson json;
    private final IssueChanges changes;

    CommentRoutes(SimulatedGitHub state, GitHubJson json, IssueChanges changes) {
        this.state = state;
        this.json = json;
        this.changes = changes;
    }

    /** {@code GET .../issues/{issue_number}/comments}: oldest first, optionally {@code since}. */
    ApiResponse list(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = IssueRoutes.issue(repo, request);
        Instant since = IssueRoutes.since(request);
        List<SimulatedComment> comments =
                repo.comments.values().stream()
                        .filter(c -> c.issueNumber == issue.number)
                        .filter(c -> since == null || !c.updatedAt.isBefore(since))
                        .toList();
        Pagination<SimulatedComment> page = Pagination.of(comments, request);
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        page.items.forEach(c -> body.add(json.comment(repo, c)));
        return page.respond(ApiResponse.ok(body), json.api(), request);
    }

    /** {@code POST .../issues/{issue_number}/comments}. */
    ApiResponse create(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = IssueRoutes.issue(repo, request);
        String body = RequestBodies.requiredText(request.body(), "body", "IssueComment");
        SimulatedComment comment = changes.comment(repo, issue, body, request.login(), true);
        return ApiResponse.created(json.comment(repo, comment))
                .header("Location", json.repoUrl(repo) + "/issues/comments/" + comment.id);
    }

    /** {@code GET /repos/{owner}/{repo}/issues/comments/{comment_id}}. */
    ApiResponse get(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        return ApiResponse.ok(json.comment(repo, comment(repo, request)));
    }

    /** {@code PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}}. */
    ApiResponse update(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedComment comment = comment(repo, request);
        String body = RequestBodies.requiredText(request.body(), "body", "IssueComment");
        changes.editComment(repo, comment, body, true);
        return ApiResponse.ok(json.comment(repo, comment));
    }

    /** {@code DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}}. */
    ApiResponse delete(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        changes.deleteComment(repo, comment(repo, request), true);
        return ApiResponse.noContent();
    }

    private static SimulatedComment comment(SimulatedRepo repo, ApiRequest request) {
        SimulatedComment comment = repo.comments.get(request.number("comment_id"));
        if (comment == null) {
            throw ApiError.notFound();
        }
        return comment;
    }
}
