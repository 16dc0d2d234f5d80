package io.repostream.executor.github;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Every part of GitHub's REST API the executor uses: the narrow interfaces handlers talk to, and
 * what the dispatcher needs besides. Each call returns GitHub's answer with its result ({@link
 * GitHubResult}) or throws {@link GitHubException} whose message names the target ({@code
 * owner/repo#12}).
 */
public interface GitHubClient
        extends Labels,
                Assignees,
                Comments,
                IssueStates,
                Reviewers,
                Merges,
                Runs,
                CollaboratorReads,
                FileReads,
                JobLogs,
                CompareReads,
                GitRefs,
                Checks {

    /**
     * Tells the client which GitHub App installation owns {@code repo} (actions carry it), so that
     * it need not look it up. Clients that authenticate with one token ignore it.
     */
    default void installationOf(String repo, long installationId) {}

    /**
     * The GitHub App permissions granted to the installation that owns {@code repo} (name to level,
     * {@code issues} to {@code write}), when the client authenticates as a GitHub App; empty for a
     * token, whose rights GitHub alone knows.
     *
     * @param installationId as the action names it, or null
     */
    default Optional<Map<String, String>> grantedPermissions(String repo, Long installationId) {
        return Optional.empty();
    }

    /**
     * Until when the installation that owns {@code repo} is known to be rate limited (its quota
     * used up, or a secondary limit's wait), if that is known without asking GitHub and within the
     * longest wait allowed: an action on it is better held until then than sent to wait.
     */
    default Optional<Instant> limitedUntil(String repo, Long installationId) {
        return Optional.empty();
    }

    /**
     * This client, but a request that meets a rate limit (or a quota known to be used up) throws
     * {@link RateLimitedException} instead of waiting it out in the caller's thread: for what the
     * executor asks before an action has changed anything, so that the action can be held in its
     * lane without a worker. A client without a rate gate returns itself.
     */
    default GitHubClient deferringRateLimits() {
        return this;
    }
}
