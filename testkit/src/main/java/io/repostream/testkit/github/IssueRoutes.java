package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Issues: list, create, get, update, and assignees. Pull requests are issues here too. */
final class IssueRoutes {
    private static final Set<String> STATE_REASONS =
            Set.of("completed", "not_planned", "reopened", "duplicate");

    private final SimulatedGitHub state;
    private final GitHubJson json;
    private final IssueChanges changes;

    IssueRoutes(SimulatedGitHub state, GitHubJson json, IssueChanges changes) {
        this.state = state;
        this.json = json;
        this.changes = changes;
    }

    /** {@code GET /repos/{owner}/{repo}/issues}: open issues, newest first, 30 a page. */
    ApiResponse list(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String wantedState = oneOf(request, "state", "open", "open", "closed", "all");
        String sort = oneOf(request, "sort", "created", "created", "updated", "comments");
        String direction = oneOf(request, "direction", "desc", "asc", "desc");
        Instant since = since(request);
        List<String> labels = labelFilter(request);

        Comparator<SimulatedIssue> order =
                switch (sort) {
                    case "updated" -> Comparator.comparing((SimulatedIssue i) -> i.updatedAt);
                    case "comments" -> Comparator.comparingInt((SimulatedIssue i) -> i.comments);
                    default -> Comparator.comparing((SimulatedIssue i) -> i.createdAt);
                };
        // ties (same second) fall back to the number, which grows with creation
        order = order.thenComparingInt(i -> i.number);
        if ("desc".equals(direction)) {
            order = order.reversed();
        }
        List<SimulatedIssue> matching =
                repo.issues.values().stream()
                        .filter(i -> "all".equals(wantedState) || i.state.equals(wantedState))
                        .filter(i -> since == null || !i.updatedAt.isBefore(since))
                        .filter(i -> labels.stream().allMatch(l -> i.label(l).isPresent()))
                        .sorted(order)
                        .toList();
        Pagination<SimulatedIssue> page = Pagination.of(matching, request);
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        page.items.forEach(i -> body.add(json.issue(repo, i)));
        return page.respond(ApiResponse.ok(body), json.api(), request);
    }

    /** {@code POST /repos/{owner}/{repo}/issues}. */
    ApiResponse create(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        JsonNode body = request.body();
        String title = RequestBodies.requiredText(body, "title", "Issue");
        String text = RequestBodies.optionalText(body, "body", "Issue");
        List<String> labels = RequestBodies.labelNames(body);
        List<String> assignees = RequestBodies.logins(body, "assignees", "Issue");
        SimulatedIssue issue =
                changes.open(
                        repo,
                        title,
                        text,
                        request.login(),
                        null,
                        true,
                        labels == null ? List.of() : labels);
        if (assignees != null) {
            assignees.stream()
                    .filter(state::knowsUser)
                    .forEach(a -> changes.addAssignee(repo, issue, a, request.login(), false));
        }
        return ApiResponse.created(json.issue(repo, issue))
                .header("Location", json.repoUrl(repo) + "/issues/" + issue.number);
    }

    /** {@code GET /repos/{owner}/{repo}/issues/{issue_number}}. */
    ApiResponse get(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        return ApiResponse.ok(json.issue(repo, issue(repo, request)));
    }

    /**
     * {@code PATCH /repos/{owner}/{repo}/issues/{issue_number}}: title, body, state, state_reason,
     * labels (replaces them), assignees (replaces them).
     */
    ApiResponse update(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = issue(repo, request);
        JsonNode body = request.body();
        String actor = request.login();
        String newState = RequestBodies.optionalText(body, "state", "Issue");
        if (newState != null && !newState.equals("open") && !newState.equals("closed")) {
            throw ApiError.validation("Issue", "state", "invalid");
        }
        String reason = RequestBodies.optionalText(body, "state_reason", "Issue");
        if (reason != null && !STATE_REASONS.contains(reason)) {
            throw ApiError.validation("Issue", "state_reason", "invalid");
        }
        List<String> labels = RequestBodies.labelNames(body);
        List<String> assignees = RequestBodies.logins(body, "assignees", "Issue");
        if (assignees != null) {
            assignees.stream()
                    .filter(a -> !state.knowsUser(a))
                    .findFirst()
                    .ifPresent(
                            a -> {
                                throw ApiError.validation("Issue", "assignees", "invalid");
                            });
        }
        if (body.has("title")) {
            changes.setTitle(
                    repo, issue, RequestBodies.requiredText(body, "title", "Issue"), actor, true);
        }
        if (body.has("body")) {
            changes.setBody(
                    repo, issue, RequestBodies.optionalText(body, "body", "Issue"), actor, true);
        }
        if (labels != null) {
            LabelRoutes.replaceLabels(changes, repo, issue, labels, actor);
        }
        if (assignees != null) {
            new ArrayList<>(issue.assignees)
                    .stream()
                            .filter(a -> assignees.stream().noneMatch(a::equalsIgnoreCase))
                            .forEach(a -> changes.removeAssignee(repo, issue, a, actor, true));
            assignees.forEach(a -> changes.addAssignee(repo, issue, a, actor, true));
        }
        if (newState != null || reason != null) {
            changes.setState(
                    repo, issue, newState == null ? issue.state : newState, reason, actor, true);
        }
        return ApiResponse.ok(json.issue(repo, issue));
    }

    /**
     * {@code POST .../issues/{issue_number}/assignees}: GitHub silently skips logins that cannot be
     * assigned, so unknown accounts are ignored rather than rejected.
     */
    ApiResponse addAssignees(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = issue(repo, request);
        List<String> logins = RequestBodies.logins(request.body(), "assignees", "Issue");
        Stream.ofNullable(logins)
                .flatMap(List::stream)
                .filter(state::knowsUser)
                .forEach(a -> changes.addAssignee(repo, issue, a, request.login(), true));
        return ApiResponse.created(json.issue(repo, issue));
    }

    /** {@code DELETE .../issues/{issue_number}/assignees}. */
    ApiResponse removeAssignees(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = issue(repo, request);
        List<String> logins = RequestBodies.logins(request.body(), "assignees", "Issue");
        Stream.ofNullable(logins)
                .flatMap(List::stream)
                .forEach(a -> changes.removeAssignee(repo, issue, a, request.login(), true));
        return ApiResponse.ok(json.issue(repo, issue));
    }

    static SimulatedIssue issue(SimulatedRepo repo, ApiRequest request) {
        int number = request.intNumber("issue_number");
        SimulatedIssue issue = repo.issues.get(number);
        if (issue == null && repo.deletedIssues.contains(number)) {
            throw ApiError.of(410, "This issue was deleted");
        }
        if (issue == null) {
            throw ApiError.notFound();
        }
        return issue;
    }

    static String oneOf(ApiRequest request, String name, String fallback, String... allowed) {
        String value = request.query(name, fallback);
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw ApiError.validation("Issue", name, "invalid");
    }

    static Instant since(ApiRequest request) {
        String since = request.query().get("since");
        if (since == null || since.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw ApiError.validation("Issue", "since", "invalid");
        }
    }

    private static List<String> labelFilter(ApiRequest request) {
        String labels = request.query().get("labels");
        if (labels == null || labels.isBlank()) {
            return List.of();
        }
        return Stream.of(labels.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
