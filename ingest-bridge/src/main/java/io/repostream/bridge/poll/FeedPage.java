package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * One answer of a repository's event feed, with what GitHub says about when to ask again.
 *
 * @param status the HTTP status (200, 304 = nothing new, 403/429 = limited, ...)
 * @param etag the ETag to send as {@code If-None-Match} next time, when given
 * @param events the events, newest first (200 only), else null
 * @param pollInterval {@code X-Poll-Interval}, when given
 * @param retryAfter {@code Retry-After}, when given
 * @param rateRemaining {@code x-ratelimit-remaining}, when given
 * @param rateReset {@code x-ratelimit-reset}, when given
 * @param next the URL of the next (older) page from the {@code Link} header, or null
 */
public record FeedPage(
        int status,
        String etag,
        JsonNode events,
        Duration pollInterval,
        Duration retryAfter,
        Long rateRemaining,
        Instant rateReset,
        String next) {

    /** A page without a next one. */
    public FeedPage(
            int status,
            String etag,
            JsonNode events,
            Duration pollInterval,
            Duration retryAfter,
            Long rateRemaining,
            Instant rateReset) {
        this(status, etag, events, pollInterval, retryAfter, rateRemaining, rateReset, null);
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
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        if (rateRemaining != null && rateRemaining <= 0 && rateReset != null) {
            Duration untilReset = Duration.between(now, rateReset);
            if (untilReset.compareTo(delay) > 0) {
                delay = untilReset;
            }
        }
        return delay;
    }
}
