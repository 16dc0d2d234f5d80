package io.repostream.flink.governors;

import io.repostream.flink.governors.InstallationGovernorState.Queued;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The installation governor's queue, as Flink metrics of its subtask, with no installation or
 * repository label (Prometheus must not grow with them): {@code writeQueueDepth} (actions queued
 * over all installations of the subtask), {@code writeQueueMaxDepth} (the longest queue of one
 * installation), {@code writeQueueOldestWaitSeconds} (how long the queue's longest-waiting action
 * has been ready to go: past its arrival or its own {@code not_before}), and the histogram {@code
 * writeSlotWaitMillis} (from ready to the slot it was given). Kept from the installations this
 * subtask touched since it started: after a restore an installation shows once its queue is next
 * released (at the latest at its next wake-up).
 */
final class WriteQueueMetrics {
    private record Queue(int depth, long oldestReadyMs) {}

    private final Map<String, Queue> queues = new HashMap<>();
    private final Histogram slotWait;

    WriteQueueMetrics(MetricGroup group) {
        group.gauge("writeQueueDepth", (Gauge<Long>) this::depth);
        group.gauge("writeQueueMaxDepth", (Gauge<Integer>) this::maxDepth);
        group.gauge(
                "writeQueueOldestWaitSeconds",
                (Gauge<Long>) () -> oldestWaitMs(System.currentTimeMillis()) / 1000);
        slotWait =
                group.histogram("writeSlotWaitMillis", new DescriptiveStatisticsHistogram(1_000));
    }

    /** What is left queued for {@code installation} after a release at {@code now}. */
    synchronized void update(String installation, List<Queued> queue, long now) {
        if (queue.isEmpty()) {
            queues.remove(installation);
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (Queued q : queue) {
            oldest = Math.min(oldest, q.readyAtMs());
        }
        queues.put(installation, new Queue(queue.size(), oldest));
    }

    /** An action given a slot {@code ms} after it was ready. */
    void waited(long ms) {
        slotWait.update(ms);
    }

    synchronized long depth() {
        long n = 0;
        for (Queue q : queues.values()) {
            n += q.depth();
        }
        return n;
    }

    synchronized int maxDepth() {
        int max = 0;
        for (Queue q : queues.values()) {
            max = Math.max(max, q.depth());
        }
        return max;
    }

    /** How long the longest-waiting ready action has waited at {@code now}; 0 when none. */
    synchronized long oldestWaitMs(long now) {
        long oldest = 0;
        for (Queue q : queues.values()) {
            oldest = Math.max(oldest, now - q.oldestReadyMs());
        }
        return oldest;
    }

    Histogram slotWait() {
        return slotWait;
    }
}
