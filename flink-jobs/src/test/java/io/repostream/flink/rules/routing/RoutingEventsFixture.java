package io.repostream.flink.rules.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Events for the routing rule, each from GitHub's real example payload of its type and action
 * (@octokit/webhooks-examples) with the item, the people and the repository set; one installation
 * (42) holds both repositories. The answer of a read is the event the executor's {@code
 * ReadProcessor} writes.
 */
final class RoutingEventsFixture {
    static final String REPO = "octo-org/widgets";
    static final String OTHER = "octo-org/gadgets";
    static final long INSTALLATION = 42L;

    private static final java.util.concurrent.atomic.AtomicLong IDS =
            new java.util.concurrent.atomic.AtomicLong();

    private RoutingEventsFixture() {}

    /** {@code issues.<action>} on {@code repo#number}, opened by {@code author}. */
    static GitHubEvent issue(
            String repo,
            String action,
            long number,
            Instant at,
            String author,
            List<String> labels) {
        ObjectNode payload = Events.example("issues", exampleOf("issues", action));
        payload.put("action", action);
        ObjectNode issue = (ObjectNode) payload.get("issue");
        item(issue, number, author, labels, action.equals("closed") ? "closed" : "open");
        ((ObjectNode) payload.get("sender")).put("login", author);
        return event(repo, "issues", action, at, payload);
    }

    /** {@code issues.assigned} of {@code login} to {@code repo#number}. */
    static GitHubEvent assigned(String repo, long number, Instant at, String login) {
        ObjectNode payload = Events.example("issues", "assigned");
        item((ObjectNode) payload.get("issue"), number, "someone", List.of("bug"), "open");
        ((ObjectNode) payload.get("issue")).putArray("assignees").addObject().put("login", login);
        ((ObjectNode) payload.get("assignee")).put("login", login).put("type", "User");
        return event(repo, "issues", "assigned", at, payload);
    }

    /** {@code pull_request.<action>} on {@code REPO#number} by {@code author}. */
    static GitHubEvent pull(
            String action,
            long number,
            Instant at,
            String author,
            List<String> labels,
            Consumer<ObjectNode> change) {
        ObjectNode payload = Events.example("pull_request", exampleOf("pull_request", action));
        payload.put("action", action);
        ObjectNode pr = (ObjectNode) payload.get("pull_request");
        item(pr, number, author, labels, action.equals("closed") ? "closed" : "open");
        pr.put("draft", false);
        pr.put("merged", false);
        pr.putArray("requested_reviewers");
        change.accept(pr);
        ((ObjectNode) payload.get("sender")).put("login", author);
        return event(REPO, "pull_request", action, at, payload);
    }

    /** {@code pull_request.closed}, merged, titled {@code title}. */
    static GitHubEvent merged(
            long number, Instant at, String author, String title, List<String> labels) {
        return pull(
                "closed",
                number,
                at,
                author,
                labels,
                pr -> pr.put("merged", true).put("title", title));
    }

    /** {@code pull_request_review.submitted} by {@code login} on {@code REPO#number}. */
    static GitHubEvent review(long number, Instant at, String login) {
        ObjectNode payload = Events.example("pull_request_review", "submitted");
        item((ObjectNode) payload.get("pull_request"), number, "someone", List.of(), "open");
        ((ObjectNode) payload.get("review").get("user")).put("login", login).put("type", "User");
        return event(REPO, "pull_request_review", "submitted", at, payload);
    }

    /** {@code issue_comment.created} by {@code login} on {@code REPO#number}. */
    static GitHubEvent comment(long number, Instant at, String login) {
        ObjectNode payload = Events.example("issue_comment", "created");
        item((ObjectNode) payload.get("issue"), number, "someone", List.of("bug"), "open");
        ((ObjectNode) payload.get("comment").get("user")).put("login", login).put("type", "User");
        return event(REPO, "issue_comment", "created", at, payload);
    }

    /** A push of one commit by {@code login} to {@code branch}, changing {@code files}. */
    static GitHubEvent push(Instant at, String branch, String login, String... files) {
        ObjectNode payload = Events.example("push", null);
        payload.put("ref", "refs/heads/" + branch);
        payload.put(
                "after", "6113728f27ae82c7b1a177c8d03f9e96e0adf24" + (at.getEpochSecond() % 10));
        ArrayNode commits = payload.putArray("commits");
        ObjectNode commit = commits.addObject();
        commit.put("id", payload.get("after").asText());
        commit.putObject("author").put("name", login).put("username", login);
        ArrayNode modified = commit.putArray("modified");
        for (String f : files) {
            modified.add(f);
        }
        commit.putArray("added");
        commit.putArray("removed");
        return event(REPO, "push", null, at, payload);
    }

    /**
     * The answer to {@code read} as the executor writes it: {@code outcome} {@code read} with
     * GitHub's content object and its {@code text}, or {@code failed} with {@code status}.
     */
    static GitHubEvent answer(ActionRecord read, Instant at, int status, String text) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        ObjectNode e = payload.putObject("enrichment");
        e.put("read", read.type().wireName());
        e.put("action_id", read.actionId());
        e.put("requested_by", read.producedBy());
        e.set("params", read.params());
        String outcome = status == 200 ? "read" : "failed";
        e.put("outcome", outcome);
        e.put("status", status);
        e.put("from_cache", false);
        if (status == 200) {
            ObjectNode result = e.putObject("result");
            result.put("type", "file");
            result.put("path", read.params().path("path").asText());
            result.put("encoding", "base64");
            result.put(
                    "content",
                    java.util.Base64.getEncoder()
                            .encodeToString(
                                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            result.put("text", text);
        } else {
            e.put("error", "Not Found");
        }
        return new GitHubEvent(
                "enrichment:" + read.actionId(),
                EventSource.ENRICHMENT,
                read.type().wireName(),
                outcome,
                read.repo(),
                null,
                read.installationId(),
                at,
                at,
                payload);
    }

    private static String exampleOf(String type, String action) {
        return switch (action) {
            case "closed", "reopened", "edited" -> type.equals("issues") ? "opened" : action;
            default -> action;
        };
    }

    private static void item(
            ObjectNode item, long number, String author, List<String> labels, String state) {
        item.put("number", number);
        item.put("state", state);
        ((ObjectNode) item.get("user")).put("login", author).put("type", "User");
        ArrayNode names = item.putArray("labels");
        labels.forEach(l -> names.addObject().put("name", l));
        item.putArray("assignees");
    }

    private static GitHubEvent event(
            String repo, String type, String action, Instant at, ObjectNode payload) {
        ObjectNode repository = (ObjectNode) payload.get("repository");
        repository.put("full_name", repo).put("default_branch", "main");
        return new GitHubEvent(
                type + "-" + action + "-" + repo + "@" + at + "-" + IDS.incrementAndGet(),
                EventSource.WEBHOOK,
                type,
                action,
                repo,
                null,
                INSTALLATION,
                at,
                at.plusMillis(300),
                payload);
    }
}
