package io.repostream.bridge.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.util.List;
import java.util.Optional;

/**
 * What makes one GitHub happening the same whether it arrived as a webhook (keyed by its delivery
 * id), through the event feed (keyed by the feed's event id) or from the issues and pulls lists:
 * e.g. {@code issues octo/app#12 labeled @2026-01-01T10:00:00Z}. Every path remembers it next to
 * the event id, so a second copy is recognised as a duplicate. An item opens once, so {@code
 * opened} needs no time; {@code closed} is keyed by {@code closed_at}, which every copy agrees on
 * (an item listed later has a newer {@code updated_at} than its webhook had). Only kinds that the
 * sources describe with the same fields have one; others are deduplicated by event id alone.
 */
public final class EventFingerprint {
    /** The fields of a webhook payload {@link #of} reads. */
    public static final List<String> WEBHOOK_PAYLOAD_FIELDS =
            List.of(
                    "/action",
                    "/issue/number",
                    "/issue/updated_at",
                    "/issue/closed_at",
                    "/pull_request/number",
                    "/pull_request/updated_at",
                    "/pull_request/closed_at",
                    "/comment/id",
                    "/comment/updated_at",
                    "/ref",
                    "/after");

    private EventFingerprint() {}

    /**
     * The key under which {@code event} is remembered: its source and its fingerprint. Only copies
     * from the other source count as duplicates: two webhook deliveries with the same fingerprint
     * (e.g. from a repository hook and an organisation hook) stay two deliveries.
     */
    public static Optional<String> recordedKey(GitHubEvent event) {
        return of(event).map(f -> key(event.source(), f));
    }

    /** The key a copy of {@code event} from the other source was remembered under. */
    public static Optional<String> otherSourceKey(GitHubEvent event) {
        EventSource other =
                event.source() == EventSource.POLL ? EventSource.WEBHOOK : EventSource.POLL;
        return of(event).map(f -> key(other, f));
    }

    private static String key(EventSource source, String fingerprint) {
        return "fingerprint:" + source.wireName() + " " + fingerprint;
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
