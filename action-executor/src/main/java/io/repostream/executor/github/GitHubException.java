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
    private final boolean secondaryLimit;

    public GitHubException(String message, int status, GitHubResponse response, Throwable cause) {
        this(message, status, response, cause, false);
    }

    /**
     * @param secondaryLimit GitHub's message said a secondary rate limit (or, in its older wording,
     *     abuse detection) refused the request: see {@link #isSecondaryLimitMessage}
     */
    public GitHubException(
            String message,
            int status,
            GitHubResponse response,
            Throwable cause,
            boolean secondaryLimit) {
        super(message, cause);
        this.status = status;
        this.response = response;
        this.secondaryLimit = secondaryLimit && (status == 403 || status == 429);
    }

    /**
     * Whether GitHub's error message names a secondary rate limit: "You have exceeded a secondary
     * rate limit", or "You have triggered an abuse detection mechanism" as it used to say (hub4j
     * reports such answers as "Abuse limit reached"). GitHub does not always send {@code
     * retry-after} with one, and then asks clients to wait at least a minute.
     */
    public static boolean isSecondaryLimitMessage(String githubMessage) {
        if (githubMessage == null) {
            return false;
        }
        String text = githubMessage.toLowerCase(java.util.Locale.ROOT);
        return text.contains("secondary rate limit") || text.contains("abuse");
    }

    /** Whether GitHub's message said this was a secondary rate limit. */
    public boolean isSecondaryLimit() {
        return secondaryLimit;
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

    /**
     * A primary (remaining 0) or secondary rate limit ({@code retry-after}, a 429, or GitHub's
     * message naming one), as opposed to a 403 that refuses the request for good (no permission).
     */
    public boolean isRateLimited() {
        if (status != 403 && status != 429) {
            return false;
        }
        if (secondaryLimit) {
            return true;
        }
        if (response == null) {
            return false;
        }
        return response.primaryLimitExhausted()
                || response.rateLimit().retryAfterSeconds() != null
                || status == 429;
    }
}
