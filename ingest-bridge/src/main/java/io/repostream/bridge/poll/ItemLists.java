package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.repostream.schemas.GitHubEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the issues and pulls lists of a repository for the openings and closings the event feed
 * lost (it keeps 300 events and can lag). Each list is scanned from a cursor, following {@code
 * Link: rel="next"} for at most {@link #MAX_PAGES} pages a poll; a longer scan goes on at the next
 * poll from its last page (read again, so that an item moved back by a change in between is not
 * skipped), so no number of changes can stall it.
 *
 * <ul>
 *   <li>issues ({@code GET .../issues?since=&sort=updated&direction=asc}, which lists pull requests
 *       too; those are taken from the pulls list): oldest change first, from {@code since}
 *       (inclusive) to the last page; the next scan's {@code since} is the newest {@code
 *       updated_at} read;
 *   <li>pulls ({@code GET .../pulls?sort=updated&direction=desc}, which has no {@code since}):
 *       newest change first, until an item updated before the cursor.
 * </ul>
 *
 * The first poll of a repository only sets the cursors: its past is the feed's.
 */
final class ItemLists {
    private static final Logger LOG = LoggerFactory.getLogger(ItemLists.class);

    /** Pages of one list read in one poll: 10,000 items at most. */
    static final int MAX_PAGES = 10;

    private static final int PER_PAGE = 100;

    private final EventsFeed feed;
    private final PollCursors cursors;
    private final BridgeMetrics metrics;
    private final Clock clock;

    /** {@code GET /repos/{owner}/{repo}} once per repository and process: webhooks carry it. */
    private final Map<String, JsonNode> repositories = new ConcurrentHashMap<>();

