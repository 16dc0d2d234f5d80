package io.repostream.bridge.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The bridge's Prometheus metrics, in a registry of its own (several bridges may share a JVM in
 * tests and in the local stack). Labels never carry secrets, and unknown event names are folded
 * into {@code other} so a sender cannot grow the label set without bound.
 */
public final class BridgeMetrics {
    private static final Set<String> KNOWN_EVENTS =
            Set.of(
                    "branch_protection_rule",
                    "check_run",
                    "check_suite",
                    "code_scanning_alert",
                    "commit_comment",
                    "create",
                    "delete",
                    "dependabot_alert",
                    "deploy_key",
                    "deployment",
                    "deployment_review",
                    "deployment_status",
                    "discussion",
                    "discussion_comment",
                    "fork",
                    "github_app_authorization",
                    "gollum",
                    "installation",
                    "installation_repositories",
                    "issue_comment",
                    "issues",
                    "label",
                    "marketplace_purchase",
                    "member",
                    "membership",
                    "merge_group",
                    "meta",
                    "milestone",
                    "organization",
                    "org_block",
                    "package",
                    "page_build",
                    "ping",
                    "project",
                    "project_card",
                    "project_column",
                    "projects_v2_item",
                    "public",
                    "pull_request",
                    "pull_request_review",
                    "pull_request_review_comment",
                    "pull_request_review_thread",
                    "push",
                    "release",
                    "repository_dispatch",
                    "repository",
                    "repository_import",
                    "repository_vulnerability_alert",
                    "security_advisory",
                    "sponsorship",
                    "star",
                    "status",
                    "team",
                    "team_add",
                    "watch",
                    "workflow_dispatch",
                    "workflow_job",
                    "workflow_run");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter deliveries;
    private final Counter signatureFailures;
    private final Counter dedupeHits;
    private final Counter filtered;
    private final Histogram kafkaWrite;
    private final Counter pollRequests;
    private final Counter polledEvents;
    private final Counter pollBounded;
    private final Counter gapFill;
    private final Counter pollCompletions;
    private final Counter deadLetters;
    private final Counter connectionsClosed;
    private final Counter pulledDeliveries;
    private final java.util.concurrent.atomic.AtomicLong lastPull =
            new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong quotaRemaining =
            new java.util.concurrent.atomic.AtomicLong(-1);

