package io.repostream.schemas;

import java.time.Instant;
import java.util.Map;

/**
 * One windowed metric sample for dashboards, on {@code github.metrics.v1}, keyed by repo.
 *
 * @param repo lowercase {@code owner/repo}, or {@code installation:<id>} for budget records
 * @param metric e.g. {@code events_total}, {@code sla_compliance_ratio}
 * @param labels dimensions (event type, priority, failure class, ...)
 * @param value the sample
 * @param windowStart inclusive, event time
 * @param windowEnd exclusive, event time
 */
public record RepoMetrics(
        String repo,
        String metric,
        Map<String, String> labels,
        double value,
        Instant windowStart,
        Instant windowEnd) {

    public RepoMetrics {
        Require.text(repo, "repo");
        Require.text(metric, "metric");
        labels = Require.map(labels);
        Require.present(windowStart, "window_start");
        Require.present(windowEnd, "window_end");
        if (windowEnd.isBefore(windowStart)) {
            throw new IllegalArgumentException(
                    "window_end " + windowEnd + " is before window_start " + windowStart);
        }
    }
}
