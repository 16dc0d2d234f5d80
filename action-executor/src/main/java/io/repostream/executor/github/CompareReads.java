package io.repostream.executor.github;

import io.repostream.executor.github.CollaboratorReads.Conditional;

/** The part of GitHub a comparison of two commits talks to. */
public interface CompareReads {

    /**
     * {@code GET /repos/{owner}/{repo}/compare/{base}...{head}}, conditional on {@code etag} when
     * one is given.
     *
     * @param base a branch, tag or commit SHA
     * @param head a branch, tag or commit SHA
     * @return GitHub's comparison ({@code status}, {@code ahead_by}, {@code behind_by}, {@code
     *     commits}, {@code files}, ...) and ETag, or {@link Conditional#notModified()} when the
     *     caller's copy is current (a 304)
     * @throws GitHubException on a refusal (404: no such repository or commit, or no common
     *     ancestor)
     */
    GitHubResult<Conditional> compare(String repo, String base, String head, String etag);
}
