package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;

/** Turns an entry of GitHub's event feed into a {@link GitHubEvent} with {@code source: poll}. */
public final class PolledEvents {
    /** Polled ids are GitHub's event ids: stable, so every replica and restart agrees. */
    public static final String ID_PREFIX = "github-event-";

    private PolledEvents() {}

    /**
     * @param entry one element of {@code /repos/{owner}/{repo}/events}, kept whole as the payload
     * @throws IllegalArgumentException naming what is missing
     */
    public static GitHubEvent toEvent(JsonNode entry, Instant receivedAt) {
        String id = entry.path("id").asText("");
        String feedType = entry.path("type").asText("");
        String repo = entry.path("repo").path("name").asText(null);
        if (id.isEmpty() || feedType.isEmpty() || repo == null) {
            throw new IllegalArgumentException(
                    "feed entry without id, type or repo.name: " + entry.path("id"));
        }
        JsonNode action = entry.path("payload").path("action");
        JsonNode org = entry.path("org").path("login");
        return new GitHubEvent(
                ID_PREFIX + id,
                EventSource.POLL,
                webhookName(feedType),
                action.isTextual() ? action.asText() : null,
                repo,
                org.isTextual() ? org.asText() : null,
                null,
                OffsetDateTime.parse(entry.path("created_at").asText()).toInstant(),
                receivedAt,
                entry);
    }

    /**
     * A workflow run as {@code /actions/runs} lists it, as a {@code workflow_run} event whose id
     * names the run and the state seen ({@code github-run-<id>-<status>-<updated_at>}): each change
     * of a run is one event, and seeing the same state again is a duplicate.
     */
    public static GitHubEvent workflowRun(String repo, JsonNode run, Instant receivedAt) {
        long id = run.path("id").asLong(-1);
        String status = run.path("status").asText("");
        String updatedAt = run.path("updated_at").asText("");
        if (id < 0 || status.isEmpty() || updatedAt.isEmpty()) {
            throw new IllegalArgumentException("workflow run without id, status or updated_at");
        }
        Instant updated = OffsetDateTime.parse(updatedAt).toInstant();
        String action =
                switch (status) {
                    case "completed" -> "completed";
                    case "in_progress" -> "in_progress";
                    default -> "requested";
                };
        return new GitHubEvent(
                "github-run-" + id + "-" + status + "-" + updated.getEpochSecond(),
                EventSource.POLL,
                "workflow_run",
                action,
                repo,
                null,
                null,
                updated,
                receivedAt,
                run);
    }

    /** The feed's {@code IssueCommentEvent} is the webhook's {@code issue_comment}, and so on. */
    public static String webhookName(String feedType) {
        String base =
                feedType.endsWith("Event")
                        ? feedType.substring(0, feedType.length() - 5)
                        : feedType;
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                name.append('_');
            }
            name.append(Character.toLowerCase(c));
        }
        return name.toString().toLowerCase(Locale.ROOT);
    }

    /** GitHub's event ids are increasing numbers. */
    static long numericId(JsonNode entry) {
        try {
            return Long.parseLong(entry.path("id").asText());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
