package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what polling reads (entries of GitHub's event feed, workflow runs) into {@link
 * GitHubEvent}s with {@code source: poll} whose {@code payload} has the shape of the webhook of the
 * same name, so that every consumer of {@code github.events.v1} (the Flink rules, users' own
 * consumers) reads one shape whatever the source: the feed entry's {@code payload} (action, issue,
 * comment, pull request, ...) with the entry's {@code repo}, {@code actor} and {@code org} as
 * {@code repository}, {@code sender} and {@code organization}; a workflow run as {@code {action,
 * workflow_run, workflow, repository, sender}}.
 */
public final class PolledEvents {
    /** Polled ids are GitHub's event ids: stable, so every replica and restart agrees. */
    public static final String ID_PREFIX = "github-event-";

    private PolledEvents() {}

    /**
     * @param entry one element of {@code /repos/{owner}/{repo}/events}
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
        ObjectNode payload = webhookShaped(entry);
        JsonNode org = entry.path("org").path("login");
        return new GitHubEvent(
                ID_PREFIX + id,
                EventSource.POLL,
                FeedVocabulary.webhookEvent(feedType),
                payload.path("action").isTextual() ? payload.path("action").asText() : null,
                repo,
                org.isTextual() ? org.asText() : null,
                null,
                OffsetDateTime.parse(entry.path("created_at").asText()).toInstant(),
                receivedAt,
                payload);
    }

    /**
     * The event as a GitHub App's webhook would carry it: polled as installation {@code
     * installationId}, it gets that {@code installation_id} and a payload {@code installation:
     * {id}} (the parts GitHub's feed and lists leave out), so that the job's per-installation rate
     * limits count it like a webhook's. Unchanged without an installation (token auth) or when it
     * has one.
     */
    public static GitHubEvent withInstallation(GitHubEvent event, Long installationId) {
        if (installationId == null || event.installationId() != null) {
            return event;
        }
        JsonNode payload = event.payload();
        if (payload instanceof ObjectNode object && !object.has("installation")) {
            payload = object.deepCopy();
            ((ObjectNode) payload).putObject("installation").put("id", installationId);
        }
        return event.withPayload(payload).withInstallationId(installationId);
    }

