package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;

/** The repository itself and its event feed. */
final class RepoRoutes {
    private final SimulatedGitHub state;
    private final GitHubJson json;

    RepoRoutes(SimulatedGitHub state, GitHubJson json) {
        this.state = state;
        this.json = json;
    }

    /**
     * {@code GET /repos/{owner}/{repo}}; for a user's token with {@code permissions}, what that
     * user may do (GitHub's {@code full-repository} schema: admin, maintain, push, triage, pull).
     */
    ApiResponse get(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        com.fasterxml.jackson.databind.node.ObjectNode body = json.repository(repo);
        if (request.login() != null) {
            body.set("permissions", permissions(repo, request.login()));
        }
        return ApiResponse.ok(body);
    }

    /**
     * The owner is admin; a collaborator has their role's permissions; anybody else may only pull
     * (the simulator's repositories are public).
     */
    private static com.fasterxml.jackson.databind.node.ObjectNode permissions(
            SimulatedRepo repo, String login) {
        String role =
                repo.owner.equalsIgnoreCase(login)
                        ? "admin"
                        : repo.collaborators.getOrDefault(
                                login.toLowerCase(java.util.Locale.ROOT), "none");
        java.util.List<String> levels =
                java.util.List.of("read", "triage", "write", "maintain", "admin");
        int rank = Math.max(0, levels.indexOf(role));
        com.fasterxml.jackson.databind.node.ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("admin", rank >= 4);
        p.put("maintain", rank >= 3);
        p.put("push", rank >= 2);
        p.put("triage", rank >= 1);
        p.put("pull", true);
        return p;
    }

    /**
     * {@code GET /repos/{owner}/{repo}/events}: newest first, with {@code X-Poll-Interval}. The
     * ETag changes only when an event arrives, so pollers can ask with {@code If-None-Match}.
     */
    ApiResponse events(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        Pagination<RepoEvent> page = Pagination.of(new ArrayList<>(repo.events), request);
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        page.items.forEach(e -> body.add(json.event(repo, e)));
        return page.respond(ApiResponse.ok(body), json.api(), request)
                .header("X-Poll-Interval", String.valueOf(state.pollIntervalSeconds()));
    }
}
