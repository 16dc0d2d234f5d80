package io.repostream.flink.rules.lifecycle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Events about one item for the lifecycle rule, each from GitHub's real example payload of its type
 * and action (@octokit/webhooks-examples), with the item's number, labels, author and the acting
 * account set; no assignee and no milestone unless a test adds them.
 */
final class LifecycleEvents {
    static final String REPO = "octo-org/widgets";
    static final String AUTHOR = "octo-author";
    static final String MAINTAINER = "octo-maintainer";

    private LifecycleEvents() {}

    /** {@code type.action} on {@code #number} by {@code login} (of type {@code userType}). */
    static GitHubEvent event(
            String type,
            String action,
            long number,
            Instant at,
            String login,
            String userType,
            List<String> labels) {
        return event(type, action, number, at, login, userType, labels, item -> {});
    }

    static GitHubEvent event(
            String type,
            String action,
            long number,
            Instant at,
            String login,
            String userType,
            List<String> labels,
            Consumer<ObjectNode> change) {
        boolean closed = action.equals("closed");
        ObjectNode payload =
                Events.example(
                        type,
                        type.equals("issues") && closed
                                ? "opened"
                                : type.equals("issue_comment") ? "created" : action);
        payload.put("action", action);
        ObjectNode item =
                (ObjectNode)
                        (payload.has("issue") ? payload.get("issue") : payload.get("pull_request"));
        item.put("number", number);
        item.put("state", closed ? "closed" : "open");
        ((ObjectNode) item.get("user")).put("login", AUTHOR);
        ArrayNode names = item.putArray("labels");
        labels.forEach(l -> names.addObject().put("name", l).put("color", "ededed"));
        item.putArray("assignees");
        item.putNull("assignee");
        item.putNull("milestone");
        change.accept(item);
        for (String who : List.of("sender", "comment", "review")) {
            ObjectNode user =
                    who.equals("sender")
                            ? (ObjectNode) payload.get("sender")
                            : payload.has(who) ? (ObjectNode) payload.get(who).get("user") : null;
            if (user != null) {
                user.put("login", login);
                user.put("type", userType);
            }
        }
        ((ObjectNode) payload.get("repository")).put("full_name", REPO);
        return new GitHubEvent(
                type + "-" + action + "-" + number + "@" + at,
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

    /**
     * {@code issues.labeled}: {@code label} added by {@code login}, the item then has {@code
     * labels}.
     */
    static GitHubEvent labeled(
            long number, Instant at, String login, String label, List<String> labels) {
        GitHubEvent e = event("issues", "labeled", number, at, login, "User", labels);
        ((ObjectNode) e.payload().get("label")).put("name", label);
        return e;
    }
}
