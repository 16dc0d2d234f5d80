package io.repostream.executor.github;

import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.schemas.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every GitHub request passes here: it keeps GitHub's pacing rules (writes spaced per installation,
 * caps on content creations in any minute and any hour per installation, a cap on concurrent
 * requests) and retries what may succeed later (5xx and network errors with exponential backoff and
 * jitter; rate limits after {@code retry-after} or the reset). Final answers (404, 410, 422, ...)
 * are never retried.
 */
public final class RequestGate {
    private static final Logger LOG = LoggerFactory.getLogger(RequestGate.class);

    /** GitHub asks to wait at least a minute after a secondary limit that names no delay. */
    private static final Duration SECONDARY_LIMIT_DEFAULT_WAIT = Duration.ofSeconds(60);

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();
    private static final long HOUR = Duration.ofHours(1).toNanos();

    private final ExecutorConfig config;
    private final ExecutorMetrics metrics;
    private final Duration secondaryLimitWait;
    private final Semaphore inFlight;
    private final Map<String, Long> lastWriteNanos = new HashMap<>();
    private final Map<String, CreationSlots> creations = new HashMap<>();

    /** Per budget: no request before this instant, because the quota is used up until its reset. */
    private final Map<String, Instant> exhaustedUntil = new HashMap<>();

    /** Per budget: a request of it waits out a rate limit (secondary or primary) until then. */
    private final Map<String, Instant> waitingUntil = new HashMap<>();

    public RequestGate(ExecutorConfig config, ExecutorMetrics metrics) {
        this(config, metrics, SECONDARY_LIMIT_DEFAULT_WAIT);
    }

    /**
     * @param secondaryLimitWait the first wait after a secondary limit that names no delay (GitHub:
     *     at least a minute; shorter only in tests)
     */
    RequestGate(ExecutorConfig config, ExecutorMetrics metrics, Duration secondaryLimitWait) {
        this.config = config;
        this.metrics = metrics;
        this.secondaryLimitWait = secondaryLimitWait;
        this.inFlight = new Semaphore(config.maxConcurrentRequests(), true);
    }

    /** What kind of request this is, for pacing. */
    public enum Kind {
        READ,
        WRITE,
        /** A write that creates content (a comment): also counted against the per-minute cap. */
        CREATION
    }

    /**
     * Runs {@code call}, paced and retried.
     *
     * @param installation whose write budget the request uses (installation id, or "token")
     * @param ref the target, {@code owner/repo#12}, for messages
     */
    public <T> T send(String installation, Kind kind, String ref, Supplier<T> call) {
        return send(installation, kind, ref, call, null);
    }

    /**
     * Runs a write that must not reach GitHub twice, paced and retried. A 5xx or a missing answer
     * does not say whether GitHub applied the write (a proxy may fail after GitHub did): before
     * sending it again, {@code tookEffect} looks on GitHub, and when it finds the effect, its
     * answer is returned as the call's and nothing is sent again.
     *
     * @param tookEffect what {@code call} would have returned, if its effect is on GitHub; null for
     *     a write that is harmless to repeat
     */
    public <T> T send(
            String installation,
            Kind kind,
            String ref,
            Supplier<T> call,
            Supplier<Optional<T>> tookEffect) {
        return send(installation, kind, ref, call, tookEffect, false);
    }

