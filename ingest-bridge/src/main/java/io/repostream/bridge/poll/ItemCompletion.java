package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.repostream.schemas.GitHubEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the issues and pull requests of polled feed events whose payload GitHub trimmed. The
 * Events API leaves fields out (labels, {@code updated_at}; its pull requests are "minimal": id,
 * number, url, head, base), and a rule must never read an absent field as an empty one (an opening
 * without {@code labels} is not an opening without labels). So an {@code issues} or {@code
 * pull_request} event whose item lacks a field the rules or the fingerprint read ({@link
 * #READ_FIELDS}) gets the fields it lacks from {@code GET .../issues/{n}} or {@code .../pulls/{n}},
 * asked conditionally (an unchanged item is a free 304), within the poll's rate budget ({@link
 * PollRound}). What the feed did carry is kept: it is the item as it was when the event happened.
 *
 * <p>When the read cannot be made now (limited, a server error, unreachable), nothing of the page
 * is written and the feed's cursor stays: the next poll reads it again. When GitHub no longer has
 * the item (404, 410) or refuses it for good (another 4xx), the event is written as it is, with
 * {@code repostream_incomplete} in its payload naming the fields that are absent (JSON pointers),
 * so that a consumer can tell "unknown" from "empty".
 */
final class ItemCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(ItemCompletion.class);

    /** The fields of an issue or pull request that rules and fingerprints read. */
    static final List<String> READ_FIELDS = List.of("labels", "user", "state", "updated_at");

    /** Payload field naming what polling could not complete. */
    static final String INCOMPLETE = "repostream_incomplete";

    private final EventsFeed feed;
    private final CachedReads reads;
    private final BridgeMetrics metrics;

    ItemCompletion(EventsFeed feed, CachedReads reads, BridgeMetrics metrics) {
        this.feed = feed;
        this.reads = reads;
        this.metrics = metrics;
    }

    /**
     * The events with their items completed, in the same order; null when a read has to wait for
     * the next poll (then none of them may be written).
     *
     * @param written whether an event id is already in Kafka (its copy needs no read)
     */
    List<GitHubEvent> complete(
            String repo, List<GitHubEvent> events, PollRound round, Predicate<String> written) {
        List<GitHubEvent> completed = new ArrayList<>(events.size());
        // one read per item and poll, however many of its events the page holds
        Map<String, CachedReads.Answer> readThisPoll = new HashMap<>();
        for (GitHubEvent event : events) {
            String field = itemField(event);
            JsonNode item = field == null ? null : event.payload().path(field);
            if (item == null
                    || !item.isObject()
                    || missing(field, item).isEmpty()
                    || written.test(event.eventId())) {
                completed.add(event);
                continue;
            }
            long number = item.path("number").asLong(-1);
            if (number <= 0) {
                completed.add(marked(event, field, item));
                continue;
            }
            String kind = field.equals("issue") ? "issue" : "pull_request";
            String path =
                    "/repos/" + repo + (kind.equals("issue") ? "/issues/" : "/pulls/") + number;
            CachedReads.Answer answer = readThisPoll.get(path);
            if (answer == null) {
                answer =
                        reads.read(
                                kind + " " + repo + "#" + number,
                                path,
                                round,
                                etag -> feed.fetchItem(repo, path, etag));
                if (answer == null || retryLater(answer)) {
                    metrics.pollCompletion(kind, "failed");
                    LOG.warn(
                            "polling {}: cannot complete {} #{} of event {} now ({}); the feed"
                                    + " is read again at the next poll",
                            repo,
                            kind,
                            number,
                            event.eventId(),
                            answer == null ? "not asked" : "GitHub answered " + answer.status());
                    return null;
                }
                metrics.pollCompletion(kind, outcome(answer));
                readThisPoll.put(path, answer);
            }
            if (!answer.ok()) {
                LOG.warn(
                        "polling {}: {} #{} of event {} answered {}; written without {}",
                        repo,
                        kind,
                        number,
                        event.eventId(),
                        answer.status(),
                        missing(field, item));
                completed.add(marked(event, field, item));
                continue;
            }
            completed.add(withItem(event, field, item, answer.body()));
        }
        return completed;
    }

    /** {@code issue} or {@code pull_request}, for the event types whose items rules read. */
    private static String itemField(GitHubEvent event) {
        return switch (event.type()) {
            case "issues" -> "issue";
            case "pull_request" -> "pull_request";
            default -> null;
        };
    }

    /**
     * The fields the rules read that {@code item} lacks ({@code merged} too, for a pull request).
     */
    static List<String> missing(String itemField, JsonNode item) {
        List<String> missing = new ArrayList<>();
        for (String field : READ_FIELDS) {
            if (!item.has(field) || (field.equals("labels") && !item.path(field).isArray())) {
                missing.add(field);
            }
        }
        if (itemField.equals("pull_request") && !item.has("merged")) {
            missing.add("merged");
        }
        return missing;
    }

    private static boolean retryLater(CachedReads.Answer answer) {
        return !answer.ok()
                && (answer.rateLimited() || answer.status() >= 500 || answer.status() == 0);
    }

    private static String outcome(CachedReads.Answer answer) {
        if (answer.notModified()) {
            return "not_modified";
        }
        if (answer.ok()) {
            return "fetched";
        }
        return answer.status() == 404 || answer.status() == 410 ? "gone" : "unavailable";
    }

    /** The item with every field it lacks taken from {@code fetched}. */
    private static GitHubEvent withItem(
            GitHubEvent event, String field, JsonNode item, JsonNode fetched) {
        ObjectNode payload = event.payload().deepCopy();
        ObjectNode completed = (ObjectNode) payload.path(field);
        for (Iterator<Map.Entry<String, JsonNode>> it = fetched.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!completed.has(f.getKey())
                    || (f.getKey().equals("labels") && !completed.path("labels").isArray())) {
                completed.set(f.getKey(), f.getValue().deepCopy());
            }
        }
        if (field.equals("pull_request")) {
            PolledEvents.withMerged(completed);
        }
        return event.withPayload(payload);
    }

    /** The event as it is, naming the fields of its item that are absent. */
    private static GitHubEvent marked(GitHubEvent event, String field, JsonNode item) {
        ObjectNode payload = event.payload().deepCopy();
        ArrayNode incomplete = payload.putArray(INCOMPLETE);
        missing(field, item).forEach(f -> incomplete.add("/" + field + "/" + f));
        return event.withPayload(payload);
    }
}