    ItemLists(EventsFeed feed, PollCursors cursors, BridgeMetrics metrics, Clock clock) {
        this.feed = feed;
        this.cursors = cursors;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * What one poll of the lists found: the events to write, and the cursors to store once Kafka
     * has them all.
     */
    record Found(List<GitHubEvent> events, Map<String, PollCursors.Cursor> cursors) {}

    /** Reads both lists of {@code repo} as far as {@code round} allows. */
    Found poll(String repo, PollRound round) {
        Map<String, PollCursors.Cursor> moved = new LinkedHashMap<>();
        List<Change> changes = new ArrayList<>();
        scanIssues(repo, round, changes, moved);
        scanPulls(repo, round, changes, moved);
        if (changes.isEmpty()) {
            return new Found(List.of(), moved);
        }
        List<GitHubEvent> events = events(repo, round, changes);
        if (events == null) {
            // the repository or a closer could not be read: nothing moves, the next poll retries
            return new Found(List.of(), Map.of());
        }
        return new Found(events, moved);
    }

    /** An item of a list, with the {@code since} of the scan that read it. */
    private record Change(String kind, JsonNode item, Instant since) {}

    private void scanIssues(
            String repo,
            PollRound round,
            List<Change> changes,
            Map<String, PollCursors.Cursor> moved) {
        String key = repo + "/issues";
        PollCursors.Cursor cursor = cursors.get(key);
        if (startsNow(key, cursor, moved)) {
            return;
        }
        Instant since = Instant.ofEpochSecond(cursor.lastEventId());
        int firstPage = Math.max(1, cursor.page());
        Pages pages =
                read(
                        repo,
                        round,
                        "issues list",
                        firstPage,
                        feed -> feed.fetchIssues(repo, since, firstPage, cursor.etag()),
                        item -> false);
        if (pages == null) {
            return;
        }
        long newest = cursor.lastEventId();
        for (JsonNode item : pages.items) {
            // pull requests, in issue form here, come from the pulls list
            if (!item.has("pull_request")) {
                changes.add(new Change("issues", item, since));
            }
            newest = Math.max(newest, updatedAt(item));
        }
        if (pages.complete) {
            // Oldest first, a change lands at the end of the list: an unchanged first page means
            // nothing changed only when it was the whole list, short of a full page.
            String etag = pages.items.size() < PER_PAGE ? pages.etag : null;
            moved.put(key, new PollCursors.Cursor(etag, newest));
            return;
        }
        if (pages.atBound) {
            bounded(repo, "issues", firstPage, pages.lastPage);
        }
        moved.put(key, new PollCursors.Cursor(null, cursor.lastEventId(), pages.lastPage, 0));
    }

    private void scanPulls(
            String repo,
            PollRound round,
            List<Change> changes,
            Map<String, PollCursors.Cursor> moved) {
        String key = repo + "/pulls";
        PollCursors.Cursor cursor = cursors.get(key);
        if (startsNow(key, cursor, moved)) {
            return;
        }
        long since = cursor.lastEventId();
        int firstPage = Math.max(1, cursor.page());
        Pages pages =
                read(
                        repo,
                        round,
                        "pulls list",
                        firstPage,
                        feed -> feed.fetchPulls(repo, firstPage, cursor.etag()),
                        pull -> updatedAt(pull) < since);
        if (pages == null) {
            return;
        }
        long newest = Math.max(since, cursor.scanNewest());
        for (JsonNode pull : pages.items) {
            long updated = updatedAt(pull);
            if (updated < since) {
                break; // newest first: the rest was read before
            }
            changes.add(new Change("pull_request", pull, Instant.ofEpochSecond(since)));
            newest = Math.max(newest, updated);
        }
        if (pages.complete) {
            // newest first, any change lands on the first page: its ETag tells
            moved.put(key, new PollCursors.Cursor(pages.etag, newest));
            return;
        }
        if (pages.atBound) {
            bounded(repo, "pulls", firstPage, pages.lastPage);
        }
        moved.put(key, new PollCursors.Cursor(null, since, pages.lastPage, newest));
    }

    /**
     * A list never scanned is not read: its cursor starts now, and what happened before is the
     * feed's to bring in.
     */
    private boolean startsNow(
            String key, PollCursors.Cursor cursor, Map<String, PollCursors.Cursor> moved) {
        if (cursor.lastEventId() > 0) {
            return false;
        }
        moved.put(key, new PollCursors.Cursor(null, clock.instant().getEpochSecond()));
        return true;
    }

    private void bounded(String repo, String list, int firstPage, int lastPage) {
        LOG.warn(
                "polling the {} list of {}: more changed than {} pages a poll; read pages {}-{},"
                        + " the next poll goes on from page {}",
                list,
                repo,
                MAX_PAGES,
                firstPage,
                lastPage,
                lastPage);
        metrics.pollBounded(list);
    }

    /** A request for the first page of a scan. */
    @FunctionalInterface
    private interface FirstPage {
        FeedPage fetch(EventsFeed feed) throws java.io.IOException, InterruptedException;
    }

    /** What one poll read of one list. */
    /**
     * @param atBound stopped at {@link #MAX_PAGES} (else, when not complete, by a limit or a failed
     *     page)
     */
    private record Pages(
            List<JsonNode> items, String etag, boolean complete, int lastPage, boolean atBound) {}

    /**
     * Reads from the first page on, following {@code Link: rel="next"}, until there is none, an
     * item {@code ends} the scan, or {@link #MAX_PAGES}; null when the first page brought nothing
     * (failed, limited: the cursor stays) and an empty, complete result for a 304.
     */
    private Pages read(
            String repo,
            PollRound round,
            String what,
            int firstPage,
            FirstPage first,
            java.util.function.Predicate<JsonNode> ends) {
        FeedPage page = round.ask(what, () -> first.fetch(feed));
        if (page == null) {
            return null;
        }
        if (page.status() == 304) {
            return new Pages(List.of(), page.etag(), true, 0, false);
        }
        if (page.status() != 200) {
            LOG.warn("polling the {} of {}: GitHub answered {}", what, repo, page.status());
            return null;
        }
        List<JsonNode> items = new ArrayList<>();
        int read = 1;
        FeedPage current = page;
        while (true) {
            boolean ended = false;
            for (JsonNode item : current.events()) {
                items.add(item);
                ended |= ends.test(item);
            }
            if (ended || current.next() == null) {
                // an ETag belongs to the first page's URL
                return new Pages(items, firstPage == 1 ? page.etag() : null, true, 0, false);
            }
            if (read >= MAX_PAGES) {
                break;
            }
            String next = current.next();
            FeedPage older = round.ask(what, () -> feed.fetchNext(repo, next));
            if (older == null || older.status() != 200) {
                if (older != null) {
                    LOG.warn(
                            "polling the {} of {}: a further page answered {}; going on later",
                            what,
                            repo,
                            older.status());
                }
                break;
            }
            current = older;
            read++;
        }
        // stopped before the end: the next poll goes on from the last page read
        return new Pages(items, null, false, firstPage + read - 1, read >= MAX_PAGES);
    }

    /** The events the changes describe, or null when what they need could not be read. */
    private List<GitHubEvent> events(String repo, PollRound round, List<Change> changes) {
        JsonNode repository = repository(repo, round);
        if (repository == null) {
            return null;
        }
        List<GitHubEvent> events = new ArrayList<>();
        for (Change change : changes) {
            JsonNode closer = null;
            Instant closed = closedAtOrNull(change.item());
            if (closed != null && !closed.isBefore(change.since())) {
                closer = change.item().path("closed_by");
                if (!closer.isObject()) {
                    closer = closer(repo, round, change.item());
                    if (closer == null) {
                        return null;
                    }
                }
            }
            try {
                events.addAll(
                        PolledEvents.itemChanges(
                                repo,
                                change.kind(),
                                change.item(),
                                change.since(),
                                clock.instant(),
                                repository,
                                closer == null || closer.isMissingNode() ? null : closer));
            } catch (RuntimeException e) {
                LOG.warn(
                        "skipping an unreadable {} item of {}: {}",
                        change.kind(),
                        repo,
                        e.getMessage());
                metrics.polledEvent("unreadable");
            }
        }
        return events;
    }

    private JsonNode repository(String repo, PollRound round) {
        JsonNode known = repositories.get(repo);
        if (known != null) {
            return known;
        }
        FeedPage page = round.ask("repository", () -> feed.fetchRepository(repo));
        if (page == null || page.status() != 200) {
            if (page != null) {
                LOG.warn("polling {}: the repository answered {}", repo, page.status());
            }
            return null;
        }
        repositories.put(repo, page.events());
        return page.events();
    }

    /**
     * Who closed an item the list does not say it of ({@code GET .../issues/{n}}: the pulls list
     * never does); a missing node when GitHub no longer has the item; null when it could not be
     * asked.
     */
    private JsonNode closer(String repo, PollRound round, JsonNode item) {
        long number = item.path("number").asLong();
        FeedPage page =
                round.ask("issue " + repo + "#" + number, () -> feed.fetchIssue(repo, number));
        if (page == null) {
            return null;
        }
        if (page.status() == 404 || page.status() == 410) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (page.status() != 200) {
            LOG.warn("polling {}#{}: GitHub answered {}", repo, number, page.status());
            return null;
        }
        return page.events().path("closed_by");
    }

    private static Instant closedAtOrNull(JsonNode item) {
        try {
            return PolledEvents.closedAt(item);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long updatedAt(JsonNode item) {
        try {
            return OffsetDateTime.parse(item.path("updated_at").asText()).toEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
