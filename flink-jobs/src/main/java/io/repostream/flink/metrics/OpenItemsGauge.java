package io.repostream.flink.metrics;

import io.repostream.schemas.RepoMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the SLA monitor's +1/−1 changes into the number of open items per repository and priority
 * ({@code open_items}), keyed by that series. Counts the items the job has seen open; items opened
 * before the job first started are not known to it.
 */
public final class OpenItemsGauge extends KeyedProcessFunction<String, RepoMetrics, RepoMetrics> {
    private static final long serialVersionUID = 1L;

    public static final String DELTA_METRIC = "open_items_delta";
    public static final String METRIC = "open_items";

    private transient ValueState<Long> open;

    @Override
    public void open(OpenContext openContext) {
        open = getRuntimeContext().getState(new ValueStateDescriptor<>("open-items", Types.LONG));
    }

    @Override
    public void processElement(RepoMetrics delta, Context ctx, Collector<RepoMetrics> out)
            throws Exception {
        long current = open.value() == null ? 0 : open.value();
        long next = Math.max(0, current + (long) delta.value());
        if (next == 0) {
            open.clear(); // a repo and priority with nothing open keeps no state
        } else {
            open.update(next);
        }
        out.collect(
                new RepoMetrics(
                        delta.repo(),
                        METRIC,
                        delta.labels(),
                        next,
                        delta.windowStart(),
                        delta.windowEnd()));
    }
}
