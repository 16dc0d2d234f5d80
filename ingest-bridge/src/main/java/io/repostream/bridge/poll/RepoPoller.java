package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.bridge.IngestFilter;
import io.repostream.bridge.kafka.EventFingerprint;
import io.repostream.bridge.kafka.EventLog;
import io.repostream.bridge.kafka.SeenDeliveries;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.repostream.schemas.GitHubEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls each configured repository's event feed, workflow runs, and issues and pulls lists, and
 * writes new events like webhook deliveries ({@code source: poll}): through the ingest filter and
 * the dedupe window, acknowledged by Kafka before the cursor moves. A failed write leaves the
 * cursor where it was, so the next poll retries; the dedupe window keeps the retry from writing
 * anything twice. From GitHub's first limit no request goes out until it has passed ({@link
 * PollRound}).
 */
public final class RepoPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepoPoller.class);
    private final Long installationId;

    private final List<String> repos;
    private final Duration interval;
    private final Duration kafkaTimeout;
    private final EventsFeed feed;
    private final ItemLists lists;
    private final ItemCompletion completion;
    private final RunJobs runJobs;
    private final PollCursors cursors;
    private final IngestFilter filter;
    private final EventLog log;
    private final SeenDeliveries seen;
    private final boolean dedupe;
    private final BridgeMetrics metrics;
    private final Clock clock;

    /** No request to GitHub before this: the quota belongs to the token, not the repository. */
    private final AtomicReference<Instant> blockedUntil = new AtomicReference<>(Instant.MIN);

    /** Open once the start-up round over every repository has ended (or polling never started). */
    private final CountDownLatch startRound = new CountDownLatch(1);

    private volatile boolean started;

    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "repostream-bridge-poller");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * @param installationId the GitHub App installation polled as, or {@code null} with a token:
     *     polled events get it as their {@code installation_id}, as the app's webhooks do
     */
    public RepoPoller(
            List<String> repos,
            Duration interval,
            Duration kafkaTimeout,
            EventsFeed feed,
            PollCursors cursors,
            IngestFilter filter,
            EventLog log,
            SeenDeliveries seen,
            boolean dedupe,
            BridgeMetrics metrics,
            Clock clock,
            Long installationId) {
        this.installationId = installationId;
        this.repos = List.copyOf(repos);
        this.interval = interval;
        this.kafkaTimeout = kafkaTimeout;
        this.feed = feed;
        this.lists = new ItemLists(feed, cursors, metrics, clock);
        CachedReads reads = new CachedReads();
        this.completion = new ItemCompletion(feed, reads, metrics);
        this.runJobs = new RunJobs(feed, reads, metrics);
        this.cursors = cursors;
        this.filter = filter;
        this.log = log;
        this.seen = seen;
        this.dedupe = dedupe;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Polls every repository now, then each again as GitHub and the interval allow. */
    public void start() {
        started = true;
        scheduler.execute(
                () -> {
                    try {
                        repos.forEach(repo -> scheduleNext(repo, pollScheduled(repo)));
                    } finally {
                        startRound.countDown();
                    }
                });
    }

    /**
     * One round over every repository, right now, on this thread; returns events written. After
     * {@link #start()}, first waits (up to {@value #START_ROUND_WAIT_SECONDS} s) for the start-up
     * round to end, so this round never takes the start-up round's events and what it returns is
     * what is new since.
     */
    public int pollAll() {
        if (started) {
            try {
                if (!startRound.await(START_ROUND_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn(
                            "the start-up poll round has not ended after {} s; polling anyway",
                            START_ROUND_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        int written = 0;
        for (String repo : repos) {
            written += pollOnce(repo).written();
        }
        return written;
    }

    /**
     * What one poll of one repository did.
     *
     * @param nextDelay when to poll it again: the most restrictive of GitHub's answers
     * @param written events written
     */
    public record Outcome(Duration nextDelay, int written) {}

    private static final long START_ROUND_WAIT_SECONDS = 120;

    private void scheduled(String repo) {
        scheduleNext(repo, pollScheduled(repo));
    }

    private Duration pollScheduled(String repo) {
        try {
            return pollOnce(repo).nextDelay();
        } catch (RuntimeException e) {
            LOG.warn("polling {} failed: {}", repo, e.toString());
            return interval;
        }
    }

    private void scheduleNext(String repo, Duration delay) {
        if (!scheduler.isShutdown()) {
            scheduler.schedule(() -> scheduled(repo), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Polls {@code repo}'s event feed, workflow runs, and issues and pulls lists once and writes
     * what is new; from GitHub's first limit on, asks nothing more.
     */
    public synchronized Outcome pollOnce(String repo) {
        PollRound round = new PollRound(repo, interval, blockedUntil, metrics, clock);
        int written = pollFeed(repo, round);
        written += pollWorkflowRuns(repo, round);
        // after the feed, so that its copies of the same openings and closings are known
        written += pollItems(repo, round);
        return new Outcome(round.delay(), written);
    }

    private int pollWorkflowRuns(String repo, PollRound round) {
        String key = repo + "/actions/runs";
        PollCursors.Cursor cursor = cursors.get(key);
        FeedPage page =
                round.ask("workflow runs", () -> feed.fetchWorkflowRuns(repo, cursor.etag()));
        if (page == null || page.status() == 304) {
            return 0;
        }
        if (page.status() != 200) {
            LOG.warn("polling workflow runs of {}: GitHub answered {}", repo, page.status());
            return 0;
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
        // a failed run's jobs first, as their webhooks come before the run's completion
        List<GitHubEvent> withJobs = runJobs.withFailedJobs(repo, fresh, round, clock.instant());
        if (withJobs == null) {
            // its jobs could not be read now: the runs list is read again at the next poll
            return 0;
        }
        int written = awaitStored(repo, withJobs.stream().map(this::store).toList());
        if (written < 0) {
            return 0;
        }
        cursors.put(key, new PollCursors.Cursor(page.etag(), 0));
        return written;
    }

    private int pollFeed(String repo, PollRound round) {
        PollCursors.Cursor cursor = cursors.get(repo);
        FeedPage page = round.ask("event feed", () -> feed.fetch(repo, cursor.etag()));
        if (page == null || page.status() == 304) {
            return 0;
        }
        if (page.status() != 200) {
            LOG.warn("polling events of {}: GitHub answered {}", repo, page.status());
            return 0;
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
            String next = current.next();
            FeedPage older = round.ask("event feed", () -> feed.fetchNext(repo, next));
            if (older == null || older.status() != 200) {
                if (older != null) {
                    LOG.warn(
                            "polling events of {}: page {} answered {}; retrying the whole feed"
                                    + " later",
                            repo,
                            pages + 1,
                            older.status());
                }
                return 0;
            }
            older.events().forEach(entries::add);
            current = older;
            pages++;
        }
        if (cursor.lastEventId() > 0 && oldestId(current.events()) > cursor.lastEventId()) {
            LOG.warn(
                    "{}: more events happened since the last poll than GitHub's feed keeps (300);"
                            + " openings and closings of issues and pull requests come from their"
                            + " lists, other events (labels, comments, pushes, ...) older than"
                            + " the feed's oldest are missing (poll more often, or use webhooks"
                            + " and gap fill)",
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
        int written = write(repo, fresh, round);
        if (written < 0) {
            return 0;
        }
        cursors.put(repo, new PollCursors.Cursor(page.etag(), newest));
        if (written > 0) {
            LOG.info("polled {} new events of {}", written, repo);
        }
        return written;
    }

    /**
     * Issues and pull requests opened or closed since the last poll, from the issues and pulls
     * lists ({@link ItemLists}): what the event feed lost still gets in, and copies of what it did
     * show are recognised by fingerprint. Returns the events written.
     */
    private int pollItems(String repo, PollRound round) {
        ItemLists.Found found = lists.poll(repo, round);
        List<GitHubEvent> fresh = new ArrayList<>(found.events());
        fresh.sort(Comparator.comparing(GitHubEvent::occurredAt));
        int written = awaitStored(repo, fresh.stream().map(this::store).toList());
        if (written < 0) {
            return 0;
        }
        for (Map.Entry<String, PollCursors.Cursor> moved : found.cursors().entrySet()) {
            cursors.put(moved.getKey(), moved.getValue());
        }
        return written;
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
        FILTERED,
        FAILED
    }

    /**
     * Writes oldest first, each item completed where the feed trimmed it ({@link ItemCompletion});
     * the number written, or -1 when a completion must wait for the next poll or Kafka did not take
     * them all.
     */
    private int write(String repo, List<JsonNode> entries, PollRound round) {
        List<GitHubEvent> events = new ArrayList<>();
        for (JsonNode entry : entries) {
            try {
                events.add(PolledEvents.toEvent(entry, clock.instant()));
            } catch (RuntimeException e) {
                LOG.warn("skipping an unreadable event of {}: {}", repo, e.getMessage());
                metrics.polledEvent("unreadable");
            }
        }
        List<GitHubEvent> completed =
                completion.complete(repo, events, round, id -> dedupe && seen.contains(id));
        if (completed == null) {
            return -1;
        }
        return awaitStored(repo, completed.stream().map(this::store).toList());
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

    private CompletableFuture<Stored> store(GitHubEvent polled) {
        GitHubEvent event = PolledEvents.withInstallation(polled, installationId);
        Optional<String> dropped = filter.dropReason(event);
        if (dropped.isPresent()) {
            // counted like a filtered webhook; the cursor moves past it
            metrics.filtered(event.type(), dropped.get());
            metrics.polledEvent("filtered");
            return CompletableFuture.completedFuture(Stored.FILTERED);
        }
        List<String> copies = new ArrayList<>(EventFingerprint.otherSourceKeys(event));
        if (openingOrClosing(event)) {
            // the event feed and the lists both show openings and closings
            copies.addAll(EventFingerprint.sameSourceKeys(event));
        }
        if (dedupe && copies.stream().anyMatch(seen::contains)) {
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
                                    EventFingerprint.recordedKeys(event)
                                            .forEach(f -> seen.add(f, clock.millis()));
                                }
                                seen.finished(event.eventId(), ok);
                            }
                            metrics.polledEvent(ok ? "written" : "failed");
                            return ok ? Stored.WRITTEN : Stored.FAILED;
                        });
    }

    private static boolean openingOrClosing(GitHubEvent event) {
        return ("opened".equals(event.action()) || "closed".equals(event.action()))
                && ("issues".equals(event.type()) || "pull_request".equals(event.type()));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        startRound.countDown();
    }
}