    /**
     * {@link #send(String, Kind, String, Supplier, Supplier)}, or, with {@code deferRateLimits},
     * without waiting out a rate limit in this thread: a quota known to be used up, or a rate limit
     * GitHub answers with, throws {@link RateLimitedException} naming when to try again (the
     * installation counts as limited until then, {@link #limitedUntil}). A wait longer than {@code
     * maxRateLimitWait} fails as it does without.
     */
    public <T> T send(
            String installation,
            Kind kind,
            String ref,
            Supplier<T> call,
            Supplier<Optional<T>> tookEffect,
            boolean deferRateLimits) {
        int unnamedWaits = 0;
        for (int attempt = 1; ; attempt++) {
            if (deferRateLimits) {
                deferQuota(installation, ref);
            }
            awaitQuota(installation, ref);
            if (deferRateLimits) {
                paceOrDefer(installation, kind, ref);
            } else {
                pace(installation, kind);
            }
            GitHubException failure;
            try {
                acquire(ref);
                try {
                    return call.get();
                } finally {
                    inFlight.release();
                }
            } catch (GitHubException e) {
                failure = e;
            }
            if (failure.isFinal()) {
                throw failure;
            }
            boolean lastAttempt = attempt >= config.maxAttempts();
            boolean check = tookEffect != null && failure.mayHaveBeenApplied();
            if (lastAttempt && !check) {
                throw failure;
            }
            if (failure.isRateLimited() && namesNoWait(failure)) {
                unnamedWaits++;
            }
            Duration wait = waitBefore(attempt, failure, unnamedWaits);
            if (wait.compareTo(config.maxRateLimitWait()) > 0) {
                throw new GitHubException(
                        failure.getMessage()
                                + "; rate limited for "
                                + wait.toSeconds()
                                + " s, longer than the configured maximum wait",
                        failure.status(),
                        failure.response().orElse(null),
                        failure);
            }
            if (failure.isRateLimited() && deferRateLimits && !check) {
                Instant until = Instant.now().plus(wait);
                waitingOut(installation, until);
                metrics.retried("rate_limit");
                throw new RateLimitedException(
                        "GitHub rate limited the request for " + ref + " until " + until, until);
            }
            LOG.info(
                    "GitHub request for {} failed ({}), attempt {} of {}, {} in {} ms",
                    ref,
                    failure.getMessage(),
                    attempt,
                    config.maxAttempts(),
                    check ? "checking whether it took effect" : "retrying",
                    wait.toMillis());
            if (failure.isRateLimited()) {
                waitingOut(installation, Instant.now().plus(wait));
                metrics.rateLimitWait(1);
                try {
                    sleep(wait, ref);
                } finally {
                    metrics.rateLimitWait(-1);
                }
            } else {
                sleep(wait, ref);
            }
            if (check) {
                Optional<T> effect = effectOf(tookEffect, failure, ref);
                if (effect.isPresent()) {
                    metrics.retried("found_applied");
                    LOG.info(
                            "GitHub applied the request for {} although its answer was lost;"
                                    + " not sending it again",
                            ref);
                    return effect.get();
                }
                if (lastAttempt) {
                    throw failure;
                }
            }
            metrics.retried(
                    failure.isRateLimited()
                            ? "rate_limit"
                            : failure.status() == 0 ? "network" : "server_error");
        }
    }

    /** Looks for a write's effect; when even that fails, the write is not risked again. */
    private static <T> Optional<T> effectOf(
            Supplier<Optional<T>> tookEffect, GitHubException failure, String ref) {
        try {
            return tookEffect.get();
        } catch (GitHubException e) {
            throw new GitHubException(
                    failure.getMessage()
                            + "; it may have been applied, and looking for its effect on "
                            + ref
                            + " failed too ("
                            + e.getMessage()
                            + "), so it is not sent again",
                    failure.status(),
                    failure.response().orElse(null),
                    failure);
        }
    }

    /**
     * How long to wait before trying again.
     *
     * @param unnamedWaits how many rate limits that named no wait this request has met so far (this
     *     one included): GitHub asks for at least a minute, doubling on each repeat
     */
    Duration waitBefore(int attempt, GitHubException failure, int unnamedWaits) {
        if (!failure.isRateLimited()) {
            return backoff(attempt);
        }
        RateLimit rateLimit = failure.response().map(GitHubResponse::rateLimit).orElse(null);
        Integer retryAfter = rateLimit == null ? null : rateLimit.retryAfterSeconds();
        if (retryAfter != null) {
            return Duration.ofSeconds(Math.max(0, retryAfter));
        }
        Long reset = rateLimit == null ? null : rateLimit.resetEpochSeconds();
        if (failure.response().map(GitHubResponse::primaryLimitExhausted).orElse(false)
                && reset != null) {
            long millis = Instant.ofEpochSecond(reset).toEpochMilli() - System.currentTimeMillis();
            // GitHub's clock and ours differ a little: wait a second past the reset
            return Duration.ofMillis(Math.max(0, millis) + 1000);
        }
        return secondaryLimitWait.multipliedBy(1L << Math.min(Math.max(0, unnamedWaits - 1), 16));
    }

