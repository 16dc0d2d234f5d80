package io.repostream.executor.github;

import io.repostream.schemas.TargetState;

/**
 * Git refs and merges of branches. A ref's state is {@link TargetState} of kind {@code ref}: state
 * {@code present} with its SHA as {@code headSha}, or {@code absent}.
 */
public interface GitRefs {
    /** Kind of the {@link TargetState} of a ref. */
    String KIND = "ref";

    /**
     * @param ref in full, {@code refs/heads/main}
     */
    GitHubResult<TargetState> ref(String repo, String ref);

    GitHubResult<Void> createRef(String repo, String ref, String sha);

    /** A fast-forward unless {@code force}; GitHub answers 422 otherwise. */
    GitHubResult<Void> updateRef(String repo, String ref, String sha, boolean force);

    GitHubResult<Void> deleteRef(String repo, String ref);

    /**
     * Merges {@code head} (a branch or SHA) into branch {@code ref} with a merge commit; the new
     * SHA, or null when {@code ref} already contains {@code head} (GitHub's 204).
     *
     * @param before the SHA of {@code ref} before the merge, to recognise a merge whose answer was
     *     lost (the ref moved)
     */
    GitHubResult<String> mergeBranch(
            String repo, String ref, String head, String message, String before);

    static TargetState present(String sha) {
        return new TargetState(
                KIND, "present", null, null, null, null, sha, null, null, null, null, null, null);
    }

    static TargetState absent() {
        return new TargetState(
                KIND, "absent", null, null, null, null, null, null, null, null, null, null, null);
    }
}
