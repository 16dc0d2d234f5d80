package io.repostream.testkit.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * GitHub's REST limits, per token: a primary quota per hour (5000 by default, 60 without a token)
 * and a secondary limit on content-creating requests per minute (80 by default). Thread-safe.
 */
final class RateLimiter {
    static final String ANONYMOUS = "";
    private static final Duration PRIMARY_WINDOW = Duration.ofHours(1);
    private static final Duration SECONDARY_WINDOW = Duration.ofMinutes(1);
    private static final int ANONYMOUS_LIMIT = 60;

    /** The state of one token's primary quota, as the {@code x-ratelimit-*} headers show it. */
    record Quota(int limit, int used, long resetEpochSeconds) {
        int remaining() {
            return Math.max(0, limit - used);
        }

        boolean exhausted() {
            return used >= limit;
        }
    }

    private final Clock clock;
    private final Map<String, Window> primary = new HashMap<>();
    private final Map<String, Deque<Instant>> secondary = new HashMap<>();
    private boolean enabled = true;
    private int primaryLimit = 5_000;
    private int secondaryPerMinute = 80;
    private int primaryStatus = 403;
    private int secondaryStatus = 403;
    private boolean secondaryRetryAfter = true;

    RateLimiter(Clock clock) {
        this.clock = clock;
    }

    synchronized void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    synchronized boolean enabled() {
        return enabled;
    }

    synchronized void setPrimaryLimit(int perHour) {
        require(perHour > 0, "primary limit must be positive");
        this.primaryLimit = perHour;
        primary.values().forEach(w -> w.limit = w.anonymous ? ANONYMOUS_LIMIT : perHour);
    }

    synchronized void setSecondaryLimit(int perMinute) {
        require(perMinute > 0, "secondary limit must be positive");
        this.secondaryPerMinute = perMinute;
    }

    /** GitHub answers an exhausted primary quota with 403 or, lately, 429. */
    synchronized void setPrimaryLimitStatus(int status) {
        require(status == 403 || status == 429, "GitHub answers rate limits with 403 or 429");
        this.primaryStatus = status;
    }

    synchronized void setSecondaryLimitStatus(int status) {
        require(status == 403 || status == 429, "GitHub answers rate limits with 403 or 429");
        this.secondaryStatus = status;
    }

    /** Whether a secondary-limit answer says how long to wait ({@code Retry-After}). */
    synchronized void setSecondaryRetryAfter(boolean sent) {
        this.secondaryRetryAfter = sent;
    }

    synchronized boolean secondaryRetryAfter() {
        return secondaryRetryAfter;
    }

    synchronized int primaryStatus() {
        return primaryStatus;
    }

    synchronized int secondaryStatus() {
        return secondaryStatus;
    }

    synchronized Quota quota(String token) {
        return window(token).quota();
    }

    /** Counts one request against the token's quota and returns the quota after it. */
    synchronized Quota charge(String token) {
        Window window = window(token);
        window.used++;
        return window.quota();
    }

    /** True when the token's quota is used up and limits are enforced. */
    synchronized boolean blocksPrimary(String token) {
        return enabled && window(token).quota().exhausted();
    }

    /**
     * Notes one content-creating request. Returns the seconds to wait when the token has made too
     * many in the last minute (the request is then not noted), else empty.
     */
    synchronized OptionalLong noteContentCreation(String token) {
        Deque<Instant> recent = secondary.computeIfAbsent(token, k -> new ArrayDeque<>());
        Instant now = clock.instant();
        while (!recent.isEmpty() && !recent.peekFirst().plus(SECONDARY_WINDOW).isAfter(now)) {
            recent.removeFirst();
        }
        if (enabled && recent.size() >= secondaryPerMinute) {
            Instant freed = recent.peekFirst().plus(SECONDARY_WINDOW);
            return OptionalLong.of(Math.max(1, Duration.between(now, freed).toSeconds() + 1));
        }
        recent.addLast(now);
        return OptionalLong.empty();
    }

    /** Uses up the token's quota until its window resets. */
    synchronized void exhaust(String token) {
        Window window = window(token);
        window.used = Math.max(window.used, window.limit);
    }

    /** Forgets all usage: every token starts a fresh hour and minute. */
    synchronized void reset() {
        primary.clear();
        secondary.clear();
    }

    private Window window(String token) {
        Instant now = clock.instant();
        Window window = primary.get(token);
        if (window == null || !now.isBefore(window.reset)) {
            boolean anonymous = ANONYMOUS.equals(token);
            window =
                    new Window(
                            anonymous,
                            anonymous ? ANONYMOUS_LIMIT : primaryLimit,
                            now.plus(PRIMARY_WINDOW));
            primary.put(token, window);
        }
        return window;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static final class Window {
        final boolean anonymous;
        final Instant reset;
        int limit;
        int used;

        Window(boolean anonymous, int limit, Instant reset) {
            this.anonymous = anonymous;
            this.limit = limit;
            this.reset = reset;
        }

        Quota quota() {
            return new Quota(limit, used, reset.getEpochSecond());
        }
    }
}
