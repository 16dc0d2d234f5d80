package io.repostream.testkit.github;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's routes, declared with GitHub's own path templates ({@code
 * /repos/{owner}/{repo}/issues/{issue_number}}), so the declaration reads like GitHub's docs and
 * the conformance test can look each one up in GitHub's OpenAPI description.
 */
final class RouteTable {
    /** Answers one request; runs under the state's lock. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(ApiRequest request);
    }

    /**
     * @param free true for requests that never count against the quota ({@code /rate_limit})
     * @param app true for GitHub App endpoints, authenticated by the app's JWT instead of a token
     */
    record Route(String method, String template, Handler handler, boolean free, boolean app) {
        /** {@code GET /repos/{owner}/{repo}}, the key of the operation in GitHub's description. */
        String operation() {
            return method + " " + template;
        }

        String vertxPath() {
            return template.replaceAll("\\{([a-z_]+)}", ":$1");
        }

        /**
         * A git ref ({@code heads/feature/x}), a file's path ({@code .github/CODEOWNERS}) or a
         * comparison ({@code main...release/1.0}) in the path holds slashes, which a Vert.x path
         * parameter does not match: such routes are matched by this regular expression, whose named
         * groups are the path parameters; null for the other routes.
         */
        String vertxRegex() {
            if (!template.contains("{ref}")
                    && !template.contains("{path}")
                    && !template.contains("{basehead}")) {
                return null;
            }
            return "^"
                    + template.replace("{ref}", "(?<ref>.+)")
                            .replace("{path}", "(?<path>.+)")
                            .replace("{basehead}", "(?<basehead>.+)")
                            .replaceAll("\\{([a-z]+)}", "(?<$1>[^/]+)")
                    + "$";
        }

        boolean createsContent() {
            return !"GET".equals(method);
        }
    }

    private final List<Route> routes = new ArrayList<>();

    RouteTable get(String template, Handler handler) {
        return add("GET", template, handler, false);
    }

    /** A read that GitHub does not count against the rate limit. */
    RouteTable getFree(String template, Handler handler) {
        return add("GET", template, handler, true);
    }

    /**
     * A write that needs no authentication and counts against no quota (the manifest code
     * conversion, whose code is the credential).
     */
    RouteTable postFree(String template, Handler handler) {
        return add("POST", template, handler, true);
    }

    RouteTable post(String template, Handler handler) {
        return add("POST", template, handler, false);
    }

    /** A GitHub App endpoint: the request carries the app's JWT, not a token. */
    RouteTable getAsApp(String template, Handler handler) {
        routes.add(new Route("GET", template, handler, false, true));
        return this;
    }

    /** A GitHub App endpoint: the request carries the app's JWT, not a token. */
    RouteTable postAsApp(String template, Handler handler) {
        routes.add(new Route("POST", template, handler, false, true));
        return this;
    }

    RouteTable patch(String template, Handler handler) {
        return add("PATCH", template, handler, false);
    }

    RouteTable put(String template, Handler handler) {
        return add("PUT", template, handler, false);
    }

    RouteTable delete(String template, Handler handler) {
        return add("DELETE", template, handler, false);
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    private RouteTable add(String method, String template, Handler handler, boolean free) {
        routes.add(new Route(method, template, handler, free, false));
        return this;
    }
}
