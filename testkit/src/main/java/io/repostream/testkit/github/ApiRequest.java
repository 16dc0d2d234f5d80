package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Map;

/**
 * What a route handler needs from an HTTP request: the path parameters (named as in GitHub's
 * OpenAPI description), the query (in request order), the parsed JSON body, and who asks: the
 * token's login and the token itself ({@link RateLimiter#ANONYMOUS} without one).
 */
record ApiRequest(
        String method,
        String path,
        Map<String, String> pathParams,
        Map<String, String> query,
        JsonNode body,
        String login,
        String token) {

    String param(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    /** A number in the path; GitHub answers 404 for {@code /issues/abc}. */
    long number(String name) {
        try {
            return Long.parseLong(param(name));
        } catch (NumberFormatException e) {
            throw ApiError.notFound();
        }
    }

    int intNumber(String name) {
        long value = number(name);
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw ApiError.notFound();
        }
        return (int) value;
    }

    String query(String name, String fallback) {
        String value = query.get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    @Override
    public JsonNode body() {
        return body == null ? MissingNode.getInstance() : body;
    }

    String owner() {
        return param("owner");
    }

    String repo() {
        return param("repo");
    }
}
