package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.bridge.kafka.EventLog;
import io.repostream.bridge.kafka.SeenDeliveries;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.repostream.schemas.GitHubEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls each configured repository's event feed and writes new events like webhook deliveries
 * ({@code source: poll}): through the dedupe window, acknowledged by Kafka before the cursor moves.
 * A failed write leaves the cursor where it was, so the next poll retries; the dedupe window keeps
 * the retry from writing anything twice.
 */
public final class RepoPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepoPoller.class);

    private final List<String> repos;
    private final Duration interval;
    private final Duration kafkaTimeout;
    private final EventsFeed feed;
    private final PollCursors cursors;
    private final EventLog log;
    private final SeenDeliveries seen;
    private final boolean dedupe;
    private final BridgeMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "repostream-bridge-poller");
                        t.setDaemon(true);
                        return t;
                    });

    public RepoPoller(
            List<String> repos,
            Duration interval,
            Duration kafkaTimeout,
            EventsFeed feed,
            PollCursors cursors,
            EventLog log,
            SeenDeliveries seen,
            boolean dedupe,
            BridgeMetrics metrics,
            Clock clock) {
        this.repos = List.copyOf(repos);
        this.interval = interval;
        this.kafkaTimeout = kafkaTimeout;
        this.feed = feed;
        this.cursors = cursors;
        this.log = log;
        this.seen = seen;
        this.dedupe = dedupe;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Polls every repository now, then each again as GitHub and the interval allow. */
    public void start() {
        repos.forEach(repo -> scheduler.execute(() -> scheduled(repo)));
    }

    /** One round over every repository, right now, on this thread; returns events written. */
    public int pollAll() {
        int written = 0;
        for (String repo : repos) {
            written += pollOnce(repo).written();
        }
        return written;
    }

    /** What one poll of one repository did. */
    public record Outcome(FeedPage page, int written) {}

    private void scheduled(String repo) {
        Duration delay = interval;
        try {
            Outcome outcome = pollOnce(repo);
            if (outcome.page() != null) {
                delay = outcome.page().nextDelay(interval, clock.instant());
            }
        } catch (RuntimeException e) {
            LOG.warn("polling {} failed: {}", repo, e.toString());
        }
        if (!scheduler.isShutdown()) {
            scheduler.schedule(() -> scheduled(repo), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Polls {@code repo}'s event feed and workflow runs once and writes what is new. */
    public synchronized Outcome pollOnce(String repo) {
        Outcome feedOutcome = pollFeed(repo);
        Outcome runs = pollWorkflowRuns(repo);
        // after the feed, so that its copies of the same openings and closings are known
        int items = pollItems(repo);
        // The feed's answer governs the schedule (it carries X-Poll-Interval).
        return new Outcome(
                feedOutcome.page() != null ? feedOutcome.page() : runs.page(),
                feedOutcome.written() + runs.written() + items);
    }

    private Outcome pollWorkflowRuns(String repo) {
        String key = repo + "/actions/runs";
        PollCursors.Cursor cursor = cursors.get(key);
        FeedPage page;
        try {
            page = feed.fetchWorkflowRuns(repo, cursor.etag());
        } catch (IOException e) {
            metrics.pollRequest("error");
            LOG.warn("{}", e.getMessage());
            return new Outcome(null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, 0);
        }
        metrics.pollRequest(String.valueOf(page.status()));
        if (page.rateRemaining() != null) {
            metrics.quotaRemaining(page.rateRemaining());
        }
        if (page.status() != 200) {
            if (page.status() != 304) {
                LOG.warn("polling workflow runs of {}: GitHub answered {}", repo, page.status());
            }
            return new Outcome(page, 0);
        }
        List<GitHubEvent> fresh = new ArrayList<>();
        for (JsonNode run : page.events()) {
            try {
                GitHubEvent event = PolledEvents.workflowRun(repo, run, clock.instant());
                if (!seen.contains(event.eventId())) {
                    fresh.add(event);
                }
            } catch (RuntimeException e) {
                LOG.warn("skipping an unreadable workflow run of {}: {}", repo, e.getMessage());
                metrics.polledEvent("unreadable");
            }
        }
        fresh.sort(Comparator.comparing(GitHubEvent::occurredAt));
        int written = awaitStored(repo, fresh.stream().map(this::store).toList());
        if (written < 0) {
            return new Outcome(page, 0);
        }
        cursors.put(key, new PollCursors.Cursor(page.etag(), 0));
        return new Outcome(page, written);
    }

    private Outcome pollFeed(String repo) {
        PollCursors.Cursor cursor = cursors.get(repo);
        FeedPage page;
        try {
            page = feed.fetch(repo, cursor.etag());
        } catch (IOException e) {
            metrics.pollRequest("error");
            LOG.warn("{}", e.getMessage());
            return new Outcome(null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, 0);
        }
        metrics.pollRequest(String.valueOf(page.status()));
        if (page.rateRemaining() != null) {
            metrics.quotaRemaining(page.rateRemaining());
        }
        if (page.status() == 304) {
            return new Outcome(page, 0);
        }
        if (page.status() != 200) {
            LOG.warn("polling events of {}: GitHub answered {}", repo, page.status());
            return new Outcome(page, 0);
        }
        List<JsonNode> entries = new ArrayList<>();
        page.events().forEach(entries::add);
        // More than a page happened since the last poll: read older pages until the last event
        // seen (GitHub's feed holds 300 events, 3 pages). If an older page cannot be read, write
        // nothing and keep the cursor: the next poll starts over, and the dedupe window keeps
        // what was written before out of Kafka.
        FeedPage current = page;
        int pages = 1;
        while (current.next() != null
                && pages < MAX_FEED_PAGES
                && oldestId(current.events()) > cursor.lastEventId()) {
            FeedPage older;
            try {
                older = feed.fetchNext(repo, current.next());
            } catch (IOException e) {
                metrics.pollRequest("error");
                LOG.warn("{}", e.getMessage());
                return new Outcome(page, 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(page, 0);
            }
            metrics.pollRequest(String.valueOf(older.status()));
            if (older.status() != 200) {
                LOG.warn(
                        "polling events of {}: page {} answered {}; retrying the whole feed later",
                        repo,
                        pages + 1,
                        older.status());
                return new Outcome(older, 0);
            }
            older.events().forEach(entries::add);
            current = older;
            pages++;
        }
        if (cursor.lastEventId() > 0 && oldestId(current.events()) > cursor.lastEventId()) {
            LOG.warn(
                    "{}: more events happened since the last poll than GitHub's feed keeps; some"
                            + " are missing (poll more often, or use webhooks and gap fill)",
                    repo);
            metrics.polledEvent("feed_gap");
        }
        List<JsonNode> fresh = new ArrayList<>();
        long newest = cursor.lastEventId();
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (JsonNode entry : entries) {
            long id = PolledEvents.numericId(entry);
            if (id > cursor.lastEventId() && ids.add(id)) {
                fresh.add(entry);
                newest = Math.max(newest, id);
            }
        }
        fresh.sort(Comparator.comparingLong(PolledEvents::numericId));
        int written = write(repo, fresh);
        if (written < 0) {
            return new Outcome(page, 0);
        }
        cursors.put(repo, new PollCursors.Cursor(page.etag(), newest));
        if (written > 0) {
            LOG.info("polled {} new events of {}", written, repo);
        }
        return new Outcome(page, written);
    }

    /**
     * Issues and pull requests opened or closed since the last poll, from the issues and pulls
     * lists: what the event feed lost (it keeps 300 events and can lag) still gets in, and copies
     * of what it did show are recognised by fingerprint. The first poll of a repository only sets
     * the cursor (its past is the feed's). Returns the events written.
     */
    private int pollItems(String repo) {
        String key = repo + "/items";
        PollCursors.Cursor cursor = cursors.get(key);
        if (cursor.lastEventId() <= 0) {
            cursors.put(key, new PollCursors.Cursor(null, clock.instant().getEpochSecond()));
            return 0;
        }
        Instant since = Instant.ofEpochSecond(cursor.lastEventId());
        FeedPage issues;
        FeedPage pulls;
        PollCursors.Cursor pullsCursor = cursors.get(repo + "/pulls");
        try {
            issues = feed.fetchIssues(repo, since, cursor.etag());
            metrics.pollRequest(String.valueOf(issues.status()));
            pulls = feed.fetchPulls(repo, pullsCursor.etag());
            metrics.pollRequest(String.valueOf(pulls.status()));
        } catch (IOException e) {
            metrics.pollRequest("error");
            LOG.warn("{}", e.getMessage());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        if ((issues.status() != 200 && issues.status() != 304)
                || (pulls.status() != 200 && pulls.status() != 304)) {
            LOG.warn(
                    "polling issues and pulls of {}: GitHub answered {} and {}",
                    repo,
                    issues.status(),
                    pulls.status());
            return 0;
        }
        List<GitHubEvent> fresh = new ArrayList<>();
        long newest = cursor.lastEventId();
        if (issues.status() == 200) {
            for (JsonNode item : issues.events()) {
                // the issues list holds pull requests too, in issue form: they come from pulls
                if (!item.has("pull_request")) {
                    fresh.addAll(itemChanges(repo, "issues", item, since));
                }
                newest = Math.max(newest, updatedAt(item));
            }
        }
        if (pulls.status() == 200) {
            for (JsonNode pull : pulls.events()) {
                if (updatedAt(pull) >= since.getEpochSecond()) {
                    fresh.addAll(itemChanges(repo, "pull_request", pull, since));
                }
            }
        }
        fresh.sort(Comparator.comparing(GitHubEvent::occurredAt));
        int written = awaitStored(repo, fresh.stream().map(e -> store(e, true)).toList());
        if (written < 0) {
            return 0;
        }
        cursors.put(key, new PollCursors.Cursor(issues.etag(), newest));
        cursors.put(repo + "/pulls", new PollCursors.Cursor(pulls.etag(), 0));
        return written;
    }

    private List<GitHubEvent> itemChanges(String repo, String kind, JsonNode item, Instant since) {
        try {
            return PolledEvents.itemChanges(repo, kind, item, since, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("skipping an unreadable {} item of {}: {}", kind, repo, e.getMessage());
            metrics.polledEvent("unreadable");
            return List.of();
        }
    }

    private static long updatedAt(JsonNode item) {
        try {
            return java.time.OffsetDateTime.parse(item.path("updated_at").asText()).toEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** GitHub's repository event feed holds 300 events: three pages of 100. */
    static final int MAX_FEED_PAGES = 3;

    private static long oldestId(JsonNode events) {
        long oldest = Long.MAX_VALUE;
        for (JsonNode entry : events) {
            oldest = Math.min(oldest, PolledEvents.numericId(entry));
        }
        return oldest;
    }

    /** What became of one polled event. */
    private enum Stored {
        WRITTEN,
        DUPLICATE,
        FAILED
    }

    /** Writes oldest first; the number written, or -1 when Kafka did not take them all. */
    private int write(String repo, List<JsonNode> entries) {
        List<CompletableFuture<Stored>> acks = new ArrayList<>();
        for (JsonNode entry : entries) {
            GitHubEvent event;
            try {
                event = PolledEvents.toEvent(entry, clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("skipping an unreadable event of {}: {}", repo, e.getMessage());
                metrics.polledEvent("unreadable");
                continue;
            }
            acks.add(store(event));
        }
        return awaitStored(repo, acks);
    }

    /** Waits for Kafka; the number written, or -1 when Kafka did not take them all. */
    private int awaitStored(String repo, List<CompletableFuture<Stored>> acks) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(kafkaTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            int written = 0;
            for (CompletableFuture<Stored> ack : acks) {
                Stored stored = ack.get();
                if (stored == Stored.FAILED) {
                    return -1;
                }
                written += stored == Stored.WRITTEN ? 1 : 0;
            }
            return written;
        } catch (Exception e) {
            LOG.warn("polled events of {} not stored, will retry: {}", repo, e.toString());
            return -1;
        }
    }

    private CompletableFuture<Stored> store(GitHubEvent event) {
        // an opening or closing the issues or pulls list already brought in is not written again
        return store(
                event,
                ("opened".equals(event.action()) || "closed".equals(event.action()))
                        && ("issues".equals(event.type()) || "pull_request".equals(event.type())));
    }

    /**
     * @param fromLists also a copy from the same source (feed or lists) counts as a duplicate: for
     *     the openings and closings that both the feed and the lists describe
     */
    private CompletableFuture<Stored> store(GitHubEvent event, boolean fromLists) {
        java.util.Optional<String> webhookCopy =
                io.repostream.bridge.kafka.EventFingerprint.otherSourceKey(event);
        java.util.Optional<String> fingerprint =
                io.repostream.bridge.kafka.EventFingerprint.recordedKey(event);
        if (dedupe && webhookCopy.isPresent() && seen.contains(webhookCopy.get())) {
            // Already received as a webhook under its delivery id.
            metrics.polledEvent("duplicate");
            return CompletableFuture.completedFuture(Stored.DUPLICATE);
        }
        if (dedupe && fromLists && fingerprint.isPresent() && seen.contains(fingerprint.get())) {
            // Already read from the event feed, or from the lists.
            metrics.polledEvent("duplicate");
            return CompletableFuture.completedFuture(Stored.DUPLICATE);
        }
        if (dedupe) {
            SeenDeliveries.Claim claim = seen.claim(event.eventId());
            if (claim instanceof SeenDeliveries.Seen) {
                metrics.polledEvent("duplicate");
                return CompletableFuture.completedFuture(Stored.DUPLICATE);
            }
            if (claim instanceof SeenDeliveries.Pending pending) {
                return pending.written().thenApply(ok -> ok ? Stored.DUPLICATE : Stored.FAILED);
            }
        }
        return log.write(event)
                .handle(
                        (metadata, error) -> {
                            boolean ok = error == null;
                            if (dedupe) {
                                if (ok) {
                                    fingerprint.ifPresent(f -> seen.add(f, clock.millis()));
                                }
                                seen.finished(event.eventId(), ok);
                            }
                            metrics.polledEvent(ok ? "written" : "failed");
                            return ok ? Stored.WRITTEN : Stored.FAILED;
                        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
