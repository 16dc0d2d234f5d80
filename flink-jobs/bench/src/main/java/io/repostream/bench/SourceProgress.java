package io.repostream.bench;

import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * Samples the offsets the job's events source committed (it commits them with every completed
 * checkpoint) every 250 ms, so the steady rate can be told apart from start-up and the tail.
 */
final class SourceProgress implements AutoCloseable {
    private record Sample(long nanos, long cpuNanos, long committed) {}

    private final Admin admin;
    private final String group;
    private final long total;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean stopped;

    SourceProgress(EmbeddedKafkaBroker broker, String group, long total) {
        this.admin = Admin.create(broker.adminProps());
        this.group = group;
        this.total = total;
        this.sampler = new Thread(this::run, "source-progress");
        sampler.setDaemon(true);
    }

    void start() {
        sampler.start();
    }

    private void run() {
        while (!stopped) {
            long committed = committed();
            synchronized (samples) {
                samples.add(new Sample(System.nanoTime(), Bench.processCpuNanos(), committed));
                samples.notifyAll();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long committed() {
        try {
            Map<?, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS);
            return offsets.values().stream()
                    .filter(o -> o != null)
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Waits until every event is committed as read. */
    void awaitAll(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (samples) {
            while (samples.isEmpty() || samples.get(samples.size() - 1).committed() < total) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(
                            "the source did not commit all " + total + " events within " + max);
                }
                samples.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** The rate and CPU time per event between 20 % and 80 % of the events committed. */
    String steadyState() {
        Sample from = null;
        Sample to = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (from == null && s.committed() >= total / 5) {
                    from = s;
                }
                if (to == null && s.committed() >= total * 4 / 5) {
                    to = s;
                }
            }
        }
        if (from == null || to == null || to.committed() == from.committed()) {
            return "steady state: too few checkpoints between 20 % and 80 % to tell (run more events)";
        }
        long events = to.committed() - from.committed();
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        double cpuSeconds = (to.cpuNanos() - from.cpuNanos()) / 1e9;
        return String.format(
                "steady state (from %d to %d events committed, %.1f s): %.0f events/s,"
                        + " %.0f events per CPU second (%.1f µs of CPU per event)",
                from.committed(),
                to.committed(),
                seconds,
                events / seconds,
                events / cpuSeconds,
                cpuSeconds * 1e6 / events);
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
        admin.close();
    }
}
