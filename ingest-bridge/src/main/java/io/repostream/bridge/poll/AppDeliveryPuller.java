package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.bridge.IngestFilter;
import io.repostream.bridge.WebhookWrites;
import io.repostream.bridge.kafka.EventLog;
import io.repostream.bridge.kafka.SeenDeliveries;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.repostream.bridge.webhook.MalformedDeliveryException;
import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pull mode: reads the GitHub App's hook deliveries ({@code GET /app/hook/deliveries}, newest
 * first, by GitHub's cursor pagination), fetches each new one ({@code GET
 * /app/hook/deliveries/{delivery_id}}: its {@code request.headers} and {@code request.payload}) and
 * writes it as a received webhook ({@link WebhookWrites}: same record, same dedupe by the
 * delivery's {@code guid}), so a bridge GitHub cannot reach still gets every delivery, and one that
 * also arrives as a webhook is written once.
 *
 * <p>Trust comes from the call, authenticated with the app's JWT, not from an HMAC: GitHub lists
 * the payload it parsed, so the record's payload is that JSON re-serialized, not the bytes GitHub
 * signed. A cursor (the newest delivery id stored, in the poll state file) lets a restarted bridge
 * read only what is new; without one, only deliveries of the last {@code firstWindow} are read.
 * Deliveries are stored oldest first and the cursor moves only past what Kafka acknowledged (or
 * what was deliberately not written: a duplicate, a filtered event, a dead letter), so a stopped
 * pull (a limit, a 5xx, Kafka down) is taken up by the next one without loss. From GitHub's first
 * limit no request goes out until it has passed ({@link PollRound}).
 */
public final class AppDeliveryPuller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppDeliveryPuller.class);

    /** The entry of the poll state file that holds the cursor. */
    static final String CURSOR_KEY = "app/hook/deliveries";

    /** Pages of 100 read at most per pull: GitHub keeps three days of deliveries. */
    static final int MAX_PAGES = 100;

    private final EventsFeed github;
    private final PollCursors cursors;
    private final IngestFilter filter;
    private final EventLog log;
    private final WebhookWrites writes;
    private final SeenDeliveries seen;
    private final BridgeMetrics metrics;
    private final Duration interval;
    private final Duration firstWindow;
    private final Duration kafkaTimeout;
    private final Clock clock;
    private final AtomicReference<Instant> blockedUntil = new AtomicReference<>(Instant.MIN);
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "repostream-bridge-pull");
                        t.setDaemon(true);
                        return t;
                    });

    /** What one pull did. */
    public record Outcome(Duration nextDelay, int written, boolean complete) {}

    /**
     * @param github GitHub's API authenticated with the app's JWT ({@link GitHubAuth#appJwt})
     * @param seen the dedupe window, which must be on
     */
    public AppDeliveryPuller(
            EventsFeed github,
            PollCursors cursors,
            IngestFilter filter,
            EventLog log,
            SeenDeliveries seen,
            BridgeMetrics metrics,
            Duration interval,
            Duration firstWindow,
            Duration kafkaTimeout,
            Clock clock) {
        this.github = github;
        this.cursors = cursors;
        this.filter = filter;
        this.log = log;
        this.writes = new WebhookWrites(log, seen, true, metrics);
        this.seen = seen;
        this.metrics = metrics;
        this.interval = interval;
        this.firstWindow = firstWindow;
        this.kafkaTimeout = kafkaTimeout;
        this.clock = clock;
    }

    /** Pulls now, then again as the interval and GitHub's answers allow. */
    public void start() {
        scheduler.execute(this::scheduled);
    }

    private void scheduled() {
        Duration next;
        try {
            next = pullOnce().nextDelay();
        } catch (RuntimeException e) {
            LOG.warn("pulling the app's hook deliveries failed: {}", e.toString());
            next = interval;
        }
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::scheduled, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One attempt of a guid as the listing shows it. */
    private record Listed(long id, String guid, String event, Instant deliveredAt) {}

    /** Reads what is new since the cursor and writes it; one pull at a time. */
    public synchronized Outcome pullOnce() {
        PollRound round =
                new PollRound(EventsFeed.APP_HOOK, interval, blockedUntil, metrics, clock);
        long after = cursors.get(CURSOR_KEY).lastEventId();
        Instant since = after == 0 ? clock.instant().minus(firstWindow) : Instant.MIN;
        List<Listed> fresh = list(round, after, since);
        if (fresh == null) {
            return new Outcome(round.delay(), 0, false);
        }
        // oldest first, one fetch per guid: a redelivery of a guid not yet stored is the same
        // delivery
        Map<String, List<Listed>> byGuid = new LinkedHashMap<>();
        for (int i = fresh.size() - 1; i >= 0; i--) {
            Listed d = fresh.get(i);
            byGuid.computeIfAbsent(d.guid(), g -> new ArrayList<>()).add(d);
        }
        // every new attempt by id: the cursor moves to the highest id below which every attempt's
        // delivery is stored (or deliberately not written); one not reached stops it
        TreeMap<Long, CompletableFuture<Boolean>> done = new TreeMap<>();
        fresh.forEach(d -> done.put(d.id(), null));
        boolean stopped = false;
        List<CompletableFuture<Boolean>> writesOfThisPull = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger stored =
                new java.util.concurrent.atomic.AtomicInteger();
        for (Map.Entry<String, List<Listed>> entry : byGuid.entrySet()) {
            List<Listed> attempts = entry.getValue();
            Listed first = attempts.get(0);
            CompletableFuture<Boolean> result;
            if (seen.contains(first.guid())) {
                metrics.pulledDelivery("duplicate");
                result = CompletableFuture.completedFuture(true);
            } else {
                FeedPage page =
                        round.ask(
                                "delivery " + first.id(),
                                () -> github.fetchAppDelivery(first.id()));
                if (page == null || page.status() / 100 == 5 || page.rateLimited()) {
                    stopped = true;
                    break;
                }
                if (page.status() == 404 || page.status() == 410) {
                    LOG.warn(
                            "pulling delivery {} ({}, {}): GitHub no longer has it; not written",
                            first.guid(),
                            first.event(),
                            first.deliveredAt());
                    metrics.pulledDelivery("gone");
                    result = CompletableFuture.completedFuture(true);
                } else if (page.status() != 200) {
                    LOG.warn(
                            "pulling delivery {}: GitHub answered {}{}; retrying at the next pull",
                            first.guid(),
                            page.status(),
                            page.message() == null ? "" : " (" + page.message() + ")");
                    stopped = true;
                    break;
                } else {
                    metrics.pulledDelivery("pulled");
                    result = store(first, page.events()).thenApply(w -> countWritten(w, stored));
                }
            }
            writesOfThisPull.add(result);
            for (Listed attempt : attempts) {
                done.put(attempt.id(), result);
            }
        }
        long cursor = after;
        try {
            CompletableFuture.allOf(writesOfThisPull.toArray(CompletableFuture[]::new))
                    .get(kafkaTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("pulled deliveries not all stored, will retry: {}", e.toString());
        }
        for (Map.Entry<Long, CompletableFuture<Boolean>> d : done.entrySet()) {
            CompletableFuture<Boolean> result = d.getValue();
            if (result == null
                    || !result.isDone()
                    || result.isCompletedExceptionally()
                    || !result.join()) {
                stopped = true;
                break;
            }
            cursor = d.getKey();
        }
        int written = stored.get();
        if (cursor > after) {
            cursors.put(CURSOR_KEY, new PollCursors.Cursor(null, cursor));
        }
        if (!stopped && !round.stopped()) {
            metrics.pullSucceeded(clock.instant());
        }
        if (written > 0) {
            LOG.info("pulled {} new deliveries of the app's hook", written);
        }
        return new Outcome(round.delay(), written, !stopped && !round.stopped());
    }

    private static boolean countWritten(
            Stored stored, java.util.concurrent.atomic.AtomicInteger count) {
        if (stored == Stored.WRITTEN) {
            count.incrementAndGet();
        }
        return stored != Stored.FAILED;
    }

    /**
     * The attempts newer than {@code after} (and delivered at or after {@code since}), newest
     * first; null when the listing could not be read to there now.
     */
    private List<Listed> list(PollRound round, long after, Instant since) {
        List<Listed> fresh = new ArrayList<>();
        String next = null;
        for (int pages = 1; pages <= MAX_PAGES; pages++) {
            String url = next;
            FeedPage page = round.ask("deliveries list", () -> github.fetchAppDeliveries(url));
            if (page == null) {
                return null;
            }
            if (page.status() != 200) {
                LOG.warn(
                        "pulling the app's hook deliveries: GitHub answered {}{}{}; retrying at"
                                + " the next pull",
                        page.status(),
                        page.message() == null ? "" : " (" + page.message() + ")",
                        page.status() == 401 || page.status() == 403
                                ? ": check poll.app (app id, private key); the endpoint takes"
                                        + " the app's JWT"
                                : page.status() == 404 ? ": has the app a webhook?" : "");
                return null;
            }
            boolean reachedCursor = false;
            for (JsonNode d : page.events()) {
                Listed listed =
                        new Listed(
                                d.path("id").asLong(),
                                d.path("guid").asText(),
                                d.path("event").asText(),
                                deliveredAt(d));
                if (listed.id() <= after || listed.deliveredAt().isBefore(since)) {
                    reachedCursor = true;
                    continue;
                }
                fresh.add(listed);
            }
            next = page.next();
            if (reachedCursor || next == null) {
                return fresh;
            }
        }
        LOG.warn(
                "pulling the app's hook deliveries: more new deliveries than {} pages; older ones"
                        + " were not read",
                MAX_PAGES);
        metrics.pulledDelivery("unread");
        return fresh;
    }

    private static Instant deliveredAt(JsonNode delivery) {
        try {
            return OffsetDateTime.parse(delivery.path("delivered_at").asText()).toInstant();
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /** What became of one pulled delivery. */
    private enum Stored {
        WRITTEN,
        NOT_WRITTEN,
        FAILED
    }

    /** Writes the delivery GitHub described in {@code detail} as a received webhook. */
    private CompletableFuture<Stored> store(Listed listed, JsonNode detail) {
        Instant receivedAt = clock.instant();
        JsonNode request = detail.path("request");
        String event = header(request.path("headers"), "X-GitHub-Event").orElse(listed.event());
        String guid = detail.path("guid").asText(listed.guid());
        JsonNode payload = request.path("payload");
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(payload);
        } catch (IOException e) {
            return deadLetter(guid, event, "{}", "payload cannot be serialized", receivedAt);
        }
        GitHubEvent record;
        try {
            if (!payload.isObject()) {
                throw new MalformedDeliveryException(
                        "GitHub lists no JSON object as the payload of delivery " + guid);
            }
            record = WebhookWrites.normalize(guid, event, json, receivedAt);
        } catch (MalformedDeliveryException e) {
            return deadLetter(guid, event, new String(json, StandardCharsets.UTF_8), e, receivedAt);
        }
        Optional<String> dropped = filter.dropReason(record);
        if (dropped.isPresent()) {
            metrics.filtered(record.type(), dropped.get());
            metrics.pulledDelivery("filtered");
            return CompletableFuture.completedFuture(Stored.NOT_WRITTEN);
        }
        return writes.write(record, json, () -> {})
                .thenApply(
                        result ->
                                switch (result.outcome()) {
                                    case STORED -> {
                                        metrics.pulledDelivery("written");
                                        yield Stored.WRITTEN;
                                    }
                                    case DUPLICATE -> {
                                        metrics.dedupeHit();
                                        metrics.pulledDelivery("duplicate");
                                        yield Stored.NOT_WRITTEN;
                                    }
                                    case EARLIER_COPY_FAILED, FAILED -> {
                                        metrics.pulledDelivery("failed");
                                        LOG.warn(
                                                "pulled delivery {} ({}) not stored, Kafka failed:"
                                                        + " {}; retrying at the next pull",
                                                guid,
                                                record.qualifiedType(),
                                                result.error() == null
                                                        ? "an earlier copy failed"
                                                        : result.error().toString());
                                        yield Stored.FAILED;
                                    }
                                });
    }

    private CompletableFuture<Stored> deadLetter(
            String guid,
            String event,
            String body,
            MalformedDeliveryException reason,
            Instant receivedAt) {
        CompletableFuture<Stored> stored =
                deadLetter(guid, event, body, reason.getMessage(), receivedAt);
        return stored.thenApply(
                s -> {
                    if (s != Stored.FAILED) {
                        metrics.deadLetter(reason.label());
                    }
                    return s;
                });
    }

    private CompletableFuture<Stored> deadLetter(
            String guid, String event, String body, String reason, Instant receivedAt) {
        DeadLetter letter =
                new DeadLetter(
                        reason,
                        "webhook_pull",
                        guid,
                        event,
                        Map.of("x-github-delivery", guid, "x-github-event", event),
                        body,
                        receivedAt);
        return log.write(letter)
                .handle(
                        (metadata, error) -> {
                            if (error != null) {
                                metrics.pulledDelivery("failed");
                                return Stored.FAILED;
                            }
                            metrics.pulledDelivery("dead_lettered");
                            LOG.warn(
                                    "pulled delivery {} ({}) dead-lettered: {}",
                                    guid,
                                    event,
                                    reason);
                            return Stored.NOT_WRITTEN;
                        });
    }

    /** A request header GitHub lists, whatever its case. */
    private static Optional<String> header(JsonNode headers, String name) {
        Iterator<Map.Entry<String, JsonNode>> fields = headers.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))
                    && field.getValue().isTextual()) {
                return Optional.of(field.getValue().asText());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
