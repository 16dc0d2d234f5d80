package io.repostream.executor.github;

import java.util.Optional;

/**
 * A GitHub request that did not succeed. The message names the target ({@code owner/repo#12}) and
 * never carries a token.
 */
public final class GitHubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient GitHubResponse response;

    public GitHubException(String message, int status, GitHubResponse response, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.response = response;
    }

    /** The HTTP status, or 0 when no answer arrived (network error, timeout). */
    public int status() {
        return status;
    }

    public Optional<GitHubResponse> response() {
        return Optional.ofNullable(response);
    }

    /**
     * Whether trying again cannot help: the target is gone (404, 410), the request is invalid
     * (422), the head moved (409), or we are not allowed (401, or 403 without a rate limit).
     */
    public boolean isFinal() {
        if (status == 0 || status >= 500 || status == 429) {
            return false;
        }
        if (status == 403) {
            return !isRateLimited();
        }
        return status >= 400;
    }

    /**
     * Whether GitHub may have applied the request although it failed: a 5xx or no answer at all can
     * come after the change was made (a proxy or the network failing on the way back). Refusals
     * (4xx, rate limits) happen before anything is changed.
     */
    public boolean mayHaveBeenApplied() {
        return status == 0 || status >= 500;
    }

    /** A primary (remaining 0) or secondary ({@code retry-after}) rate limit. */
    public boolean isRateLimited() {
        if (response == null || (status != 403 && status != 429)) {
            return false;
        }
        return response.primaryLimitExhausted()
                || response.rateLimit().retryAfterSeconds() != null
                || status == 429;
    }
}