    /**
     * @param inFlight webhook requests being handled right now
     * @param dedupeIds delivery ids remembered for deduplication
     */
    public BridgeMetrics(IntSupplier inFlight, IntSupplier dedupeIds) {
        deliveries =
                Counter.builder()
                        .name("repostream_bridge_deliveries")
                        .help("Webhook deliveries by event type and outcome")
                        .labelNames("event", "outcome")
                        .register(registry);
        signatureFailures =
                Counter.builder()
                        .name("repostream_bridge_signature_failures")
                        .help("Deliveries refused because of their signature, by reason")
                        .labelNames("reason")
                        .register(registry);
        dedupeHits =
                Counter.builder()
                        .name("repostream_bridge_dedupe_hits")
                        .help("Redelivered events answered without writing them again")
                        .register(registry);
        filtered =
                Counter.builder()
                        .name("repostream_bridge_filtered")
                        .help("Authenticated events not written because of the ingest filter")
                        .labelNames("event", "reason")
                        .register(registry);
        kafkaWrite =
                Histogram.builder()
                        .name("repostream_bridge_kafka_write_seconds")
                        .help("Time from send to Kafka's acknowledgement, by topic and result")
                        .labelNames("topic", "result")
                        .classicOnly()
                        .classicUpperBounds(
                                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
                                10)
                        .register(registry);
        pollRequests =
                Counter.builder()
                        .name("repostream_bridge_poll_requests")
                        .help(
                                "Polling requests to GitHub (event feed, workflow runs, issues and"
                                        + " pulls lists), by HTTP status (304 = free)")
                        .labelNames("status")
                        .register(registry);
        polledEvents =
                Counter.builder()
                        .name("repostream_bridge_polled_events")
                        .help(
                                "Events read by polling, by outcome (written, duplicate, filtered,"
                                        + " failed, unreadable; feed_gap counts polls that found"
                                        + " more than the event feed keeps)")
                        .labelNames("outcome")
                        .register(registry);
        pollBounded =
                Counter.builder()
                        .name("repostream_bridge_poll_bounded")
                        .help(
                                "Polls that read a list to its page bound; the next poll goes on"
                                        + " where it stopped")
                        .labelNames("list")
                        .register(registry);
        pollCompletions =
                Counter.builder()
                        .name("repostream_bridge_poll_completions")
                        .help(
                                "Polling's own reads that complete what the event feed trimmed"
                                        + " (kind issue, pull_request; jobs of a failed workflow"
                                        + " run), by outcome (fetched, not_modified = free 304,"
                                        + " gone = GitHub no longer has it, failed = retried at"
                                        + " the next poll, unavailable = written marked incomplete)")
                        .labelNames("kind", "outcome")
                        .register(registry);
        gapFill =
                Counter.builder()
                        .name("repostream_bridge_gap_fill_deliveries")
                        .help(
                                "Failed hook deliveries seen by gap fill, by outcome (redelivered,"
                                        + " in_kafka, too_old, redelivery_failed)")
                        .labelNames("outcome")
                        .register(registry);
        deadLetters =
                Counter.builder()
                        .name("repostream_bridge_dead_letters")
                        .help(
                                "Signed deliveries written to the dead-letter topic, by reason"
                                        + " (invalid_utf8, lone_surrogate, malformed)")
                        .labelNames("reason")
                        .register(registry);
        connectionsClosed =
                Counter.builder()
                        .name("repostream_bridge_connections_closed")
                        .help(
                                "Connections the bridge closed itself, by reason (header_timeout:"
                                        + " request headers not complete in time; after_503: a"
                                        + " refused request whose body was not read)")
                        .labelNames("reason")
                        .register(registry);
        pulledDeliveries =
                Counter.builder()
                        .name("repostream_bridge_pulled_deliveries")
                        .help(
                                "The app's hook deliveries seen by pull mode, by outcome (pulled ="
                                        + " read from GitHub; written, duplicate, filtered,"
                                        + " dead_lettered, gone, failed = retried at the next"
                                        + " pull; unread = older than the listing's page bound)")
                        .labelNames("outcome")
                        .register(registry);
        GaugeWithCallback.builder()
                .name("repostream_bridge_pull_last_success_timestamp_seconds")
                .help(
                        "When pull mode last read the app's hook deliveries to the end and stored"
                                + " every one (epoch seconds; 0 before the first)")
                .callback(callback -> callback.call(lastPull.get()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("repostream_bridge_github_quota_remaining")
                .help("x-ratelimit-remaining of the last GitHub answer (-1 before the first)")
                .callback(callback -> callback.call(quotaRemaining.get()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("repostream_bridge_in_flight_requests")
                .help("Webhook requests being handled right now")
                .callback(callback -> callback.call(inFlight.getAsInt()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("repostream_bridge_dedupe_ids")
                .help(
                        "Delivery ids remembered for deduplication: this bridge's writes and those"
                                + " read back from the events topic (bounded by dedupe.capacity)")
                .callback(callback -> callback.call(dedupeIds.getAsInt()))
                .register(registry);
    }

    public void delivery(String event, String outcome) {
        deliveries.labelValues(eventLabel(event), outcome).inc();
    }

    public void signatureFailure(String reason) {
        signatureFailures.labelValues(reason).inc();
    }

    /** Registers the gauge of request-body bytes buffered right now. */
    public void bufferedBytes(java.util.function.LongSupplier bytes) {
        GaugeWithCallback.builder()
                .name("repostream_bridge_buffered_body_bytes")
                .help(
                        "Request-body bytes held (reserved) right now across all deliveries in"
                                + " flight (bounded by webhook.max_buffered_bytes)")
                .callback(callback -> callback.call(bytes.getAsLong()))
                .register(registry);
    }

    public void deadLetter(String reason) {
        deadLetters.labelValues(reason).inc();
    }

    public void connectionClosed(String reason) {
        connectionsClosed.labelValues(reason).inc();
    }

    public void dedupeHit() {
        dedupeHits.inc();
    }

    public void filtered(String event, String reason) {
        filtered.labelValues(eventLabel(event), reason).inc();
    }

    public void kafkaWrite(String topic, boolean ok, long nanos) {
        kafkaWrite.labelValues(topic, ok ? "ok" : "error").observe(nanos / 1e9);
    }

    public void pollRequest(String status) {
        pollRequests.labelValues(status).inc();
    }

    public void polledEvent(String outcome) {
        polledEvents.labelValues(outcome).inc();
    }

    public void pollBounded(String list) {
        pollBounded.labelValues(list).inc();
    }

    public void pollCompletion(String kind, String outcome) {
        pollCompletions.labelValues(kind, outcome).inc();
    }

    public void gapFill(String outcome) {
        gapFill.labelValues(outcome).inc();
    }

    public void pulledDelivery(String outcome) {
        pulledDeliveries.labelValues(outcome).inc();
    }

    public void pullSucceeded(java.time.Instant at) {
        lastPull.set(at.getEpochSecond());
    }

    public void quotaRemaining(long remaining) {
        quotaRemaining.set(remaining);
    }

    /** The Prometheus text exposition of every metric. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics", e);
        }
        return out.toByteArray();
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    static String eventLabel(String event) {
        if (event == null) {
            return "none";
        }
        return KNOWN_EVENTS.contains(event) ? event : "other";
    }
}
