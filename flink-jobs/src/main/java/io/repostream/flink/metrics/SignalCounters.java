package io.repostream.flink.metrics;

import io.repostream.flink.rules.ci.FailureClass;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.RepoMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts the rules' signals as Flink metrics, so Prometheus (through Flink's reporter) sees SLA
 * breaches, CI outcomes, flaky runs and governed actions as they happen, next to the per-repo
 * windows on {@code github.metrics.v1}. Records pass through unchanged.
 *
 * <p>Counters are job-wide series without a repository label (a platform team's Prometheus should
 * not grow with its repository count; per-repo figures are on the metrics topic). Each counter has
 * one fixed label (kind, met, outcome, failure_class or action_type) and every series is registered
 * in {@link #open}, so alerts and dashboards see zeros rather than gaps before the first breach.
 * Flink puts the key of a key/value group into the metric's name as well as its label, so with
 * Flink's Prometheus reporter the names read {@code
 * flink_taskmanager_job_task_operator_kind_repostream_sla_breaches{kind="response",...}}.
 */
public final class SignalCounters extends ProcessFunction<RepoMetrics, RepoMetrics> {
    private static final long serialVersionUID = 1L;

    /** Flink metric names (before the reporter's scope prefix), with their label. */
    public static final String SLA_BREACHES = "repostream_sla_breaches";

    public static final String SLA_WARNINGS = "repostream_sla_warnings";
    public static final String SLA_ITEMS_CLOSED = "repostream_sla_items_closed";
    public static final String CI_RUNS = "repostream_ci_runs";
    public static final String CI_FAILURES = "repostream_ci_failures";
    public static final String CI_FLAKY_RUNS = "repostream_ci_flaky_runs";
    public static final String ACTIONS_PROPOSED = "repostream_actions_proposed";
    public static final String ACTIONS_DELAYED = "repostream_actions_delayed";
    public static final String ACTIONS_DROPPED = "repostream_actions_dropped";
    public static final String LIFECYCLE_ITEMS = "repostream_lifecycle_items";
    public static final String LIFECYCLE_EXEMPTIONS = "repostream_lifecycle_exemptions";

    private transient Map<String, Counter> counters;
    private transient MetricGroup group;

    @Override
    public void open(OpenContext openContext) {
        counters = new HashMap<>();
        group = getRuntimeContext().getMetricGroup();
        for (String kind : List.of("response", "resolution")) {
            counter(SLA_BREACHES, "kind", kind);
            counter(SLA_WARNINGS, "kind", kind);
        }
        for (String met : List.of("true", "false")) {
            counter(SLA_ITEMS_CLOSED, "met", met);
        }
        for (String outcome : List.of("success", "failure")) {
            counter(CI_RUNS, "outcome", outcome);
        }
        for (FailureClass cls : FailureClass.values()) {
            counter(CI_FAILURES, "failure_class", cls.wireName());
        }
        counter(CI_FLAKY_RUNS, null, null);
        for (String step : List.of("stale", "rotten", "closed-rotten", "closed-awaiting")) {
            counter(LIFECYCLE_ITEMS, "step", step);
        }
        for (String reason : List.of("label", "milestone", "assigned", "draft")) {
            counter(LIFECYCLE_EXEMPTIONS, "reason", reason);
        }
        for (ActionType type : ActionType.values()) {
            for (String name : List.of(ACTIONS_PROPOSED, ACTIONS_DELAYED, ACTIONS_DROPPED)) {
                counter(name, "action_type", type.wireName());
            }
        }
    }

    @Override
    public void processElement(RepoMetrics m, Context ctx, Collector<RepoMetrics> out) {
        count(m);
        out.collect(m);
    }

    private void count(RepoMetrics m) {
        long n = Math.max(0, Math.round(m.value()));
        Map<String, String> labels = m.labels();
        switch (m.metric()) {
            case "sla_breaches" -> counter(SLA_BREACHES, "kind", labels.get("kind")).inc(n);
            case "sla_warnings" -> counter(SLA_WARNINGS, "kind", labels.get("kind")).inc(n);
            case "sla_items_closed" -> counter(SLA_ITEMS_CLOSED, "met", labels.get("met")).inc(n);
            case "ci_success_ratio" ->
                    counter(CI_RUNS, "outcome", m.value() >= 1 ? "success" : "failure").inc();
            case "ci_failures" -> counter(CI_FAILURES, "failure_class", labels.get("class")).inc(n);
            case "ci_flaky_runs" -> counter(CI_FLAKY_RUNS, null, null).inc(n);
            case "actions_proposed" ->
                    counter(ACTIONS_PROPOSED, "action_type", labels.get("action_type")).inc(n);
            case "actions_delayed" ->
                    counter(ACTIONS_DELAYED, "action_type", labels.get("action_type")).inc(n);
            case "actions_dropped" ->
                    counter(ACTIONS_DROPPED, "action_type", labels.get("action_type")).inc(n);
            case "lifecycle_items" -> counter(LIFECYCLE_ITEMS, "step", labels.get("step")).inc(n);
            case "lifecycle_exemptions" ->
                    counter(LIFECYCLE_EXEMPTIONS, "reason", labels.get("reason")).inc(n);
            default -> {
                // levels, ratios and budgets are windowed on the metrics topic only
            }
        }
    }

    private Counter counter(String name, String label, String value) {
        String v = value == null || value.isEmpty() ? "unknown" : value;
        String key = label == null ? name : name + "|" + v;
        Counter c = counters.get(key);
        if (c == null) {
            MetricGroup g = label == null ? group : group.addGroup(label, v);
            c = g.counter(name);
            counters.put(key, c);
        }
        return c;
    }

    /** The current count of one series, for tests. */
    long count(String name, String value) {
        Counter c = counters.get(value == null ? name : name + "|" + value);
        return c == null ? 0 : c.getCount();
    }
}
