package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** Pull requests: list, get, merge (with GitHub's 405/409 refusals), review requests. */
final class PullRoutes {
    private static final Set<String> MERGE_METHODS = Set.of("merge", "squash", "rebase");

    private final SimulatedGitHub state;
    private final GitHubJson json;
    private final IssueChanges changes;

    private final GitChanges git;

    PullRoutes(SimulatedGitHub state, GitHubJson json, IssueChanges changes, GitChanges git) {
        this.state = state;
        this.json = json;
        this.changes = changes;
        this.git = git;
    }

    /**
     * GitHub computes {@code mergeable} in the background once someone asks: the first read after a
     * push answers null, a later one true or false.
     */
    static void computeMergeableOnRead(SimulatedRepo repo, SimulatedPull pull) {
        if (!pull.gitBacked || pull.merged || pull.mergeable != null) {
            return;
        }
        if (!pull.mergeableAsked) {
            pull.mergeableAsked = true;
            return;
        }
        pull.mergeable = repo.git.conflicts(pull.baseSha, pull.headSha).isEmpty();
    }

    /** {@code GET /repos/{owner}/{repo}/pulls}: open ones, newest first. */
    ApiResponse list(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String wantedState = IssueRoutes.oneOf(request, "state", "open", "open", "closed", "all");
        String sort =
                IssueRoutes.oneOf(
                        request,
                        "sort",
                        "created",
                        "created",
                        "updated",
                        "popularity",
                        "long-running");
        // GitHub: newest first when sorting by creation, otherwise ascending
        String direction =
                IssueRoutes.oneOf(
                        request,
                        "direction",
                        "created".equals(sort) ? "desc" : "asc",
                        "asc",
                        "desc");
        String head = request.query().get("head");
        String base = request.query().get("base");
        Comparator<SimulatedIssue> order =
                "updated".equals(sort)
                        ? Comparator.comparing((SimulatedIssue i) -> i.updatedAt)
                        : Comparator.comparing((SimulatedIssue i) -> i.createdAt);
        order = order.thenComparingInt(i -> i.number);
        if ("desc".equals(direction)) {
            order = order.reversed();
        }
        List<SimulatedIssue> pulls =
                repo.issues.values().stream()
                        .filter(SimulatedIssue::isPullRequest)
                        .filter(i -> "all".equals(wantedState) || i.state.equals(wantedState))
                        .filter(i -> head == null || head.equals(repo.owner + ":" + i.pull.headRef))
                        .filter(i -> base == null || base.equals(i.pull.baseRef))
                        .sorted(order)
                        .toList();
        Pagination<SimulatedIssue> page = Pagination.of(pulls, request);
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        page.items.forEach(p -> body.add(json.pull(repo, p, true)));
        return page.respond(ApiResponse.ok(body), json.api(), request);
    }

    /** {@code GET /repos/{owner}/{repo}/pulls/{pull_number}}. */
    ApiResponse get(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = pull(repo, request);
        computeMergeableOnRead(repo, issue.pull);
        return ApiResponse.ok(json.pull(repo, issue, false));
    }

    /** {@code GET .../pulls/{pull_number}/merge}: 204 when merged, 404 (no body) when not. */
    ApiResponse checkMerged(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        if (!pull(repo, request).pull.merged) {
            return ApiResponse.of(404, null);
        }
        return ApiResponse.noContent();
    }

    /**
     * {@code PUT .../pulls/{pull_number}/merge}. Refuses like GitHub: 405 when the pull request is
     * merged, closed or conflicting; 409 when {@code sha} is not the head any more.
     */
    ApiResponse merge(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = pull(repo, request);
        SimulatedPull pull = issue.pull;
        JsonNode body = request.body();
        String method = RequestBodies.optionalText(body, "merge_method", "PullRequest");
        if (method != null && !MERGE_METHODS.contains(method)) {
            throw ApiError.validation("PullRequest", "merge_method", "invalid");
        }
        if (pull.gitBacked && !pull.merged && issue.isOpen()) {
            // merging computes mergeable now, whatever the last read said
            pull.mergeable = repo.git.conflicts(pull.baseSha, pull.headSha).isEmpty();
        }
        if (pull.merged || !issue.isOpen() || Boolean.FALSE.equals(pull.mergeable)) {
            throw ApiError.of(405, "Pull Request is not mergeable");
        }
        String sha = RequestBodies.optionalText(body, "sha", "PullRequest");
        if (sha != null && !sha.equals(pull.headSha)) {
            throw ApiError.of(409, "Head branch was modified. Review and try the merge again.");
        }
        String wanted = method == null ? "merge" : method;
        SimulatedRepo.Protection protection = repo.protections.get(pull.baseRef);
        if ("merge".equals(wanted) && protection != null && protection.requiredLinearHistory) {
            throw ApiError.of(405, "Merge commits are not allowed on this repository.");
        }
        pull.mergeCommitSha =
                pull.gitBacked
                        ? landOnBase(repo, issue, wanted, body, request.login())
                        : mergeCommitSha(repo, issue);
        Instant now = changes.changed(repo, issue);
        pull.merged = true;
        pull.mergedAt = now;
        pull.mergedBy = request.login();
        issue.state = "closed";
        issue.closedAt = now;
        issue.closedBy = request.login();
        state.recordMutation(repo, issue.number, "merged");
        changes.event(repo, issue, "closed", request.login(), null);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("sha", pull.mergeCommitSha);
        result.put("merged", true);
        result.put("message", "Pull Request successfully merged");
        return ApiResponse.ok(result);
    }

    /** {@code GET .../pulls/{pull_number}/requested_reviewers}. */
    ApiResponse listReviewers(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = pull(repo, request);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode users = body.putArray("users");
        issue.pull.requestedReviewers.forEach(r -> users.add(json.user(r)));
        body.putArray("teams");
        return ApiResponse.ok(body);
    }

    /**
     * {@code POST .../pulls/{pull_number}/requested_reviewers}: 422 for the author and for accounts
     * the simulator does not know (GitHub: only collaborators can review).
     */
    ApiResponse requestReviewers(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = pull(repo, request);
        List<String> reviewers = RequestBodies.logins(request.body(), "reviewers", "PullRequest");
        List<String> wanted = reviewers == null ? List.of() : reviewers;
        for (String reviewer : wanted) {
            if (reviewer.equalsIgnoreCase(issue.author)) {
                throw ApiError.unprocessable(
                        "Review cannot be requested from pull request author.");
            }
            if (!state.knowsUser(reviewer)) {
                throw ApiError.unprocessable(
                        "Reviews may only be requested from collaborators. One or more of the"
                                + " users or teams you specified is not a collaborator of the "
                                + repo.fullName()
                                + " repository.");
            }
        }
        for (String reviewer : wanted) {
            String login = state.user(reviewer).login();
            if (issue.pull.requestedReviewers.add(login)) {
                changes.changed(repo, issue);
                state.recordMutation(repo, issue.number, "+reviewer:" + login);
            }
        }
        return ApiResponse.created(json.pull(repo, issue, true));
    }

    /** {@code DELETE .../pulls/{pull_number}/requested_reviewers}. */
    ApiResponse removeReviewers(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedIssue issue = pull(repo, request);
        List<String> reviewers = RequestBodies.logins(request.body(), "reviewers", "PullRequest");
        if (reviewers == null) {
            throw ApiError.validation("PullRequest", "reviewers", "missing_field");
        }
        for (String reviewer : reviewers) {
            issue.pull.requestedReviewers.stream()
                    .filter(r -> r.equalsIgnoreCase(reviewer))
                    .findFirst()
                    .ifPresent(
                            login -> {
                                issue.pull.requestedReviewers.remove(login);
                                changes.changed(repo, issue);
                                state.recordMutation(repo, issue.number, "-reviewer:" + login);
                            });
        }
        return ApiResponse.ok(json.pull(repo, issue, true));
    }

    private static SimulatedIssue pull(SimulatedRepo repo, ApiRequest request) {
        SimulatedIssue issue = repo.issues.get(request.intNumber("pull_number"));
        if (issue == null || !issue.isPullRequest()) {
            throw ApiError.notFound();
        }
        return issue;
    }

    /**
     * Writes the merge on the base branch: a merge commit (parents base and head), one squashed
     * commit, or the head's commits replayed one by one on the base; returns the last SHA.
     */
    private String landOnBase(
            SimulatedRepo repo, SimulatedIssue issue, String method, JsonNode body, String login) {
        SimulatedPull pull = issue.pull;
        String baseRef = "refs/heads/" + pull.baseRef;
        String base = repo.git.refs.get(baseRef);
        String title = RequestBodies.optionalText(body, "commit_title", "PullRequest");
        Instant now = state.now();
        String tip;
        switch (method) {
            case "squash" ->
                    tip =
                            repo.git
                                    .commit(
                                            List.of(base),
                                            repo.git.changesSince(pull.headSha, base),
                                            repo.git.filesSince(pull.headSha, base),
                                            title != null
                                                    ? title
                                                    : issue.title + " (#" + issue.number + ")",
                                            login,
                                            now)
                                    .sha();
            case "rebase" -> {
                tip = base;
                for (SimulatedGit.Commit c : repo.git.only(pull.headSha, base)) {
                    if (c.parents().size() < 2) {
                        tip =
                                repo.git
                                        .commit(
                                                List.of(tip),
                                                c.changes(),
                                                c.files(),
                                                c.message(),
                                                c.author(),
                                                now)
                                        .sha();
                    }
                }
            }
            default ->
                    tip =
                            repo.git
                                    .commit(
                                            List.of(base, pull.headSha),
                                            repo.git.changesSince(pull.headSha, base),
                                            title != null
                                                    ? title
                                                    : "Merge pull request #"
                                                            + issue.number
                                                            + " from "
                                                            + repo.owner
                                                            + "/"
                                                            + pull.headRef,
                                            login,
                                            now)
                                    .sha();
        }
        git.checkPush(repo, baseRef, tip, login, false);
        git.moveRef(repo, baseRef, tip, login);
        return tip;
    }

    /** Deterministic, so replays of a test see the same commit. */
    private static String mergeCommitSha(SimulatedRepo repo, SimulatedIssue issue) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-1")
                            .digest(
                                    (repo.fullName()
                                                    + "#"
                                                    + issue.number
                                                    + "@"
                                                    + issue.pull.headSha)
                                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is unavailable", e);
        }
    }
}
