package io.repostream.executor.reads;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The read actions taken from Kafka and not done yet, by partition and offset: what {@code
 * repostream_executor_read_backlog} counts. A partition that moves to another executor takes its
 * reads with it ({@link #forget}). Thread-safe.
 */
public final class ReadBacklog {
    private record Position(TopicPartition partition, long offset) {}

    private final Map<Position, Instant> waiting = new ConcurrentHashMap<>();
    private final Clock clock;

    public ReadBacklog(Clock clock) {
        this.clock = clock;
    }

    public void taken(TopicPartition partition, long offset) {
        waiting.putIfAbsent(new Position(partition, offset), clock.instant());
    }

    public void done(TopicPartition partition, long offset) {
        waiting.remove(new Position(partition, offset));
    }

    /** The partition went to another executor, or is read again from its committed offset. */
    public void forget(TopicPartition partition) {
        waiting.keySet().removeIf(p -> p.partition().equals(partition));
    }

    public int size() {
        return waiting.size();
    }

    /** How long the oldest read waiting has waited; zero when none waits. */
    public Duration oldest() {
        Instant now = clock.instant();
        return waiting.values().stream()
                .min(Instant::compareTo)
                .map(at -> Duration.between(at, now))
                .orElse(Duration.ZERO);
    }
}
