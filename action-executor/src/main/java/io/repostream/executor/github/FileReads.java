package io.repostream.executor.github;

import io.repostream.executor.github.CollaboratorReads.Conditional;

/** The part of GitHub a file read talks to. */
public interface FileReads {

    /**
     * {@code GET /repos/{owner}/{repo}/contents/{path}?ref=}, conditional on {@code etag} when one
     * is given.
     *
     * @param path the file's path in the repository, without a leading slash
     * @param ref a branch, tag or commit SHA; null for the repository's default branch
     * @param etag the ETag of the answer the caller holds, or null
     * @return GitHub's content object ({@code type}, {@code path}, {@code sha}, {@code content} in
     *     base64, {@code encoding}, ...) and ETag, or {@link Conditional#notModified()} when the
     *     caller's copy is current (a 304)
     * @throws GitHubException on a refusal (404: no such repository, ref or path)
     */
    GitHubResult<Conditional> file(String repo, String path, String ref, String etag);
}
