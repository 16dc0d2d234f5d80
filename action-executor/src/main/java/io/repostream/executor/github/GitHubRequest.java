package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.executor.github.RequestGate.Kind;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One request to GitHub's REST API, as every layer of {@link GitHubHttp} sees it.
 *
 * @param operation the name the metrics use ({@code add_labels})
 * @param kind read, write or content creation, for pacing
 * @param method HTTP method
 * @param path below the API's base URL, with its query
 * @param body JSON body, or null
 * @param repo {@code owner/repo} the request is about, whose credentials and budget it uses; null
 *     for an app-level request
 * @param ref the target ({@code owner/repo#12}), for messages
 * @param authorization an {@code Authorization} value to send instead of the repo's credentials
 *     (the app's JWT), or null
 * @param tookEffect for a write that must not reach GitHub twice: what its answer would have been,
 *     if its effect is on GitHub (see {@link RequestGate#send(String, Kind, String, Supplier,
 *     Supplier)}); null for a request that is harmless to repeat
 */
public record GitHubRequest(
        String operation,
        Kind kind,
        String method,
        String path,
        JsonNode body,
        String repo,
        String ref,
        String authorization,
        Supplier<Optional<GitHubAnswer>> tookEffect) {

    /** A read about {@code ref} of {@code repo}. */
    public static GitHubRequest read(String operation, String repo, String ref, String path) {
        return new GitHubRequest(operation, Kind.READ, "GET", path, null, repo, ref, null, null);
    }

    /** A write about {@code ref} of {@code repo}. */
    public static GitHubRequest write(
            String operation,
            Kind kind,
            String method,
            String path,
            JsonNode body,
            String repo,
            String ref) {
        return new GitHubRequest(operation, kind, method, path, body, repo, ref, null, null);
    }

    /** This write, which must not be sent twice: {@code tookEffect} looks for its effect. */
    public GitHubRequest once(Supplier<Optional<GitHubAnswer>> tookEffect) {
        return new GitHubRequest(
                operation, kind, method, path, body, repo, ref, authorization, tookEffect);
    }

    /** This request with its own {@code Authorization} value instead of the repo's credentials. */
    public GitHubRequest authorizedBy(String authorization) {
        return new GitHubRequest(
                operation, kind, method, path, body, repo, ref, authorization, tookEffect);
    }

    /** The same request for another path (the next page). */
    public GitHubRequest at(String otherPath) {
        return new GitHubRequest(
                operation, kind, method, otherPath, body, repo, ref, authorization, tookEffect);
    }

    @Override
    public String toString() {
        // never the authorization
        return method + " " + path + " (" + operation + " for " + ref + ")";
    }
}
