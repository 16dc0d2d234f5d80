package io.repostream.bridge.poll;

import io.repostream.bridge.metrics.BridgeMetrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of one poll of one repository. Every answer is counted by status and feeds the quota
 * gauge; the most restrictive answer sets when the repository is polled next; and from GitHub's
 * first limit (403/429 for a rate limit, a used-up quota, a {@code Retry-After}) no request goes to
 * GitHub until it has passed, in this round or any other: the quota belongs to the token, and
 * GitHub warns that requests sent while limited can get an integration banned.
 */
final class PollRound {
    private static final Logger LOG = LoggerFactory.getLogger(PollRound.class);

    /** One request to GitHub. */
    @FunctionalInterface
    interface Request {
        FeedPage send() throws IOException, InterruptedException;
    }

    private final String repo;
    private final Duration interval;
    private final AtomicReference<Instant> blockedUntil;
    private final BridgeMetrics metrics;
    private final Clock clock;
    private Duration delay;
    private boolean stopped;

    /**
     * @param blockedUntil shared by every round of the poller: no request before this instant
     */
    PollRound(
            String repo,
            Duration interval,
            AtomicReference<Instant> blockedUntil,
            BridgeMetrics metrics,
            Clock clock) {
        this.repo = repo;
        this.interval = interval;
        this.blockedUntil = blockedUntil;
        this.metrics = metrics;
        this.clock = clock;
        this.delay = interval;
    }

    /**
     * Sends {@code request} unless GitHub's limit forbids it.
     *
     * @param what what is asked for, for the logs (e.g. {@code issues list})
     * @return GitHub's answer, or null when it was not asked (limited) or could not be reached
     */
    FeedPage ask(String what, Request request) {
        Instant now = clock.instant();
        Instant blocked = blockedUntil.get();
        if (now.isBefore(blocked)) {
            stopped = true;
            longer(Duration.between(now, blocked));
            return null;
        }
        FeedPage page;
        try {
            page = request.send();
        } catch (IOException e) {
            metrics.pollRequest("error");
            LOG.warn("{}", e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
            return null;
        }
        metrics.pollRequest(String.valueOf(page.status()));
        if (page.rateRemaining() != null) {
            metrics.quotaRemaining(page.rateRemaining());
        }
        Instant answered = clock.instant();
        longer(page.nextDelay(interval, answered));
        Instant until = page.blockedUntil(answered);
        if (until != null) {
            stopped = true;
            blockedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
            LOG.warn(
                    "polling {}: GitHub answered the {} {}{}{}; no request to GitHub before {}",
                    repo,
                    what,
                    page.status(),
                    page.quotaUsedUp() ? " with the quota used up" : "",
                    page.message() == null ? "" : " (" + page.message() + ")",
                    until);
        }
        return page;
    }

    /** Whether a limit stopped this round: what it did not ask waits for the next one. */
    boolean stopped() {
        return stopped;
    }

    /** When to poll the repository again: the most restrictive of every answer. */
    Duration delay() {
        return delay;
    }

    private void longer(Duration wait) {
        if (wait.compareTo(delay) > 0) {
            delay = wait;
        }
    }
}
