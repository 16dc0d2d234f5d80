package io.repostream.bridge.poll;

import io.repostream.bridge.kafka.SeenDeliveries;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the gaps GitHub leaves: it never redelivers by itself, so a delivery that failed (the
 * bridge was down, Kafka answered 503, ...) is lost unless someone asks. The gap filler lists each
 * hook's recent deliveries and asks GitHub to redeliver every one whose attempts all failed and
 * whose id is not already in Kafka.
 */
public final class GapFiller {
    private static final Logger LOG = LoggerFactory.getLogger(GapFiller.class);

    private final List<String> hooks;
    private final HookDeliveries deliveries;
    private final SeenDeliveries seen;

    public GapFiller(List<String> hooks, HookDeliveries deliveries, SeenDeliveries seen) {
        hooks.forEach(HookDeliveries::hookPath); // fail at start on a malformed hook
        this.hooks = List.copyOf(hooks);
        this.deliveries = deliveries;
        this.seen = seen;
    }

    /** Redelivers the failed deliveries of every hook; returns how many were asked for. */
    public int fill() {
        int asked = 0;
        for (String hook : hooks) {
            try {
                asked += fill(hook);
            } catch (IOException e) {
                LOG.warn("gap fill of hook {} failed: {}", hook, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return asked;
            }
        }
        return asked;
    }

    private int fill(String hook) throws IOException, InterruptedException {
        List<HookDeliveries.Attempt> attempts = deliveries.recent(hook);
        Set<String> succeeded = new HashSet<>();
        for (HookDeliveries.Attempt attempt : attempts) {
            if (attempt.succeeded()) {
                succeeded.add(attempt.guid());
            }
        }
        Set<String> asked = new HashSet<>();
        // Newest first: the first failed attempt of a guid is its latest one.
        for (HookDeliveries.Attempt attempt : attempts) {
            String guid = attempt.guid();
            if (succeeded.contains(guid) || seen.contains(guid) || !asked.add(guid)) {
                continue;
            }
            deliveries.redeliver(hook, attempt.id());
            LOG.info(
                    "asked GitHub to redeliver {} ({}) of hook {}, last answered {}",
                    guid,
                    attempt.event(),
                    hook,
                    attempt.statusCode());
        }
        return asked.size();
    }
}
