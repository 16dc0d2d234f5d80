package io.repostream.executor.reads;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.repostream.schemas.ActionType;

/**
 * What the executor's reads for the rules do: done (GitHub answered), served from the cache (a
 * 304), failed or skipped; and the backlog of reads taken from Kafka and not yet done.
 */
public final class ReadMetrics {
    /** How a read ended, for {@code repostream_executor_reads_total}. */
    public enum Result {
        DONE("done"),
        CACHED("cached"),
        FAILED("failed"),
        SKIPPED("skipped");

        final String label;

        Result(String label) {
            this.label = label;
        }
    }

    private final Counter reads;

    public ReadMetrics(PrometheusRegistry registry, ReadBacklog backlog) {
        this.reads =
                Counter.builder()
                        .name("repostream_executor_reads_total")
                        .help(
                                "Reads done for the rules, by read type and result (done, cached:"
                                        + " GitHub answered 304 and the cached answer was reused,"
                                        + " failed, skipped)")
                        .labelNames("read_type", "result")
                        .register(registry);
        for (ActionType type : ActionType.values()) {
            if (type.read()) {
                for (Result r : Result.values()) {
                    reads.labelValues(type.wireName(), r.label);
                }
            }
        }
        GaugeWithCallback.builder()
                .name("repostream_executor_read_backlog")
                .help("Read actions taken from Kafka and not done yet")
                .callback(cb -> cb.call(backlog.size()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("repostream_executor_read_backlog_oldest_seconds")
                .help("How long the oldest read not done yet has waited since it was taken")
                .callback(cb -> cb.call(backlog.oldest().toMillis() / 1000.0))
                .register(registry);
    }

    public void read(ActionType type, Result result) {
        reads.labelValues(type.wireName(), result.label).inc();
    }

    public double count(ActionType type, Result result) {
        return reads.labelValues(type.wireName(), result.label).get();
    }
}
