package io.repostream.flink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * A metric group that keeps its counters, named as the reporters would label them: {@code
 * deadLetteredRecords{reason=invalid_utf8}}, or just the name without key-value groups.
 */
public final class CountingMetricGroup extends UnregisteredMetricsGroup {
    private final Map<String, Counter> counters;
    private final String labels;

    public CountingMetricGroup() {
        this(new ConcurrentHashMap<>(), "");
    }

    private CountingMetricGroup(Map<String, Counter> counters, String labels) {
        this.counters = counters;
        this.labels = labels;
    }

    @Override
    public Counter counter(String name) {
        return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        counters.put(labels.isEmpty() ? name : name + "{" + labels + "}", counter);
        return counter;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
        return new CountingMetricGroup(
                counters, (labels.isEmpty() ? "" : labels + ",") + key + "=" + value);
    }

    /** The count of {@code name} (with its labels, as in the class comment); 0 if never made. */
    public long count(String name) {
        Counter c = counters.get(name);
        return c == null ? 0 : c.getCount();
    }
}
