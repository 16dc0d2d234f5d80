package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The API root, the authenticated user and {@code /rate_limit}. */
final class MetaRoutes {
    private final GitHubJson json;
    private final RateLimiter limiter;

    MetaRoutes(GitHubJson json, RateLimiter limiter) {
        this.json = json;
        this.limiter = limiter;
    }

    /** {@code GET /}: the hypermedia index (hub4j fetches it to check an endpoint). */
    ApiResponse root(ApiRequest request) {
        String api = json.api();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        String[][] urls = {
            {"current_user_url", "/user"},
            {
                "current_user_authorizations_html_url",
                "/settings/connections/applications{/client_id}"
            },
            {"authorizations_url", "/authorizations"},
            {"code_search_url", "/search/code?q={query}{&page,per_page,sort,order}"},
            {"commit_search_url", "/search/commits?q={query}{&page,per_page,sort,order}"},
            {"emails_url", "/user/emails"},
            {"emojis_url", "/emojis"},
            {"events_url", "/events"},
            {"feeds_url", "/feeds"},
            {"followers_url", "/user/followers"},
            {"following_url", "/user/following{/target}"},
            {"gists_url", "/gists{/gist_id}"},
            {"hub_url", "/hub"},
            {"issue_search_url", "/search/issues?q={query}{&page,per_page,sort,order}"},
            {"issues_url", "/issues"},
            {"keys_url", "/user/keys"},
            {
                "label_search_url",
                "/search/labels?q={query}&repository_id={repository_id}{&page,per_page}"
            },
            {"notifications_url", "/notifications"},
            {"organization_url", "/orgs/{org}"},
            {"organization_repositories_url", "/orgs/{org}/repos{?type,page,per_page,sort}"},
            {"organization_teams_url", "/orgs/{org}/teams"},
            {"public_gists_url", "/gists/public"},
            {"rate_limit_url", "/rate_limit"},
            {"repository_url", "/repos/{owner}/{repo}"},
            {"repository_search_url", "/search/repositories?q={query}{&page,per_page,sort,order}"},
            {"current_user_repositories_url", "/user/repos{?type,page,per_page,sort}"},
            {"starred_url", "/user/starred{/owner}{/repo}"},
            {"starred_gists_url", "/gists/starred"},
            {"topic_search_url", "/search/topics?q={query}{&page,per_page}"},
            {"user_url", "/users/{user}"},
            {"user_organizations_url", "/user/orgs"},
            {"user_repositories_url", "/users/{user}/repos{?type,page,per_page,sort}"},
            {"user_search_url", "/search/users?q={query}{&page,per_page,sort,order}"},
        };
        for (String[] url : urls) {
            body.put(url[0], api + url[1]);
        }
        return ApiResponse.ok(body);
    }

    /** {@code GET /user}: the token's account; 401 without a token. */
    ApiResponse user(ApiRequest request) {
        if (request.login() == null) {
            throw ApiError.requiresAuthentication();
        }
        return ApiResponse.ok(json.authenticatedUser(request.login()));
    }

    /** {@code GET /rate_limit}: free of charge, as on GitHub. */
    ApiResponse rateLimit(ApiRequest request) {
        RateLimiter.Quota core = limiter.quota(request.token());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode resources = body.putObject("resources");
        resources.set("core", quota(core.limit(), core.used(), core.resetEpochSeconds()));
        // Only the core REST quota is simulated; the others are reported untouched.
        resources.set("search", quota(30, 0, core.resetEpochSeconds()));
        resources.set("graphql", quota(5_000, 0, core.resetEpochSeconds()));
        body.set("rate", quota(core.limit(), core.used(), core.resetEpochSeconds()));
        return ApiResponse.ok(body);
    }

    private static ObjectNode quota(int limit, int used, long reset) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("limit", limit);
        json.put("used", used);
        json.put("remaining", Math.max(0, limit - used));
        json.put("reset", reset);
        return json;
    }
}