    /** A rate limit that says neither how long to wait nor when the quota resets. */
    private static boolean namesNoWait(GitHubException failure) {
        RateLimit rateLimit = failure.response().map(GitHubResponse::rateLimit).orElse(null);
        if (rateLimit == null) {
            return true;
        }
        boolean exhausted =
                failure.response().map(GitHubResponse::primaryLimitExhausted).orElse(false);
        return rateLimit.retryAfterSeconds() == null
                && !(exhausted && rateLimit.resetEpochSeconds() != null);
    }

    /** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
    private Duration backoff(int attempt) {
        long base = config.backoffBase().toMillis() << Math.min(attempt - 1, 16);
        long half = Math.max(1, base / 2);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /**
     * Notes the rate-limit headers of an answer: when they say the quota is used up, requests of
     * that budget wait for the reset instead of being sent only to be refused.
     */
    public void observed(String installation, RateLimit rateLimit) {
        if (rateLimit == null
                || rateLimit.remaining() == null
                || rateLimit.remaining() > 0
                || rateLimit.resetEpochSeconds() == null) {
            return;
        }
        synchronized (this) {
            exhaustedUntil.put(installation, Instant.ofEpochSecond(rateLimit.resetEpochSeconds()));
        }
    }

    private synchronized void waitingOut(String installation, Instant until) {
        waitingUntil.merge(installation, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /**
     * Until when {@code installation} is known to be rate limited (its quota used up, or a request
     * of it waiting out a limit), when that lies in the future and within the longest wait allowed
     * (a longer one fails the request, as before). A secondary limit applies to the installation as
     * a whole, and GitHub asks not to send more until it is over.
     */
    public synchronized Optional<Instant> limitedUntil(String installation) {
        Instant now = Instant.now();
        Instant exhausted = exhaustedUntil.get(installation);
        // the quota's entry is cleared by the request that finds it passed (awaitQuota)
        Instant until = exhausted == null ? null : exhausted.plusSeconds(1);
        Instant waiting = waitingUntil.get(installation);
        if (waiting != null && !waiting.isAfter(now)) {
            waitingUntil.remove(installation, waiting);
        } else if (waiting != null && (until == null || waiting.isAfter(until))) {
            until = waiting;
        }
        if (until != null && !until.isAfter(now)) {
            return Optional.empty();
        }
        if (until == null
                || Duration.between(now, until).compareTo(config.maxRateLimitWait()) > 0) {
            return Optional.empty();
        }
        return Optional.of(until);
    }

    /**
     * Throws {@link RateLimitedException} when the quota is known to be used up and its reset is
     * within the longest wait allowed; {@link #awaitQuota} deals with the rest.
     */
    private void deferQuota(String installation, String ref) {
        Instant until;
        synchronized (this) {
            until = exhaustedUntil.get(installation);
        }
        if (until == null) {
            return;
        }
        Instant resumeAt = until.plusSeconds(1);
        Duration wait = Duration.between(Instant.now(), resumeAt);
        if (wait.isNegative() || wait.isZero() || wait.compareTo(config.maxRateLimitWait()) > 0) {
            return;
        }
        metrics.retried("quota_exhausted");
        throw new RateLimitedException(
                "GitHub quota used up until " + until + "; not calling GitHub for " + ref,
                resumeAt);
    }

    /** Waits out a quota known to be used up, or fails when that takes too long. */
    private void awaitQuota(String installation, String ref) {
        Instant until;
        synchronized (this) {
            until = exhaustedUntil.get(installation);
        }
        if (until == null) {
            return;
        }
        Duration wait = Duration.between(Instant.now(), until.plusSeconds(1));
        if (wait.isNegative() || wait.isZero()) {
            synchronized (this) {
                exhaustedUntil.remove(installation, until);
            }
            return;
        }
        if (wait.compareTo(config.maxRateLimitWait()) > 0) {
            throw new GitHubException(
                    "GitHub quota used up until "
                            + until
                            + "; not calling GitHub for "
                            + ref
                            + " before then, longer than the configured maximum wait",
                    429,
                    null,
                    null);
        }
        metrics.retried("quota_exhausted");
        sleep(wait, ref);
    }

    private void pace(String installation, Kind kind) {
        if (kind == Kind.READ) {
            return;
        }
        long now = System.nanoTime();
        long waitNanos = reserve(installation, kind, now) - now;
        if (waitNanos > 0) {
            sleep(Duration.ofNanos(waitNanos), installation);
        }
    }

    /**
     * Takes the slot of a write now if its installation may write now; otherwise throws {@link
     * RateLimitedException} naming the earliest slot, without taking it (nothing is held for the
     * caller: whoever comes first when a slot is due takes it, so that spacing counts between
     * writes as sent, and a caller that does not come back leaves no gap).
     */
    private void paceOrDefer(String installation, Kind kind, String ref) {
        if (kind == Kind.READ) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            long earliest = earliest(installation, kind, now);
            if (earliest <= now) {
                take(installation, kind, now);
                return;
            }
            waitNanos = earliest - now;
        }
        Instant until = Instant.now().plusNanos(waitNanos);
        throw new RateLimitedException(
                "the next write slot of installation "
                        + installation
                        + " for "
                        + ref
                        + " is at "
                        + until,
                until,
                true);
    }

    /**
     * Reserves the earliest slot, at or after {@code nowNanos}, at which a write of {@code
     * installation} may be sent, and returns it. Slots are reserved at once, so that concurrent
     * callers queue behind each other.
     */
    synchronized long reserve(String installation, Kind kind, long nowNanos) {
        long next = earliest(installation, kind, nowNanos);
        take(installation, kind, next);
        return next;
    }

    /** The earliest slot, at or after {@code nowNanos}, for a write of {@code installation}. */
    private long earliest(String installation, Kind kind, long nowNanos) {
        long next = nowNanos;
        Long last = lastWriteNanos.get(installation);
        if (last != null) {
            next = Math.max(next, last + config.writeSpacing().toNanos());
        }
        if (kind == Kind.CREATION) {
            CreationSlots slots = creations.get(installation);
            if (slots != null) {
                next =
                        Math.max(
                                next,
                                slots.earliestWithin(config.contentCreationsPerMinute(), MINUTE));
                next = Math.max(next, slots.earliestWithin(config.contentCreationsPerHour(), HOUR));
            }
        }
        return next;
    }

    /** Takes {@code slot} for a write of {@code installation}. */
    private void take(String installation, Kind kind, long slot) {
        if (kind == Kind.CREATION) {
            creations.computeIfAbsent(installation, k -> new CreationSlots(slotsKept())).add(slot);
        }
        lastWriteNanos.put(installation, slot);
    }

    /** Enough of the latest slots to check every cap that is on. */
    private int slotsKept() {
        int kept = 1;
        for (int cap :
                new int[] {config.contentCreationsPerMinute(), config.contentCreationsPerHour()}) {
            if (cap < Integer.MAX_VALUE) {
                kept = Math.max(kept, cap);
            }
        }
        return kept;
    }

    /**
     * The slots of one installation's latest content creations, in the order reserved (which is the
     * order of time, as every reservation is at or after the one before).
     */
    private static final class CreationSlots {
        private final long[] ring;
        private int size;
        private int next;

        CreationSlots(int kept) {
            this.ring = new long[kept];
        }

        /**
         * The earliest time another creation may go so that no window of {@code windowNanos} holds
         * more than {@code cap}: the window after the {@code cap}-th latest slot.
         */
        long earliestWithin(int cap, long windowNanos) {
            if (cap == Integer.MAX_VALUE || size < cap) {
                return Long.MIN_VALUE;
            }
            return ring[Math.floorMod(next - cap, ring.length)] + windowNanos;
        }

        void add(long slot) {
            ring[next] = slot;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }
    }

    private void acquire(String ref) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException("interrupted before calling GitHub for " + ref, 0, null, e);
        }
    }

    private static void sleep(Duration wait, String ref) {
        try {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException(
                    "interrupted while waiting to call GitHub for " + ref, 0, null, e);
        }
    }
}
