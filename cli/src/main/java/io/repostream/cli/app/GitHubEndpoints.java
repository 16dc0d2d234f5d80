package io.repostream.cli.app;

import java.net.URI;

/**
 * Where GitHub is: its web (the manifest form, App pages) and its REST API, apart, as GitHub
 * Enterprise Server has them ({@code https://HOST} and {@code https://HOST/api/v3}).
 */
public record GitHubEndpoints(String webUrl, String apiUrl) {
    public static final String DEFAULT_WEB_URL = "https://github.com";
    public static final String DEFAULT_API_URL = "https://api.github.com";

    public GitHubEndpoints {
        webUrl = trimmed(webUrl, "--github-web-url");
        apiUrl = trimmed(apiUrl, "--github-api-url");
    }

    /** The manifest form: an organization's ({@code org} not null) or the signed-in person's. */
    public String newAppForm(String org) {
        return org == null
                ? webUrl + "/settings/apps/new"
                : webUrl + "/organizations/" + org + "/settings/apps/new";
    }

    private static String trimmed(String url, String option) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(option + " is required");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " is not a URL: " + url);
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException(option + " must be an http(s) URL, got " + url);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
