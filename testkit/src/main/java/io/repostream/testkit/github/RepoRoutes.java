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

    /** {@code GET /repos/{owner}/{repo}}. */
    ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(json.repository(state.repo(request.owner(), request.repo())));
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
