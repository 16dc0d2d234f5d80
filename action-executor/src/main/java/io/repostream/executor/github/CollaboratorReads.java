package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;

/** The part of GitHub a collaborator-permission read talks to. */
public interface CollaboratorReads {

    /**
     * {@code GET /repos/{owner}/{repo}/collaborators/{username}/permission}, conditional on {@code
     * etag} when one is given.
     *
     * @param etag the ETag of the answer the caller holds, or null
     * @return GitHub's body ({@code permission}, {@code role_name}, {@code user}) and ETag, or
     *     {@link Conditional#notModified()} when the caller's copy is current (a 304)
     * @throws GitHubException on a refusal (404: no such repository or account)
     */
    GitHubResult<Conditional> collaboratorPermission(String repo, String username, String etag);

    /**
     * A conditional read's result.
     *
     * @param body GitHub's body; null when not modified
     * @param etag the answer's ETag (the caller's, when not modified)
     * @param notModified whether GitHub answered 304
     */
    record Conditional(JsonNode body, String etag, boolean notModified) {}
}
