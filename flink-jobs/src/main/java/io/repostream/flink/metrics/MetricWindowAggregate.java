package io.repostream.flink.metrics;

import io.repostream.schemas.RepoMetrics;
import java.time.Instant;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Adds up one series' signals within a window: sum, maximum or mean by metric. */
public final class MetricWindowAggregate
        implements AggregateFunction<
                RepoMetrics, MetricWindowAggregate.Acc, MetricWindowAggregate.Acc> {
    private static final long serialVersionUID = 1L;

    /**
     * @param sample any sample of the series (repo, metric, labels)
     * @param sum sum of values
     * @param max largest value
     * @param count number of samples
     * @param last the sample that arrived last: a gauge's samples of one series come from one
     *     subtask in order, so that is its current level (event time would not be: sources
     *     interleave)
     */
    public record Acc(RepoMetrics sample, double sum, double max, long count, RepoMetrics last) {}

    @Override
    public Acc createAccumulator() {
        return new Acc(null, 0, Double.NEGATIVE_INFINITY, 0, null);
    }

    @Override
    public Acc add(RepoMetrics value, Acc acc) {
        return new Acc(
                acc.sample() == null ? value : acc.sample(),
                acc.sum() + value.value(),
                Math.max(acc.max(), value.value()),
                acc.count() + 1,
                value);
    }

    @Override
    public Acc getResult(Acc acc) {
        return acc;
    }

    @Override
    public Acc merge(Acc a, Acc b) {
        return new Acc(
                a.sample() != null ? a.sample() : b.sample(),
                a.sum() + b.sum(),
                Math.max(a.max(), b.max()),
                a.count() + b.count(),
                b.last() != null ? b.last() : a.last());
    }

    /** Turns a window's accumulator into the metric record, with the window's bounds. */
    public static final class ToMetric
            extends ProcessWindowFunction<Acc, RepoMetrics, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                String key, Context ctx, Iterable<Acc> accs, Collector<RepoMetrics> out) {
            for (Acc acc : accs) {
                if (acc.count() == 0) {
                    continue;
                }
                RepoMetrics s = acc.sample();
                double value =
                        switch (MetricSignals.aggregationOf(s.metric())) {
                            case SUM -> acc.sum();
                            case MAX -> acc.max();
                            case MEAN -> acc.sum() / acc.count();
                            case LAST -> acc.last().value();
                        };
                out.collect(
                        new RepoMetrics(
                                s.repo(),
                                s.metric(),
                                s.labels(),
                                value,
                                Instant.ofEpochMilli(ctx.window().getStart()),
                                Instant.ofEpochMilli(ctx.window().getEnd())));
            }
        }
    }
}
