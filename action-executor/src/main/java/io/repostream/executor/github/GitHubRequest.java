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
 * @param ifNoneMatch for a conditional read, the ETag of the answer the caller holds: GitHub then
 *     answers 304 when nothing changed, which comes back as an answer, not an error; else null
 * @param download for a read GitHub answers with a redirect to a file (a job's log): how much of
 *     the file to bring back; else null
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
        Supplier<Optional<GitHubAnswer>> tookEffect,
        String ifNoneMatch,
        Download download) {

    /**
     * A file GitHub redirects to (a job's log: {@code 302} to a short-lived signed URL on another
     * host). The transport follows the redirect itself, <em>without</em> the request's credentials
     * (the URL is signed; GitHub's token must not reach the storage host), reads the file as text
     * and keeps its last {@code maxBytes}: the answer's body is {@code text}, {@code bytes} (the
     * file's whole size) and {@code truncated}. The signed URL itself is never in the answer.
     */
    public record Download(int maxBytes) {
        public Download {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("a download keeps at least one byte");
            }
        }
    }

    /** A request that is not a download. */
    public GitHubRequest(
            String operation,
            Kind kind,
            String method,
            String path,
            JsonNode body,
            String repo,
            String ref,
            String authorization,
            Supplier<Optional<GitHubAnswer>> tookEffect,
            String ifNoneMatch) {
        this(
                operation,
                kind,
                method,
                path,
                body,
                repo,
                ref,
                authorization,
                tookEffect,
                ifNoneMatch,
                null);
    }

    /** A request that is not conditional. */
    public GitHubRequest(
            String operation,
            Kind kind,
            String method,
            String path,
            JsonNode body,
            String repo,
            String ref,
            String authorization,
            Supplier<Optional<GitHubAnswer>> tookEffect) {
        this(operation, kind, method, path, body, repo, ref, authorization, tookEffect, null);
    }

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
                operation,
                kind,
                method,
                path,
                body,
                repo,
                ref,
                authorization,
                tookEffect,
                ifNoneMatch,
                download);
    }

    /** This request with its own {@code Authorization} value instead of the repo's credentials. */
    public GitHubRequest authorizedBy(String authorization) {
        return new GitHubRequest(
                operation,
                kind,
                method,
                path,
                body,
                repo,
                ref,
                authorization,
                tookEffect,
                ifNoneMatch,
                download);
    }

    /** The same request for another path (the next page). */
    public GitHubRequest at(String otherPath) {
        return new GitHubRequest(
                operation,
                kind,
                method,
                otherPath,
                body,
                repo,
                ref,
                authorization,
                tookEffect,
                ifNoneMatch,
                download);
    }

    /**
     * This read, conditional on {@code etag} ({@code If-None-Match}): a 304 answer means the
     * caller's copy is current. A null {@code etag} leaves the request unconditional.
     */
    public GitHubRequest ifNoneMatch(String etag) {
        return new GitHubRequest(
                operation,
                kind,
                method,
                path,
                body,
                repo,
                ref,
                authorization,
                tookEffect,
                etag,
                download);
    }

    /**
     * This read of a file GitHub redirects to, keeping the last {@code maxBytes} of it (see {@link
     * Download}).
     */
    public GitHubRequest downloading(int maxBytes) {
        return new GitHubRequest(
                operation,
                kind,
                method,
                path,
                body,
                repo,
                ref,
                authorization,
                tookEffect,
                ifNoneMatch,
                new Download(maxBytes));
    }

    /** Whether GitHub answered that the caller's copy ({@link #ifNoneMatch}) is current. */
    public boolean notModified(GitHubAnswer answer) {
        return ifNoneMatch != null && answer.response().status() == 304;
    }

    @Override
    public String toString() {
        // never the authorization
        return method + " " + path + " (" + operation + " for " + ref + ")";
    }
}