    /** The feed entry's payload, completed with the parts a webhook carries beside it. */
    static ObjectNode webhookShaped(JsonNode entry) {
        JsonNode inner = entry.path("payload");
        ObjectNode payload =
                inner.isObject()
                        ? ((ObjectNode) inner).deepCopy()
                        : JsonNodeFactory.instance.objectNode();
        JsonNode repo = entry.path("repo");
        if (!payload.has("repository") && repo.isObject()) {
            String fullName = repo.path("name").asText();
            int slash = fullName.indexOf('/');
            ObjectNode repository = payload.putObject("repository");
            repository.set("id", repo.path("id"));
            repository.put("name", slash < 0 ? fullName : fullName.substring(slash + 1));
            repository.put("full_name", fullName);
            repository
                    .putObject("owner")
                    .put("login", slash < 0 ? "" : fullName.substring(0, slash));
            repository.set("url", repo.path("url"));
        }
        // the webhook's action vocabulary (a review "created" in the feed is "submitted")
        String feedType = entry.path("type").asText();
        JsonNode feedAction = payload.path("action");
        String action =
                FeedVocabulary.webhookAction(
                        feedType, feedAction.isTextual() ? feedAction.asText() : null);
        if (action == null) {
            payload.remove("action");
        } else {
            payload.put("action", action);
        }
        if (!payload.has("sender") && entry.path("actor").isObject()) {
            ObjectNode sender = ((ObjectNode) entry.path("actor")).deepCopy();
            if (!sender.path("type").isTextual()) {
                sender.put("type", accountType(sender.path("login").asText("")));
            }
            payload.set("sender", sender);
        }
        if (!payload.has("organization") && entry.path("org").isObject()) {
            payload.set("organization", entry.path("org").deepCopy());
        }
        if (payload.path("pull_request").isObject()) {
            withMerged((ObjectNode) payload.path("pull_request"));
        }
        // the feed's PushEvent names the new head "head", the webhook "after"
        if ("PushEvent".equals(entry.path("type").asText())
                && !payload.has("after")
                && payload.path("head").isTextual()) {
            payload.put("after", payload.path("head").asText());
        }
        return payload;
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
                workflowRunPayload(action, run));
    }

    /**
     * A completed job of a polled run (as {@code GET .../runs/{run_id}/jobs} lists it), as the
     * {@code workflow_job} {@code completed} event its webhook would be: {@code {action,
     * workflow_job, repository, sender}} with the run event's repository and sender; the job object
     * has the webhook's shape (id, run_id, run_attempt, name, workflow_name, status, conclusion,
     * steps, ...). Its id names the job and attempt ({@code github-job-<id>-<attempt>-completed}),
     * its time is the job's {@code completed_at}.
     *
     * @throws IllegalArgumentException when the job lacks an id or is not completed
     */
    public static GitHubEvent workflowJob(GitHubEvent run, JsonNode job, Instant receivedAt) {
        long id = job.path("id").asLong(-1);
        if (id < 0 || !"completed".equals(job.path("status").asText())) {
            throw new IllegalArgumentException("workflow job without id, or not completed");
        }
        Instant at = run.occurredAt();
        for (String field : List.of("completed_at", "started_at", "created_at")) {
            if (job.path(field).isTextual()) {
                at = OffsetDateTime.parse(job.path(field).asText()).toInstant();
                break;
            }
        }
        ObjectNode copy = job.deepCopy();
        if (!copy.path("workflow_name").isTextual()) {
            copy.set("workflow_name", run.payload().path("workflow_run").path("name"));
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("action", "completed");
        payload.set("workflow_job", copy);
        for (String part : List.of("repository", "organization", "installation", "sender")) {
            if (run.payload().path(part).isObject()) {
                payload.set(part, run.payload().path(part).deepCopy());
            }
        }
        return new GitHubEvent(
                "github-job-" + id + "-" + job.path("run_attempt").asInt(1) + "-completed",
                EventSource.POLL,
                "workflow_job",
                "completed",
                run.repo(),
                run.org(),
                run.installationId(),
                at,
                receivedAt,
                payload);
    }

    private static ObjectNode workflowRunPayload(String action, JsonNode run) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("action", action);
        payload.set("workflow_run", run.deepCopy());
        ObjectNode workflow = payload.putObject("workflow");
        workflow.set("id", run.path("workflow_id"));
        workflow.set("name", run.path("name"));
        workflow.set("path", run.path("path"));
        if (run.path("repository").isObject()) {
            payload.set("repository", run.path("repository").deepCopy());
        }
        JsonNode sender =
                run.path("triggering_actor").isObject()
                        ? run.path("triggering_actor")
                        : run.path("actor");
        if (sender.isObject()) {
            payload.set("sender", sender.deepCopy());
        }
        return payload;
    }

    /**
     * What an issue or a pull request from the issues or pulls list says happened since {@code
     * since}: it was opened (created since) and, if closed since, closed, as {@code issues} or
     * {@code pull_request} events shaped like their webhooks (see the README for what such a
     * payload has and lacks). Their ids name the item and the happening ({@code
     * github-issue-<id>-opened}, {@code github-pull-<id>-closed-<closed_at>}), and {@code
     * EventFingerprint} recognises the feed's and the webhook's copies of the same happening. Other
     * changes (labels, edits, comments) come from the event feed.
     *
     * @param kind {@code issues} for an issue, {@code pull_request} for a pull request
     * @param repository the repository as {@code GET /repos/{owner}/{repo}} answers it
     * @param closer who closed the item ({@code closed_by} of the issue), or null when unknown
     * @throws IllegalArgumentException naming the item, when it lacks what an event needs
     */
    public static List<GitHubEvent> itemChanges(
            String repo,
            String kind,
            JsonNode item,
            Instant since,
            Instant receivedAt,
            JsonNode repository,
            JsonNode closer) {
        long id = item.path("id").asLong(-1);
        long number = item.path("number").asLong(-1);
        if (id < 0 || number < 0 || !item.path("created_at").isTextual()) {
            throw new IllegalArgumentException(
                    kind + " item " + repo + "#" + number + " without id, number or created_at");
        }
        String prefix = kind.equals("pull_request") ? "github-pull-" : "github-issue-";
        List<GitHubEvent> events = new ArrayList<>();
        Instant created = OffsetDateTime.parse(item.path("created_at").asText()).toInstant();
        if (!created.isBefore(since)) {
            events.add(
                    itemEvent(
                            prefix + id + "-opened",
                            repo,
                            kind,
                            "opened",
                            item,
                            created,
                            receivedAt,
                            repository,
                            item.path("user")));
        }
        Instant closed = closedAt(item);
        if (closed != null && !closed.isBefore(since)) {
            events.add(
                    itemEvent(
                            prefix + id + "-closed-" + closed.getEpochSecond(),
                            repo,
                            kind,
                            "closed",
                            item,
                            closed,
                            receivedAt,
                            repository,
                            closer));
        }
        return events;
    }

    /** When a closed item was closed, or null for an open one. */
    public static Instant closedAt(JsonNode item) {
        if (!"closed".equals(item.path("state").asText()) || !item.path("closed_at").isTextual()) {
            return null;
        }
        return OffsetDateTime.parse(item.path("closed_at").asText()).toInstant();
    }

    private static GitHubEvent itemEvent(
            String eventId,
            String repo,
            String kind,
            String action,
            JsonNode item,
            Instant at,
            Instant receivedAt,
            JsonNode repository,
            JsonNode sender) {
        boolean pull = kind.equals("pull_request");
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("action", action);
        if (pull) {
            payload.put("number", item.path("number").asLong());
        }
        ObjectNode copy = item.deepCopy();
        if (pull) {
            withMerged(copy);
        }
        payload.set(pull ? "pull_request" : "issue", copy);
        if (repository != null && repository.isObject()) {
            payload.set("repository", repository.deepCopy());
        } else {
            int slash = repo.indexOf('/');
            ObjectNode minimal = payload.putObject("repository");
            minimal.put("name", repo.substring(slash + 1));
            minimal.put("full_name", repo);
            minimal.putObject("owner").put("login", repo.substring(0, slash));
        }
        JsonNode owner = payload.path("repository").path("owner");
        String org = null;
        if ("Organization".equals(owner.path("type").asText())) {
            payload.set("organization", owner.deepCopy());
            org = owner.path("login").asText().toLowerCase(Locale.ROOT);
        }
        if (sender != null && sender.isObject()) {
            payload.set("sender", sender.deepCopy());
        }
        return new GitHubEvent(
                eventId, EventSource.POLL, kind, action, repo, org, null, at, receivedAt, payload);
    }

    /**
     * A webhook's pull request says {@code merged}; the pulls list (and older feed entries) only
     * {@code merged_at}, which GitHub sets exactly when it merges.
     */
    static void withMerged(ObjectNode pull) {
        if (!pull.has("merged") && pull.has("merged_at")) {
            pull.put("merged", pull.path("merged_at").isTextual());
        }
    }

    /** The feed's {@code IssueCommentEvent} is the webhook's {@code issue_comment}, and so on. */
    public static String webhookName(String feedType) {
        return FeedVocabulary.webhookEvent(feedType);
    }

    /**
     * The {@code type} a webhook's {@code sender} has, for a feed {@code actor}, which has none:
     * GitHub Apps act as {@code <slug>[bot]} accounts ({@code dependabot[bot]}, {@code
     * github-actions[bot]}), of type {@code Bot}; every other actor is a {@code User}
     * (organisations do not act).
     */
    static String accountType(String login) {
        return login.endsWith("[bot]") ? "Bot" : "User";
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
