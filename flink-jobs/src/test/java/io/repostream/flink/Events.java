package io.repostream.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Test events built from GitHub's real example payloads (@octokit/webhooks-examples), with the
 * repository, number, labels and author set to what a test needs.
 */
public final class Events {
    public static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private Events() {}

    /** An {@code issues} event with {@code action} on {@code repo#number}. */
    public static GitHubEvent issue(
            String action, String repo, long number, List<String> labels, Instant at) {
        ObjectNode payload = example("issues", "opened");
        payload.put("action", action);
        ObjectNode issue = (ObjectNode) payload.get("issue");
        issue.put("number", number);
        issue.put("created_at", at.toString());
        ArrayNode names = issue.putArray("labels");
        for (String label : labels) {
            names.addObject().put("name", label).put("color", "ededed");
        }
        ((ObjectNode) payload.get("repository")).put("full_name", repo);
        return event(
                "issues",
                action,
                repo,
                payload,
                at,
                "issues-" + action + "-" + repo + "#" + number);
    }

    /** A comment on {@code repo#number} by {@code login} ({@code userType} User or Bot). */
    public static GitHubEvent comment(
            String repo, long number, String login, String userType, Instant at) {
        ObjectNode payload = example("issue_comment", "created");
        ((ObjectNode) payload.get("issue")).put("number", number);
        ObjectNode user = (ObjectNode) payload.get("comment").get("user");
        user.put("login", login);
        user.put("type", userType);
        ((ObjectNode) payload.get("repository")).put("full_name", repo);
        return event(
                "issue_comment",
                "created",
                repo,
                payload,
                at,
                "comment-" + repo + "#" + number + "-" + login + "-" + at.toEpochMilli());
    }

    /** A completed workflow run; {@code pr} 0 for a run without a pull request. */
    public static GitHubEvent workflowRun(
            String repo,
            String workflow,
            long runId,
            String sha,
            String conclusion,
            int attempt,
            long pr,
            Instant at) {
        ObjectNode payload = example("workflow_run", "completed");
        ObjectNode run = (ObjectNode) payload.get("workflow_run");
        run.put("id", runId);
        run.put("name", workflow);
        run.put("head_sha", sha);
        run.put("conclusion", conclusion);
        run.put("status", "completed");
        run.put("run_attempt", attempt);
        ArrayNode prs = run.putArray("pull_requests");
        if (pr > 0) {
            prs.addObject().put("number", pr);
        }
        ((ObjectNode) payload.get("repository")).put("full_name", repo);
        return event(
                "workflow_run",
                "completed",
                repo,
                payload,
                at,
                "run-" + runId + "-" + attempt + "-" + conclusion);
    }

    /** A completed workflow job of run {@code runId}, with the named steps failed. */
    public static GitHubEvent workflowJob(
            String repo,
            String workflow,
            long runId,
            String job,
            String conclusion,
            List<String> failedSteps,
            Instant at) {
        ObjectNode payload = example("workflow_job", "completed");
        ObjectNode wj = (ObjectNode) payload.get("workflow_job");
        wj.put("run_id", runId);
        wj.put("workflow_name", workflow);
        wj.put("name", job);
        wj.put("conclusion", conclusion);
        ArrayNode steps = wj.putArray("steps");
        steps.addObject().put("name", "Set up job").put("conclusion", "success");
        for (String step : failedSteps) {
            steps.addObject().put("name", step).put("conclusion", "failure");
        }
        ((ObjectNode) payload.get("repository")).put("full_name", repo);
        return event(
                "workflow_job",
                "completed",
                repo,
                payload,
                at,
                "job-" + runId + "-" + job + "-" + at);
    }

    /** The same event under another delivery id, as the poller would deliver it. */
    public static GitHubEvent redelivered(GitHubEvent event, String eventId) {
        return new GitHubEvent(
                eventId,
                EventSource.POLL,
                event.type(),
                event.action(),
                event.repo(),
                event.org(),
                event.installationId(),
                event.occurredAt(),
                event.receivedAt(),
                event.payload());
    }

    /** Sets the issue's author. */
    public static GitHubEvent authoredBy(GitHubEvent event, String login) {
        ObjectNode payload = event.payload().deepCopy();
        ((ObjectNode) payload.get("issue").get("user")).put("login", login);
        return new GitHubEvent(
                event.eventId(),
                event.source(),
                event.type(),
                event.action(),
                event.repo(),
                event.org(),
                event.installationId(),
                event.occurredAt(),
                event.receivedAt(),
                payload);
    }

    static GitHubEvent event(
            String type, String action, String repo, JsonNode payload, Instant at, String id) {
        return new GitHubEvent(
                id,
                EventSource.WEBHOOK,
                type,
                action,
                repo,
                null,
                42L,
                at,
                at.plusMillis(300),
                payload);
    }

    /** A mutable copy of the first real example of {@code event}.{@code action}. */
    public static ObjectNode example(String event, String action) {
        try {
            return (ObjectNode) Json.mapper().readTree(WebhookExamples.first(event, action).json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
