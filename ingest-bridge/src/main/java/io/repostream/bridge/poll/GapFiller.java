package io.repostream.bridge.poll;

import io.repostream.bridge.kafka.SeenDeliveries;
import io.repostream.bridge.metrics.BridgeMetrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the gaps GitHub leaves: it never redelivers by itself, so a delivery that failed (the
 * bridge was down, Kafka answered 503, ...) is lost unless someone asks. The gap filler lists each
 * hook's deliveries (all pages GitHub keeps, three days) and asks GitHub to redeliver every one
 * whose attempts all failed and whose id is not already in Kafka.
 *
 * <p>Only what the dedupe window can still recognise is redelivered: a delivery that Kafka stored
 * but whose answer GitHub never saw (a 503 past {@code kafka.timeout}, a lost connection) is listed
 * as failed; redelivered after its id left the window, it would be written twice. So a delivery
 * whose first attempt is older than the window (less a margin for the redelivery's own trip) is
 * left alone, counted ({@code too_old}) and logged, to be checked by hand.
 */
public final class GapFiller {
    private static final Logger LOG = LoggerFactory.getLogger(GapFiller.class);

    /** Time for a redelivery to arrive, and for the ids of the window to be read back. */
    static final Duration MARGIN = Duration.ofMinutes(10);

    private final List<String> hooks;
    private final HookDeliveries deliveries;
    private final SeenDeliveries seen;
    private final Duration window;
    private final BridgeMetrics metrics;
    private final Clock clock;

    /** What one gap fill did. */
    public record Summary(int redelivered, int inKafka, int tooOld, int failedHooks) {}

    /**
     * @param window the dedupe window; zero (deduplication off) redelivers nothing, since nothing
     *     can tell a stored delivery from a lost one
     */
    public GapFiller(
            List<String> hooks,
            HookDeliveries deliveries,
            SeenDeliveries seen,
            Duration window,
            BridgeMetrics metrics,
            Clock clock) {
        hooks.forEach(HookDeliveries::hookPath); // fail at start on a malformed hook
        this.hooks = List.copyOf(hooks);
        this.deliveries = deliveries;
        this.seen = seen;
        this.window = window;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Redelivers the failed deliveries of every hook. */
    public Summary fill() {
        Summary total = new Summary(0, 0, 0, 0);
        for (String hook : hooks) {
            try {
                Summary one = fill(hook);
                total =
                        new Summary(
                                total.redelivered() + one.redelivered(),
                                total.inKafka() + one.inKafka(),
                                total.tooOld() + one.tooOld(),
                                total.failedHooks());
            } catch (IOException e) {
                LOG.warn("gap fill of hook {} failed: {}", hook, e.getMessage());
                total =
                        new Summary(
                                total.redelivered(),
                                total.inKafka(),
                                total.tooOld(),
                                total.failedHooks() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return total;
            }
        }
        return total;
    }

    /** Every attempt of one delivery (one guid). */
    private static final class Delivery {
        HookDeliveries.Attempt latest;
        Instant first;
        boolean succeeded;
    }

    private Summary fill(String hook) throws IOException, InterruptedException {
        HookDeliveries.Listing listing = deliveries.recent(hook);
        if (!listing.complete()) {
            LOG.warn(
                    "gap fill of hook {}: more deliveries than {} pages; older ones were not read",
                    hook,
                    HookDeliveries.MAX_PAGES);
        }
        // newest first: the first attempt seen of a guid is its latest
        Map<String, Delivery> byGuid = new LinkedHashMap<>();
        for (HookDeliveries.Attempt attempt : listing.attempts()) {
            Delivery d = byGuid.computeIfAbsent(attempt.guid(), g -> new Delivery());
            if (d.latest == null) {
                d.latest = attempt;
            }
            d.first =
                    d.first == null || attempt.deliveredAt().isBefore(d.first)
                            ? attempt.deliveredAt()
                            : d.first;
            d.succeeded |= attempt.succeeded();
        }
        Instant recognisable = clock.instant().minus(window).plus(MARGIN);
        int redelivered = 0;
        int inKafka = 0;
        int tooOld = 0;
        for (Map.Entry<String, Delivery> entry : byGuid.entrySet()) {
            String guid = entry.getKey();
            Delivery d = entry.getValue();
            if (d.succeeded) {
                continue;
            }
            if (window.isZero() || d.first.isBefore(recognisable)) {
                tooOld++;
                metrics.gapFill("too_old");
                LOG.warn(
                        "gap fill of hook {}: not redelivering {} ({}, first attempted {}): older"
                                + " than the dedupe window ({}), it may be in Kafka already and"
                                + " would be written twice; check it by hand",
                        hook,
                        guid,
                        d.latest.event(),
                        d.first,
                        window);
                continue;
            }
            if (seen.contains(guid)) {
                inKafka++;
                metrics.gapFill("in_kafka");
                continue;
            }
            try {
                deliveries.redeliver(hook, d.latest.id());
            } catch (IOException e) {
                metrics.gapFill("redelivery_failed");
                LOG.warn("gap fill of hook {}: {}", hook, e.getMessage());
                continue;
            }
            redelivered++;
            metrics.gapFill("redelivered");
            LOG.info(
                    "asked GitHub to redeliver {} ({}) of hook {}, last answered {}",
                    guid,
                    d.latest.event(),
                    hook,
                    d.latest.statusCode());
        }
        return new Summary(redelivered, inKafka, tooOld, 0);
    }
}
