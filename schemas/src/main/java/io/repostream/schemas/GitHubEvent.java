package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One GitHub event, normalised, on {@code github.events.v1}. The record key is {@link #key()}.
 *
 * @param eventId the {@code X-GitHub-Delivery} id, or a stable hash for polled events
 * @param source webhook or poll
 * @param type the GitHub event name ({@code issues}, {@code pull_request}, ...)
 * @param action the payload's {@code action}, when it has one
 * @param repo lowercase {@code owner/repo}; null for events without a repository
 * @param org lowercase organisation login, when the payload names one
 * @param installationId the GitHub App installation, when the payload names one
 * @param occurredAt event time, taken from the payload
 * @param receivedAt when repostream received it
 * @param payload the original JSON, untouched
 */
public record GitHubEvent(
        String eventId,
        EventSource source,
        String type,
        String action,
        String repo,
        String org,
        Long installationId,
        Instant occurredAt,
        Instant receivedAt,
        JsonNode payload) {

    public GitHubEvent {
        Require.text(eventId, "event_id");
        Require.present(source, "source");
        Require.text(type, "type");
        repo = repo == null ? null : Require.repo(repo, "repo");
        org = org == null ? null : org.toLowerCase(java.util.Locale.ROOT);
        Require.present(occurredAt, "occurred_at");
        Require.present(receivedAt, "received_at");
        Require.present(payload, "payload");
    }

    /**
     * The Kafka key: the repository, else {@code org:<login>}, else {@code installation:<id>}, else
     * {@code global} (e.g. {@code ping} for an app hook). Events of one repository share a
     * partition and so keep their order.
     */
    @JsonIgnore
    public String key() {
        if (repo != null) {
            return repo;
        }
        if (org != null) {
            return "org:" + org;
        }
        if (installationId != null) {
            return "installation:" + installationId;
        }
        return "global";
    }

    /** The same event with another payload (a projection, a redacted or enriched copy). */
    public GitHubEvent withPayload(JsonNode newPayload) {
        return new GitHubEvent(
                eventId,
                source,
                type,
                action,
                repo,
                org,
                installationId,
                occurredAt,
                receivedAt,
                newPayload);
    }

    /** The same event attributed to another GitHub App installation. */
    public GitHubEvent withInstallationId(Long newInstallationId) {
        return new GitHubEvent(
                eventId,
                source,
                type,
                action,
                repo,
                org,
                newInstallationId,
                occurredAt,
                receivedAt,
                payload);
    }

    /** {@code type.action}, or just the type for events without an action. */
    @JsonIgnore
    public String qualifiedType() {
        return action == null ? type : type + "." + action;
    }
}
