package io.repostream.flink.metrics;

import io.repostream.schemas.RepoMetrics;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The analytics windows on {@code github.metrics.v1}: tumbling event-time windows in which a sample
 * is placed by its record timestamp or, when it has none, by its own time ({@link
 * RepoMetrics#windowStart()}).
 *
 * <p>Not every sample has a record timestamp: an action emitted from a processing-time timer (an
 * SLA deadline settled on the wall clock) has none, and neither have the governors' signals about
 * it. Flink's own event-time windows fail the job on such a record. A sample whose own time is
 * already behind the watermark is late like any other, and Flink counts it in the window operator's
 * {@code numLateRecordsDropped}.
 */
public final class MetricWindows extends WindowAssigner<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final TumblingEventTimeWindows tumbling;

    private MetricWindows(Duration size) {
        this.tumbling = TumblingEventTimeWindows.of(size);
    }

    public static MetricWindows of(Duration size) {
        return new MetricWindows(size);
    }

    @Override
    public Collection<TimeWindow> assignWindows(
            Object element, long timestamp, WindowAssignerContext context) {
        long at = timestamp;
        if (at == Long.MIN_VALUE && element instanceof RepoMetrics m) {
            at = m.windowStart().toEpochMilli();
        }
        return tumbling.assignWindows(element, at, context);
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return tumbling.getDefaultTrigger();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return tumbling.getWindowSerializer(executionConfig);
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "MetricWindows(" + tumbling + ")";
    }
}
