package io.repostream.bridge.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.util.List;
import java.util.Optional;

/**
 * What makes one GitHub happening the same whether it arrived as a webhook (keyed by its delivery
 * id), through the event feed (keyed by the feed's event id) or from the issues and pulls lists:
 * e.g. {@code issue octo/app#12 labeled @2026-01-01T10:00:00Z}. Every path remembers it next to the
 * event id, so a second copy is recognised as a duplicate. An item opens once, so {@code opened}
 * needs no time; {@code closed} is keyed by {@code closed_at}, which every copy agrees on (an item
 * listed later has a newer {@code updated_at} than its webhook had). Only kinds that the sources
 * describe with the same fields have one; others are deduplicated by event id alone.
 *
 * <p>Bridges before the issues and pulls lists keyed {@code opened} and {@code closed} by {@code
 * updated_at} ({@code ... opened @<updated_at>}). Those keys stay in the dedupe window (24 h) after
 * an upgrade, so copies are also looked up under that form ({@link #legacyForms}), and every write
 * records it too, last, where an older replica of a rolling upgrade reads it.
 */
public final class EventFingerprint {
    /** The fields of a webhook payload {@link #of} reads. */
    public static final List<String> WEBHOOK_PAYLOAD_FIELDS =
            List.of(
                    "/action",
                    "/issue/number",
                    "/issue/updated_at",
                    "/issue/closed_at",
                    "/issue/created_at",
                    "/pull_request/number",
                    "/pull_request/updated_at",
                    "/pull_request/closed_at",
                    "/pull_request/created_at",
                    "/comment/id",
                    "/comment/updated_at",
                    "/ref",
                    "/after");

    private EventFingerprint() {}

    /**
     * The keys under which {@code event} is remembered: its source and its fingerprint, then the
     * same in the older bridges' form where that differs. Only copies from the other source count
     * as duplicates of a webhook: two webhook deliveries with the same fingerprint (e.g. from a
     * repository hook and an organisation hook) stay two deliveries.
     */
    public static List<String> recordedKeys(GitHubEvent event) {
        return keys(event.source(), event, false);
    }

    /** The keys a copy of {@code event} from the other source may have been remembered under. */
    public static List<String> otherSourceKeys(GitHubEvent event) {
        EventSource other =
                event.source() == EventSource.POLL ? EventSource.WEBHOOK : EventSource.POLL;
        return keys(other, event, true);
    }

    /**
     * The keys a copy of {@code event} from its own source may have been remembered under: for
     * polled openings and closings, which both the event feed and the issues and pulls lists show.
     */
    public static List<String> sameSourceKeys(GitHubEvent event) {
        return keys(event.source(), event, true);
    }

    private static List<String> keys(EventSource source, GitHubEvent event, boolean lookup) {
        Optional<String> fingerprint = of(event);
        if (fingerprint.isEmpty()) {
            return List.of();
        }
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        keys.add(key(source, fingerprint.get()));
        List<String> legacy = legacyForms(event);
        // recorded: the older form this copy had; looked up: every older form a copy may have had
        for (String form : lookup ? legacy : legacy.subList(0, Math.min(1, legacy.size()))) {
            keys.add(key(source, form));
        }
        return List.copyOf(keys);
    }

    private static String key(EventSource source, String fingerprint) {
        return "fingerprint:" + source.wireName() + " " + fingerprint;
    }

    /**
     * The fingerprints older bridges gave an opening or closing: {@code @<updated_at>} of their
     * copy, first the one of this copy; then, as a copy made at the time had, {@code created_at}
     * for an opening and {@code closed_at} for a closing (a list shows an item as it is now).
     */
    static List<String> legacyForms(GitHubEvent event) {
        JsonNode payload = event.payload();
        String action = payload.path("action").asText("");
        if (event.repo() == null || (!action.equals("opened") && !action.equals("closed"))) {
            return List.of();
        }
        String kind;
        JsonNode item;
        switch (event.type()) {
            case "issues" -> {
                kind = "issue";
                item = payload.path("issue");
            }
            case "pull_request" -> {
                kind = "pull_request";
                item = payload.path("pull_request");
            }
            default -> {
                return List.of();
            }
        }
        if (!item.path("number").isIntegralNumber() || !item.path("updated_at").isTextual()) {
            return List.of();
        }
        String change =
                kind + " " + event.repo() + "#" + item.path("number").asLong() + " " + action;
        JsonNode atTheTime = item.path(action.equals("opened") ? "created_at" : "closed_at");
        java.util.LinkedHashSet<String> forms = new java.util.LinkedHashSet<>();
        forms.add(change + " @" + item.path("updated_at").asText());
        if (atTheTime.isTextual()) {
            forms.add(change + " @" + atTheTime.asText());
        }
        of(event).ifPresent(forms::remove);
        return List.copyOf(forms);
    }

    public static Optional<String> of(GitHubEvent event) {
        if (event.repo() == null) {
            return Optional.empty();
        }
        // polled events carry webhook-shaped payloads too (see PolledEvents)
        JsonNode payload = event.payload();
        String action = payload.path("action").asText("");
        return switch (event.type()) {
            case "issues" -> itemChange(event, "issue", payload.path("issue"), action);
            case "pull_request" ->
                    itemChange(event, "pull_request", payload.path("pull_request"), action);
            case "issue_comment" -> {
                JsonNode comment = payload.path("comment");
                yield comment.path("id").isIntegralNumber()
                                && comment.path("updated_at").isTextual()
                        ? Optional.of(
                                "issue_comment "
                                        + event.repo()
                                        + " comment/"
                                        + comment.path("id").asLong()
                                        + " "
                                        + action
                                        + " @"
                                        + comment.path("updated_at").asText())
                        : Optional.empty();
            }
            case "push" -> {
                String head = payload.path("after").asText("");
                String ref = payload.path("ref").asText("");
                yield head.isEmpty() || ref.isEmpty()
                        ? Optional.empty()
                        : Optional.of("push " + event.repo() + " " + ref + " @" + head);
            }
            default -> Optional.empty();
        };
    }

    private static Optional<String> itemChange(
            GitHubEvent event, String kind, JsonNode item, String action) {
        if (action.isEmpty()
                || !item.path("number").isIntegralNumber()
                || !item.path("updated_at").isTextual()) {
            return Optional.empty();
        }
        String change =
                kind + " " + event.repo() + "#" + item.path("number").asLong() + " " + action;
        if (action.equals("opened")) {
            return Optional.of(change);
        }
        if (action.equals("closed") && item.path("closed_at").isTextual()) {
            return Optional.of(change + " @" + item.path("closed_at").asText());
        }
        return Optional.of(change + " @" + item.path("updated_at").asText());
    }
}
