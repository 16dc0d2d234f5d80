package io.repostream.flink.prediction;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.time.Instant;

/**
 * Workflow run, pull request and review events built from GitHub's real example payloads, with the
 * fields the predictor reads set to what a test needs.
 */
final class BuildEvents {
    private BuildEvents() {}

    /** A workflow run event; {@code conclusion} is written into the payload whatever the action. */
    static GitHubEvent run(
            String action,
            String repo,
            long runId,
            int attempt,
            String sha,
            String actor,
            long pr,
            String conclusion,
            Instant at) {
        ObjectNode payload =
                Events.example("workflow_run", "requested".equals(action) ? action : "completed");
        payload.put("action", action);
        ObjectNode run = (ObjectNode) payload.get("workflow_run");
        run.put("id", runId);
        run.put("workflow_id", 7001);
        run.put("run_attempt", attempt);
        run.put("head_sha", sha);
        run.put("status", "completed".equals(action) ? "completed" : "queued");
        if (conclusion == null) {
            run.putNull("conclusion");
        } else {
            run.put("conclusion", conclusion);
        }
        run.putObject("actor").put("login", actor).put("type", "User");
        ArrayNode prs = run.putArray("pull_requests");
        if (pr > 0) {
            prs.addObject().put("number", pr);
        }
        ((ObjectNode) payload.get("repository")).put("full_name", repo);
        return event(
                "workflow_run",
                action,
                repo,
                payload,
                at,
                "run-" + runId + "-" + attempt + "-" + action);
    }

    static GitHubEvent started(
            String repo, long runId, String sha, String actor, long pr, Instant at) {
        return run("requested", repo, runId, 1, sha, actor, pr, null, at);
    }

    static GitHubEvent completed(
            String repo,
            long runId,
            String sha,
            String actor,
            long pr,
            String conclusion,
            Instant at) {
        return run("completed", repo, runId, 1, sha, actor, pr, conclusion, at);
    }

    /** A pull request event ({@code opened}, {@code synchronize}, {@code closed}, ...). */
    static GitHubEvent pullRequest(
            String action,
            String repo,
            long number,
            String sha,
            String sender,
            int additions,
            int deletions,
            Instant createdAt,
            Instant at) {
        ObjectNode payload = Events.example("pull_request", "opened");
        payload.put("action", action);
        ObjectNode pr = (ObjectNode) payload.get("pull_request");
        pr.put("number", number);
        pr.put("commits", 2);
        pr.put("additions", additions);
        pr.put("deletions", deletions);
        pr.put("changed_files", 3);
        pr.put("created_at", createdAt.toString());
        ((ObjectNode) pr.get("head")).put("sha", sha);
        ((ObjectNode) payload.get("sender")).put("login", sender);
        ((ObjectNode) payload.get("repository")).put("full_name", repo);
        return event(
                "pull_request",
                action,
                repo,
                payload,
                at,
                "pr-" + repo + "#" + number + "-" + action + "-" + at.toEpochMilli());
    }

    /** A submitted review ({@code approved}, {@code commented}, ...) of {@code repo#number}. */
    static GitHubEvent review(String repo, long number, String state, Instant at) {
        ObjectNode payload = Events.example("pull_request_review", "submitted");
        ((ObjectNode) payload.get("review")).put("state", state);
        ((ObjectNode) payload.get("pull_request")).put("number", number);
        ((ObjectNode) payload.get("repository")).put("full_name", repo);
        return event(
                "pull_request_review",
                "submitted",
                repo,
                payload,
                at,
                "review-" + repo + "#" + number + "-" + at.toEpochMilli());
    }

    private static GitHubEvent event(
            String type,
            String action,
            String repo,
            com.fasterxml.jackson.databind.JsonNode payload,
            Instant at,
            String id) {
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
}
