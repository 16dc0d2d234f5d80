package io.repostream.flink.metrics;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Metric signals are {@link RepoMetrics} samples of one instant (a breach, a proposed action, an
 * event) that the analytics windows add up per repository, metric and labels.
 */
public final class MetricSignals {
    /** Events per repository and {@code type.action}, summed. */
    public static final String EVENTS = "events";

    private MetricSignals() {}

    /** How a metric's samples combine within a window. */
    public enum Aggregation {
        SUM,
        MAX,
        MEAN,
        /** The latest sample by time: levels such as {@code open_items}. */
        LAST
    }

    public static Aggregation aggregationOf(String metric) {
        if (metric.endsWith("_ratio")) {
            return Aggregation.MEAN;
        }
        if (metric.equals(OpenItemsGauge.METRIC)) {
            return Aggregation.LAST;
        }
        if (metric.equals("action_budget_used")) {
            return Aggregation.MAX;
        }
        return Aggregation.SUM;
    }

    /** One {@code events} sample per GitHub event, labelled with its type and action. */
    public static final class EventCount implements MapFunction<GitHubEvent, RepoMetrics> {
        private static final long serialVersionUID = 1L;

        @Override
        public RepoMetrics map(GitHubEvent event) {
            return sample(event);
        }

        /** The sample of one event. */
        public static RepoMetrics sample(GitHubEvent event) {
            return new RepoMetrics(
                    event.key(),
                    EVENTS,
                    Map.of("type", event.qualifiedType()),
                    1,
                    event.occurredAt(),
                    event.occurredAt());
        }
    }

    /** Repository, metric and labels (sorted), so one window aggregates one series. */
    public static final class SeriesKey implements KeySelector<RepoMetrics, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(RepoMetrics m) {
            return m.repo() + "|" + m.metric() + "|" + new TreeMap<>(m.labels());
        }
    }
}
