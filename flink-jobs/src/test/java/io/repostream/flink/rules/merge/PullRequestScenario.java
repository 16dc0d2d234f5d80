package io.repostream.flink.rules.merge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One pull request and what happens to it, as GitHub's webhooks tell it: every event is a real
 * example payload (@octokit/webhooks-examples) with the pull request's current number, head, base,
 * labels, draft flag, mergeability and size written in, one second after the previous event.
 */
public final class PullRequestScenario {
    public static final String REPO = "octo-org/widgets";
    public static final String SHA_1 = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    static final String SHA_2 = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

    public long number = 2;
    String head = SHA_1;
    String base = "main";
    List<String> labels = new ArrayList<>(List.of("automerge"));
    boolean draft;
    Boolean mergeable = true;
    int additions = 10;
    int deletions = 5;
    public Instant clock = Events.T0;
    private int sequence;

    /** The next event's time (each one second after the last). */
    private Instant tick() {
        clock = clock.plusSeconds(1);
        return clock;
    }

    private ObjectNode pullRequestJson(ObjectNode payload) {
        ObjectNode pr = (ObjectNode) payload.get("pull_request");
        pr.put("number", number);
        pr.put("state", "open");
        pr.put("draft", draft);
        if (mergeable == null) {
            pr.putNull("mergeable");
        } else {
            pr.put("mergeable", mergeable);
        }
        pr.put("additions", additions);
        pr.put("deletions", deletions);
        ((ObjectNode) pr.get("head")).put("sha", head);
        ((ObjectNode) pr.get("base")).put("ref", base);
        ArrayNode names = pr.putArray("labels");
        for (String label : labels) {
            names.addObject().put("name", label).put("color", "ededed");
        }
        return pr;
    }

    /** A {@code pull_request} event with {@code action}, the pull request as it is now. */
    public GitHubEvent pullRequest(String action) {
        String example =
                switch (action) {
                    case "opened",
                            "closed",
                            "labeled",
                            "unlabeled",
                            "synchronize",
                            "ready_for_review",
                            "converted_to_draft",
                            "reopened" ->
                            action;
                    default -> "opened";
                };
        ObjectNode payload = Events.example("pull_request", example);
        payload.put("action", action);
        ObjectNode pr = pullRequestJson(payload);
        if (action.equals("closed")) {
            pr.put("state", "closed");
        }
        return event("pull_request", action, payload);
    }

    /**
     * A review by {@code login}: {@code approved}, {@code changes_requested}, {@code commented}.
     */
    public GitHubEvent review(String login, String state, long reviewId) {
        ObjectNode payload = Events.example("pull_request_review", "submitted");
        pullRequestJson(payload);
        ObjectNode review = (ObjectNode) payload.get("review");
        review.put("id", reviewId);
        review.put("state", state);
        review.put("commit_id", head);
        ((ObjectNode) review.get("user")).put("login", login);
        return event("pull_request_review", "submitted", payload);
    }

    /** Review {@code reviewId} of {@code login} dismissed. */
    GitHubEvent dismissed(String login, long reviewId) {
        ObjectNode payload = Events.example("pull_request_review", "dismissed");
        pullRequestJson(payload);
        ObjectNode review = (ObjectNode) payload.get("review");
        review.put("id", reviewId);
        review.put("state", "dismissed");
        ((ObjectNode) review.get("user")).put("login", login);
        return event("pull_request_review", "dismissed", payload);
    }

    /** A completed check run on the head with {@code conclusion} and output title. */
    public GitHubEvent checkRun(String name, String conclusion, String title) {
        return checkRun(name, "completed", conclusion, title, 118578147L);
    }

    GitHubEvent checkRun(String name, String status, String conclusion, String title, long suite) {
        ObjectNode payload =
                Events.example("check_run", status.equals("completed") ? "completed" : "created");
        ObjectNode run = (ObjectNode) payload.get("check_run");
        run.put("name", name);
        run.put("head_sha", head);
        run.put("status", status);
        if (conclusion == null) {
            run.putNull("conclusion");
        } else {
            run.put("conclusion", conclusion);
        }
        ObjectNode output = (ObjectNode) run.get("output");
        if (title == null) {
            output.putNull("title");
        } else {
            output.put("title", title);
        }
        ((ObjectNode) run.get("check_suite")).put("id", suite).put("head_sha", head);
        return event("check_run", status.equals("completed") ? "completed" : "created", payload);
    }

    /** The check suite {@code suite} of the head, with {@code action}. */
    GitHubEvent checkSuite(String action, long suite) {
        ObjectNode payload = Events.example("check_suite", "completed");
        payload.put("action", action);
        ObjectNode s = (ObjectNode) payload.get("check_suite");
        s.put("id", suite);
        s.put("head_sha", head);
        return event("check_suite", action, payload);
    }

    /** A commit status on the head. */
    GitHubEvent status(String context, String state, String description) {
        ObjectNode payload = Events.example("status", null);
        payload.put("sha", head);
        payload.put("context", context);
        payload.put("state", state);
        if (description == null) {
            payload.putNull("description");
        } else {
            payload.put("description", description);
        }
        return event("status", null, payload);
    }

    /** A completed workflow run on the head. */
    GitHubEvent workflowRun(String name, String conclusion) {
        ObjectNode payload = Events.example("workflow_run", "completed");
        ObjectNode run = (ObjectNode) payload.get("workflow_run");
        run.put("name", name);
        run.put("head_sha", head);
        run.put("status", "completed");
        run.put("conclusion", conclusion);
        return event("workflow_run", "completed", payload);
    }

    private GitHubEvent event(String type, String action, ObjectNode payload) {
        ((ObjectNode) payload.get("repository")).put("full_name", REPO);
        Instant at = tick();
        return new GitHubEvent(
                type + "-" + (++sequence),
                EventSource.WEBHOOK,
                type,
                action,
                REPO,
                null,
                42L,
                at,
                at.plusMillis(300),
                payload);
    }

    /** The same event at an earlier time (delivered late). */
    static GitHubEvent at(GitHubEvent event, Instant when) {
        return new GitHubEvent(
                event.eventId() + "-late",
                event.source(),
                event.type(),
                event.action(),
                event.repo(),
                event.org(),
                event.installationId(),
                when,
                event.receivedAt(),
                event.payload());
    }
}
