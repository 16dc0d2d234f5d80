package io.repostream.testkit.github;

import java.util.ArrayList;
import java.util.List;

/** Labels on an issue or pull request: list, add, replace, remove one, remove all. */
final class LabelRoutes {
    private final SimulatedGitHub state;
    private final GitHubJson json;
    private final IssueChanges changes;

    LabelRoutes(SimulatedGitHub state, GitHubJson json, IssueChanges changes) {
        this.state = state;
        this.json = json;
        this.changes = changes;
    }

    /** {@code GET .../issues/{issue_number}/labels}. */
    ApiResponse list(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = IssueRoutes.issue(repo, request);
        Pagination<SimulatedLabel> page = Pagination.of(issue.labels, request);
        return page.respond(ApiResponse.ok(json.labels(repo, page.items)), json.api(), request);
    }

    /** {@code POST .../issues/{issue_number}/labels}: adds, answering with all the labels. */
    ApiResponse add(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = IssueRoutes.issue(repo, request);
        List<String> names = requireNames(request);
        names.forEach(name -> changes.addLabel(repo, issue, name, request.login(), true));
        return ApiResponse.ok(json.labels(repo, issue.labels));
    }

    /** {@code PUT .../issues/{issue_number}/labels}: replaces all labels. */
    ApiResponse set(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = IssueRoutes.issue(repo, request);
        List<String> names = RequestBodies.labelNames(request.body());
        replaceLabels(changes, repo, issue, names == null ? List.of() : names, request.login());
        return ApiResponse.ok(json.labels(repo, issue.labels));
    }

    /** {@code DELETE .../issues/{issue_number}/labels}. */
    ApiResponse removeAll(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = IssueRoutes.issue(repo, request);
        replaceLabels(changes, repo, issue, List.of(), request.login());
        return ApiResponse.noContent();
    }

    /**
     * {@code DELETE .../issues/{issue_number}/labels/{name}}: 404 {@code Label does not exist} when
     * the issue does not have it.
     */
    ApiResponse remove(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = IssueRoutes.issue(repo, request);
        if (!changes.removeLabel(repo, issue, request.param("name"), request.login(), true)) {
            throw ApiError.of(404, "Label does not exist");
        }
        return ApiResponse.ok(json.labels(repo, issue.labels));
    }

    /** {@code GET /repos/{owner}/{repo}/labels}: the labels defined in the repository. */
    ApiResponse listForRepo(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        Pagination<SimulatedLabel> page =
                Pagination.of(new ArrayList<>(repo.labels.values()), request);
        return page.respond(ApiResponse.ok(json.labels(repo, page.items)), json.api(), request);
    }

    static void replaceLabels(
            IssueChanges changes,
            SimulatedRepo repo,
            SimulatedIssue issue,
            List<String> names,
            String actor) {
        for (String current : issue.labelNames()) {
            if (names.stream().noneMatch(current::equalsIgnoreCase)) {
                changes.removeLabel(repo, issue, current, actor, true);
            }
        }
        names.forEach(name -> changes.addLabel(repo, issue, name, actor, true));
    }

    private static List<String> requireNames(ApiRequest request) {
        List<String> names = RequestBodies.labelNames(request.body());
        if (names == null || names.isEmpty()) {
            throw ApiError.validation("Label", "labels", "missing_field");
        }
        return names;
    }
}
