package io.repostream.executor.github;

import java.util.Optional;

/** An issue's comments. */
public interface Comments extends IssueReads {

    /**
     * Creates a comment and returns its id.
     *
     * @param marker text that only this comment carries (an action's hidden marker): when GitHub's
     *     answer is lost, a comment of ours containing it is this one, and none is created again
     */
    GitHubResult<Long> createComment(String repo, long number, String body, String marker);

    /** Creates a comment whose whole body identifies it (see the four-argument form). */
    default GitHubResult<Long> createComment(String repo, long number, String body) {
        return createComment(repo, number, body, body);
    }

    /**
     * The id of a comment on the issue whose body contains {@code marker} and that this client's
     * own identity wrote (the token's user, or the GitHub App's bot), if any: a person quoting the
     * marker does not count.
     */
    GitHubResult<Optional<Long>> findComment(String repo, long number, String marker);

    GitHubResult<Void> deleteComment(String repo, long number, long commentId);
}
