package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One answer of GitHub's REST API to a poll (the event feed, workflow runs, the issues or pulls
 * list, ...), with what GitHub says about when to ask again.
 *
 * @param status the HTTP status (200, 304 = nothing new, 403/429 = limited, ...)
 * @param etag the ETag to send as {@code If-None-Match} next time, when given
 * @param events the listed items, in GitHub's order (200 only), else null
 * @param pollInterval {@code X-Poll-Interval}, when given
 * @param retryAfter {@code Retry-After}, when given
 * @param rateRemaining {@code x-ratelimit-remaining}, when given
 * @param rateReset {@code x-ratelimit-reset}, when given
 * @param next the URL of the next page from the {@code Link} header, or null
 * @param message GitHub's {@code message} of an error answer (never a secret), or null
 */
public record FeedPage(
        int status,
        String etag,
        JsonNode events,
        Duration pollInterval,
        Duration retryAfter,
        Long rateRemaining,
        Instant rateReset,
        String next,
        String message) {

    /** GitHub's advice for a secondary limit that names no time: wait at least a minute. */
    static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);

    /**
     * Whether GitHub refused the request for a rate limit: 429, or 403 with the quota used up, a
     * {@code Retry-After}, or a message about a rate limit (a 403 without them is a permission
     * problem).
     */
    public boolean rateLimited() {
        if (status == 429) {
            return true;
        }
        return status == 403
                && ((rateRemaining != null && rateRemaining <= 0)
                        || retryAfter != null
                        || (message != null
                                && message.toLowerCase(Locale.ROOT).contains("rate limit")));
    }

    /** Whether this answer used the last request of the quota (or was refused for it). */
    public boolean quotaUsedUp() {
        return rateRemaining != null && rateRemaining <= 0;
    }

    /**
     * Until when no request may go to GitHub after this answer (a rate limit, a used-up quota, or
     * any {@code Retry-After}; GitHub warns that requests sent while limited can get an integration
     * banned), or null when it may be asked again at once.
     */
    public Instant blockedUntil(Instant now) {
        if (!rateLimited() && !quotaUsedUp() && retryAfter == null) {
            return null;
        }
        Instant until = now;
        if (retryAfter != null) {
            until = max(until, now.plus(retryAfter));
        }
        if (quotaUsedUp() && rateReset != null) {
            until = max(until, rateReset);
        }
        if (until.equals(now)) {
            // limited, but GitHub named no time
            until = now.plus(SECONDARY_LIMIT_WAIT);
        }
        return until;
    }

    /**
     * How long to wait before polling again: at least {@code configured}, at least GitHub's poll
     * interval, past {@code Retry-After}, and past the quota's reset when it is used up.
     */
    public Duration nextDelay(Duration configured, Instant now) {
        Duration delay = configured;
        if (pollInterval != null && pollInterval.compareTo(delay) > 0) {
            delay = pollInterval;
        }
        Instant blocked = blockedUntil(now);
        if (blocked != null && Duration.between(now, blocked).compareTo(delay) > 0) {
            delay = Duration.between(now, blocked);
        }
        return delay;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
