package io.repostream.console;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The console's Prometheus metrics, in a registry of its own. Labels never hold a secret. */
public final class ConsoleMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();

    private final Counter indexed =
            Counter.builder()
                    .name("repostream_console_indexed_records_total")
                    .help("Records written to the index, by topic")
                    .labelNames("topic")
                    .register(registry);

    private final Counter skipped =
            Counter.builder()
                    .name("repostream_console_skipped_records_total")
                    .help("Records the indexer could not index (and logged), by topic and reason")
                    .labelNames("topic", "reason")
                    .register(registry);

    private final Counter indexFailures =
            Counter.builder()
                    .name("repostream_console_index_failures_total")
                    .help("Index batches that failed and were retried from the stored offsets")
                    .register(registry);

    private final Gauge lastIndexed =
            Gauge.builder()
                    .name("repostream_console_last_indexed_timestamp_seconds")
                    .help("When the indexer last committed a batch (0 before the first)")
                    .register(registry);

    private final Gauge sessions =
            Gauge.builder()
                    .name("repostream_console_sessions")
                    .help("Sign-in sessions not expired, in PostgreSQL (counted every minute)")
                    .register(registry);

    private final Gauge liveStreams =
            Gauge.builder()
                    .name("repostream_console_live_streams")
                    .help("Open server-sent event streams (pages showing live actions)")
                    .register(registry);

    private final Counter streamsOpened =
            Counter.builder()
                    .name("repostream_console_live_streams_opened_total")
                    .help("Server-sent event streams opened since the start")
                    .register(registry);

    private final Gauge indexerLag =
            Gauge.builder()
                    .name("repostream_console_indexer_lag_records")
                    .help(
                            "Records on the indexed topics that the index does not hold yet (end"
                                    + " offset minus the indexer's position, summed)")
                    .register(registry);

    private final Gauge indexerRunning =
            Gauge.builder()
                    .name("repostream_console_indexer_running")
                    .help("1 while the indexer's loop runs, 0 once it stopped (the log says why)")
                    .register(registry);

    public void indexerLag(long records) {
        indexerLag.set(records);
    }

    public double indexerLagValue() {
        return indexerLag.get();
    }

    public double indexerRunningValue() {
        return indexerRunning.get();
    }

    /** When the indexer last committed a batch, epoch seconds (0 before the first). */
    public double lastIndexedValue() {
        return lastIndexed.get();
    }

    public void indexerRunning(boolean running) {
        indexerRunning.set(running ? 1 : 0);
    }

    private final Counter undos =
            Counter.builder()
                    .name("repostream_console_undo_requests_total")
                    .help(
                            "Undo requests sent to the executor, by kind (one, rule) and the"
                                    + " executor's status per action (or error)")
                    .labelNames("kind", "status")
                    .register(registry);

    private final Counter refused =
            Counter.builder()
                    .name("repostream_console_refused_requests_total")
                    .help(
                            "Requests refused, by reason (csrf, role, signed_out), each logged"
                                    + " without its tokens")
                    .labelNames("reason")
                    .register(registry);

    private final Counter signIns =
            Counter.builder()
                    .name("repostream_console_sign_ins_total")
                    .help("GitHub sign-ins, by outcome (role given, or why refused)")
                    .labelNames("outcome")
                    .register(registry);

    /**
     * The series the chart's alerts select exist from the start at 0, so that an alert's first
     * increase is seen and a check of the exported names finds them.
     */
    public ConsoleMetrics() {
        for (var topic : io.repostream.console.index.TopicIndexer.TOPICS) {
            skipped.initLabelValues(topic.name(), "invalid");
        }
        undos.initLabelValues("one", "error");
        undos.initLabelValues("rule", "error");
        signIns.initLabelValues("error");
    }

    public void undo(String kind, String status) {
        undos.labelValues(kind, status).inc();
    }

    public double undoCount(String kind, String status) {
        return undos.labelValues(kind, status).get();
    }

    public void refused(String reason) {
        refused.labelValues(reason).inc();
    }

    public double refusedCount(String reason) {
        return refused.labelValues(reason).get();
    }

    public void signIn(String outcome) {
        signIns.labelValues(outcome).inc();
    }

    public void sessions(int live) {
        sessions.set(live);
    }

    public void streamOpened() {
        liveStreams.inc();
        streamsOpened.inc();
    }

    /** Streams opened since the start: grows only, so a test can wait for the next one. */
    public double streamsOpenedCount() {
        return streamsOpened.get();
    }

    public void streamClosed() {
        liveStreams.dec();
    }

    public void indexed(String topic, int records) {
        indexed.labelValues(topic).inc(records);
    }

    public void skipped(String topic, String reason) {
        skipped.labelValues(topic, reason).inc();
    }

    public void indexFailed() {
        indexFailures.inc();
    }

    public void committed(Instant at) {
        lastIndexed.set(at.toEpochMilli() / 1000.0);
    }

    public double indexedCount(String topic) {
        return indexed.labelValues(topic).get();
    }

    public double skippedCount(String topic, String reason) {
        return skipped.labelValues(topic, reason).get();
    }

    /** The text exposition format, for {@code /metrics}. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
