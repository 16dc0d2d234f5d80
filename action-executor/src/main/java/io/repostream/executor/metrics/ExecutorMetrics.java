package io.repostream.executor.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The executor's Prometheus metrics, in a registry of its own so that several executors (or an
 * executor next to other services) in one JVM do not collide. Labels never hold a token.
 */
public final class ExecutorMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();

    private final Counter actions =
            Counter.builder()
                    .name("repostream_executor_actions_total")
                    .help("Actions handled, by type, repo and outcome")
                    .labelNames("action_type", "repo", "outcome")
                    .register(registry);

    private final Counter handlerFailures =
            Counter.builder()
                    .name("repostream_executor_handler_failures_total")
                    .help("Handler calls that failed, by type and repo")
                    .labelNames("action_type", "repo")
                    .register(registry);

    private final Histogram githubLatency =
            Histogram.builder()
                    .name("repostream_executor_github_request_seconds")
                    .help("Latency of GitHub requests, by operation")
                    .labelNames("operation")
                    .register(registry);

    /** {@code x-ratelimit-remaining} of the last answer that had it; null before the first. */
    private final AtomicReference<Integer> quotaRemaining = new AtomicReference<>();

    {
        // No sample at all until GitHub has answered: a gauge starts at 0, which reads as a
        // used-up quota and fires the quota alert on every idle replica.
        GaugeWithCallback.builder()
                .name("repostream_executor_github_quota_remaining")
                .help(
                        "x-ratelimit-remaining of the last GitHub answer (absent until GitHub has"
                                + " answered)")
                .callback(
                        callback -> {
                            Integer remaining = quotaRemaining.get();
                            if (remaining != null) {
                                callback.call(remaining);
                            }
                        })
                .register(registry);
    }

    private final Counter retries =
            Counter.builder()
                    .name("repostream_executor_github_retries_total")
                    .help("GitHub requests retried, by reason")
                    .labelNames("reason")
                    .register(registry);

    private final Counter rollbacks =
            Counter.builder()
                    .name("repostream_executor_rollbacks_total")
                    .help("Rollbacks, by action type and outcome")
                    .labelNames("action_type", "outcome")
                    .register(registry);

    private final Gauge lag =
            Gauge.builder()
                    .name("repostream_executor_actions_lag")
                    .help("Records on the actions topic not yet handled by this executor")
                    .register(registry);

    private final Gauge deferred =
            Gauge.builder()
                    .name("repostream_executor_deferred_actions")
                    .help("Actions read before their not_before, held in their lane until then")
                    .register(registry);

    private final Gauge deferredOldest =
            Gauge.builder()
                    .name("repostream_executor_deferred_oldest_seconds")
                    .help(
                            "Age of the oldest deferred action (held until its not_before or the"
                                    + " end of a GitHub rate limit), since it was read")
                    .register(registry);

    private final Gauge deferredOverdue =
            Gauge.builder()
                    .name("repostream_executor_deferred_overdue_seconds")
                    .help(
                            "How long past its not_before the most overdue held action is, still"
                                    + " not started (0 when none is)")
                    .register(registry);

    private final Gauge rateLimitWaits =
            Gauge.builder()
                    .name("repostream_executor_github_rate_limit_waits")
                    .help("GitHub requests waiting out a rate limit in a worker right now")
                    .register(registry);

    private final Counter permissionRefusals =
            Counter.builder()
                    .name("repostream_executor_permission_refusals_total")
                    .help(
                            "Actions not sent because the GitHub App installation lacks the"
                                    + " permission their handler needs")
                    .labelNames("action_type", "permission")
                    .register(registry);

    private final Counter ruleKillSwitchSkips =
            Counter.builder()
                    .name("repostream_executor_rule_kill_switch_skips_total")
                    .help(
                            "Actions not applied because the kill switch of the rule that"
                                    + " produced them is on (audited as skipped_disabled)")
                    .labelNames("rule")
                    .register(registry);

    private final Counter unreadableActions = unreadableActionsCounter();

    private Counter unreadableActionsCounter() {
        Counter counter =
                Counter.builder()
                        .name("repostream_executor_unreadable_actions_total")
                        .help(
                                "Records of the actions topic skipped because they are empty or"
                                        + " not a valid action (left on the topic, logged with"
                                        + " their partition and offset)")
                        .labelNames("reason")
                        .register(registry);
        counter.initLabelValues("empty");
        counter.initLabelValues("invalid");
        return counter;
    }

    private final Counter heldPauses =
            Counter.builder()
                    .name("repostream_executor_deferred_partition_pauses_total")
                    .help(
                            "Times a partition stopped fetching because it held too many actions"
                                    + " that were not due yet")
                    .register(registry);

    private final Counter writesDeferred = writesDeferredCounter();

    private Counter writesDeferredCounter() {
        Counter counter =
                Counter.builder()
                        .name("repostream_executor_writes_deferred_total")
                        .help(
                                "Mutations sent back to their lane with a due time instead of"
                                        + " waiting in a worker: pacing (the installation's next"
                                        + " write slot), rate_limit (GitHub refused the mutation"
                                        + " with a rate limit), read_after_write (the read of the"
                                        + " after-state met a rate limit), rollback (a rollback's"
                                        + " requests met a rate limit or their write slot)")
                        .labelNames("reason")
                        .register(registry);
        counter.initLabelValues("pacing");
        counter.initLabelValues("rate_limit");
        counter.initLabelValues("read_after_write");
        counter.initLabelValues("rollback");
        return counter;
    }

    private final Counter notifications =
            Counter.builder()
                    .name("repostream_executor_notifications_total")
                    .help(
                            "Notification deliveries by service (slack, pagerduty) and outcome:"
                                    + " posted, updated (a Slack message edited in place),"
                                    + " trigger/acknowledge/resolve (a PagerDuty event),"
                                    + " retried (rate limit, 5xx, no answer; held and tried"
                                    + " again), failed (refused, or given up on)")
                    .labelNames("service", "outcome")
                    .register(registry);

    /** A notification delivered, retried or failed. */
    public void notification(String service, String outcome) {
        notifications.labelValues(service, outcome).inc();
    }

    public double notifications(String service, String outcome) {
        return notifications.labelValues(service, outcome).get();
    }

    /** Exports the failure and retry series at 0, so that their alert sees the first one. */
    public void notificationsKnown() {
        for (String service : new String[] {"slack", "pagerduty"}) {
            notifications.initLabelValues(service, "failed");
            notifications.initLabelValues(service, "retried");
        }
    }

    public void action(ActionType type, String repo, AuditOutcome outcome) {
        actions.labelValues(type.wireName(), repo, outcome.wireName()).inc();
    }

    /** An action not sent because its installation lacks the permission its handler needs. */
    public void permissionRefused(ActionType type, String permission) {
        permissionRefusals.labelValues(type.wireName(), permission).inc();
    }

    /** Exports the refusal series of an action type and the permission it needs, at 0. */
    public void permissionRefusalsKnown(ActionType type, String permission) {
        permissionRefusals.initLabelValues(type.wireName(), permission);
    }

    /** A record of the actions topic skipped: {@code empty} or {@code invalid}. */
    public void unreadableAction(String reason) {
        unreadableActions.labelValues(reason).inc();
    }

    public double unreadableActions(String reason) {
        return unreadableActions.labelValues(reason).get();
    }

    public void handlerFailed(ActionType type, String repo) {
        handlerFailures.labelValues(type.wireName(), repo).inc();
    }

    public void githubRequest(String operation, double seconds) {
        githubLatency.labelValues(operation).observe(seconds);
    }

    public void quotaRemaining(Integer remaining) {
        if (remaining != null) {
            this.quotaRemaining.set(remaining);
        }
    }

    public void retried(String reason) {
        retries.labelValues(reason).inc();
    }

    public void rollback(ActionType type, AuditOutcome outcome) {
        rollbacks.labelValues(type.wireName(), outcome.wireName()).inc();
    }

    public void lag(long records) {
        lag.set(records);
    }

    /** Actions held until their not_before, the oldest's time held, the most overdue's lateness. */
    public void deferred(int held, Duration oldest, Duration mostOverdue) {
        deferred.set(held);
        deferredOldest.set(oldest.toMillis() / 1000.0);
        deferredOverdue.set(mostOverdue.toMillis() / 1000.0);
    }

    /** A request starts ({@code +1}) or ends ({@code -1}) waiting out a rate limit. */
    public void rateLimitWait(int delta) {
        rateLimitWaits.inc(delta);
    }

    private final Counter requestsSaved =
            Counter.builder()
                    .name("repostream_executor_requests_saved_by_coalescing_total")
                    .help(
                            "GitHub requests not sent because actions ready together were sent as"
                                    + " one (several add_labels for one item)")
                    .register(registry);

    public void requestsSavedByCoalescing(int saved) {
        requestsSaved.inc(saved);
    }

    /** A mutation went back to its lane until its installation may write again. */
    public void writeDeferred(String reason) {
        writesDeferred.labelValues(reason).inc();
    }

    public void heldPartitionPaused() {
        heldPauses.inc();
    }

    public double deferredHeld() {
        return deferred.get();
    }

    public double actionCount(ActionType type, String repo, AuditOutcome outcome) {
        return actions.labelValues(type.wireName(), repo, outcome.wireName()).get();
    }

    public double rollbackCount(ActionType type, AuditOutcome outcome) {
        return rollbacks.labelValues(type.wireName(), outcome.wireName()).get();
    }

    public double handlerFailureCount(ActionType type, String repo) {
        return handlerFailures.labelValues(type.wireName(), repo).get();
    }

    /** The registry, for metrics kept beside these (the reads'). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    /**
     * Exports {@code repostream_executor_rule_kill_switches_on}, how many rules' kill switches are
     * on ({@code rulesKilled}, read at each scrape; 0 from start-up, so its alert sees the first
     * one).
     */
    public void ruleKillSwitches(java.util.function.IntSupplier rulesKilled) {
        GaugeWithCallback.builder()
                .name("repostream_executor_rule_kill_switches_on")
                .help("Rules whose kill switch is on: their actions are skipped, not applied")
                .callback(callback -> callback.call(rulesKilled.getAsInt()))
                .register(registry);
    }

    /** The series of {@code rule}'s skips, at 0 until one: its switch is known. */
    public void ruleKillSwitchKnown(String rule) {
        ruleKillSwitchSkips.labelValues(rule);
    }

    /** An action of {@code rule} skipped because its kill switch is on. */
    public void ruleKillSwitchSkip(String rule) {
        ruleKillSwitchSkips.labelValues(rule).inc();
    }

    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render metrics", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
