package io.repostream.bridge.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivery ids already durably in Kafka (remembered for a window, bounded in number), plus the ones
 * being written right now. A redelivery that arrives while the first copy is still being written
 * waits for that write: it must not be answered 2xx before the event is in Kafka.
 */
public final class SeenDeliveries {
    private final Duration window;
    private final int capacity;
    private final Clock clock;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<Boolean>> writing = new ConcurrentHashMap<>();

    public SeenDeliveries(Duration window, int capacity, Clock clock) {
        this.window = window;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** What the caller should do with a delivery id. */
    public sealed interface Claim permits Seen, Pending, First {}

    /** Already in Kafka: answer as a duplicate. */
    public record Seen() implements Claim {}

    /** Another request is writing it: its result (true = written) decides the answer. */
    public record Pending(CompletableFuture<Boolean> written) implements Claim {}

    /** The caller writes it and must report with {@link #finished}. */
    public record First() implements Claim {}

    public Claim claim(String id) {
        if (contains(id)) {
            return new Seen();
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> other = writing.putIfAbsent(id, mine);
        if (other != null) {
            return new Pending(other);
        }
        // It may have landed between the check and the claim.
        if (contains(id)) {
            writing.remove(id, mine);
            mine.complete(true);
            return new Seen();
        }
        return new First();
    }

    /** Ends a {@link First} claim; {@code written} = Kafka acknowledged the event. */
    public void finished(String id, boolean written) {
        if (written) {
            add(id, clock.millis());
        }
        CompletableFuture<Boolean> mine = writing.remove(id);
        if (mine != null) {
            mine.complete(written);
        }
    }

    /**
     * Records an id found in Kafka (e.g. written before a restart, or by another replica). An id
     * already known at least as recently is left as it is: the tail reads back every write this
     * bridge has just recorded.
     */
    public synchronized void add(String id, long timestampMillis) {
        Long known = seen.get(id);
        if (known != null && known >= timestampMillis) {
            return;
        }
        seen.remove(id);
        seen.put(id, timestampMillis);
        prune();
    }

    public synchronized boolean contains(String id) {
        Long at = seen.get(id);
        return at != null && at >= clock.millis() - window.toMillis();
    }

    public synchronized int size() {
        return seen.size();
    }

    private void prune() {
        long oldest = clock.millis() - window.toMillis();
        Iterator<Long> times = seen.values().iterator();
        while (times.hasNext()) {
            long at = times.next();
            if (seen.size() <= capacity && at >= oldest) {
                return;
            }
            times.remove();
        }
    }
}
