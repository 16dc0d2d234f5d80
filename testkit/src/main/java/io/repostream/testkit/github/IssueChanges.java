package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every change to an issue or pull request, whoever makes it: the REST routes (which record a
 * mutation) and the test-facing "as a human" methods (which do not). Each change updates {@code
 * updated_at} and appends to the repository's event feed, so pollers and rollback checks see humans
 * and robots alike. Callers hold the state's lock.
 */
final class IssueChanges {
    private static final String DEFAULT_LABEL_COLOR = "ededed";

    private final SimulatedGitHub state;
    private final GitHubJson json;

    IssueChanges(SimulatedGitHub state, GitHubJson json) {
        this.state = state;
        this.json = json;
    }

    SimulatedIssue open(
            SimulatedRepo repo,
            String title,
            String body,
            String author,
            SimulatedPull pull,
            boolean viaApi) {
        return open(repo, title, body, author, pull, viaApi, List.of());
    }

    /**
     * Opens an issue that has {@code labels} from the start, as GitHub does when they come with the
     * create request: the {@code opened} event already shows them, and a {@code labeled} event per
     * label follows.
     */
    SimulatedIssue open(
            SimulatedRepo repo,
            String title,
            String body,
            String author,
            SimulatedPull pull,
            boolean viaApi,
            List<String> labels) {
        state.user(author);
        Instant now = touch(repo);
        SimulatedIssue issue =
                new SimulatedIssue(
                        state.nextId(), repo.nextNumber(), title, body, author, now, pull);
        repo.issues.put(issue.number, issue);
        List<SimulatedLabel> attached = new java.util.ArrayList<>();
        for (String name : labels) {
            if (issue.label(name).isEmpty()) {
                SimulatedLabel label =
                        repo.label(name).orElseGet(() -> defineLabel(repo, name, null));
                issue.labels.add(label);
                attached.add(label);
            }
        }
        if (viaApi) {
            state.recordMutation(repo, issue.number, "created");
        }
        event(repo, issue, "opened", author, null);
        for (SimulatedLabel label : attached) {
            event(repo, issue, "labeled", author, e -> e.set("label", json.label(repo, label)));
        }
        return issue;
    }

    /** Adds a label, defining it in the repository first if needed (GitHub does the same). */
    boolean addLabel(
            SimulatedRepo repo, SimulatedIssue issue, String name, String actor, boolean viaApi) {
        if (issue.label(name).isPresent()) {
            return false;
        }
        SimulatedLabel label = repo.label(name).orElseGet(() -> defineLabel(repo, name, null));
        issue.labels.add(label);
        changed(repo, issue);
        if (viaApi) {
            state.recordMutation(repo, issue.number, "+label:" + label.name());
        }
        event(repo, issue, "labeled", actor, e -> e.set("label", json.label(repo, label)));
        return true;
    }

    boolean removeLabel(
            SimulatedRepo repo, SimulatedIssue issue, String name, String actor, boolean viaApi) {
        Optional<SimulatedLabel> label = issue.label(name);
        if (label.isEmpty()) {
            return false;
        }
        issue.labels.remove(label.get());
        changed(repo, issue);
        if (viaApi) {
            state.recordMutation(repo, issue.number, "-label:" + label.get().name());
        }
        event(repo, issue, "unlabeled", actor, e -> e.set("label", json.label(repo, label.get())));
        return true;
    }

    SimulatedLabel defineLabel(SimulatedRepo repo, String name, String color) {
        SimulatedLabel label =
                new SimulatedLabel(
                        state.nextId(), name, color == null ? DEFAULT_LABEL_COLOR : color, null);
        repo.putLabel(label);
        return label;
    }

    /**
     * Opens or closes. Closing without a reason means {@code completed}; reopening sets {@code
     * reopened}, as GitHub does.
     */
    boolean setState(
            SimulatedRepo repo,
            SimulatedIssue issue,
            String newState,
            String reason,
            String actor,
            boolean viaApi) {
        if (newState.equals(issue.state)) {
            if (reason != null && !issue.isOpen() && !reason.equals(issue.stateReason)) {
                issue.stateReason = reason;
                changed(repo, issue);
            }
            return false;
        }
        Instant now = changed(repo, issue);
        issue.state = newState;
        if (issue.isOpen()) {
            issue.stateReason = "reopened";
            issue.closedAt = null;
            issue.closedBy = null;
        } else {
            issue.stateReason = reason == null ? "completed" : reason;
            issue.closedAt = now;
            issue.closedBy = actor;
        }
        if (viaApi) {
            state.recordMutation(repo, issue.number, "state:" + newState);
        }
        event(repo, issue, issue.isOpen() ? "reopened" : "closed", actor, null);
        return true;
    }

    SimulatedComment comment(
            SimulatedRepo repo, SimulatedIssue issue, String body, String actor, boolean viaApi) {
        state.user(actor);
        Instant now = changed(repo, issue);
        SimulatedComment comment =
                new SimulatedComment(state.nextId(), issue.number, actor, body, now);
        repo.comments.put(comment.id, comment);
        issue.comments++;
        if (viaApi) {
            state.recordMutation(repo, issue.number, "+comment:" + comment.id);
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("action", "created");
        payload.set("issue", json.issue(repo, issue));
        payload.set("comment", json.comment(repo, comment));
        state.recordEvent(repo, "IssueCommentEvent", actor, payload);
        return comment;
    }

    void editComment(SimulatedRepo repo, SimulatedComment comment, String body, boolean viaApi) {
        comment.body = body;
        comment.updatedAt = state.now();
        touch(repo);
        if (viaApi) {
            state.recordMutation(repo, comment.issueNumber, "~comment:" + comment.id);
        }
    }

    void deleteComment(SimulatedRepo repo, SimulatedComment comment, boolean viaApi) {
        repo.comments.remove(comment.id);
        SimulatedIssue issue = repo.issues.get(comment.issueNumber);
        if (issue != null) {
            issue.comments--;
            changed(repo, issue);
        }
        if (viaApi) {
            state.recordMutation(repo, comment.issueNumber, "-comment:" + comment.id);
        }
    }

    boolean addAssignee(
            SimulatedRepo repo, SimulatedIssue issue, String login, String actor, boolean viaApi) {
        String canonical = state.user(login).login();
        if (!issue.assignees.add(canonical)) {
            return false;
        }
        changed(repo, issue);
        if (viaApi) {
            state.recordMutation(repo, issue.number, "+assignee:" + canonical);
        }
        event(repo, issue, "assigned", actor, e -> e.set("assignee", json.user(canonical)));
        return true;
    }

    boolean removeAssignee(
            SimulatedRepo repo, SimulatedIssue issue, String login, String actor, boolean viaApi) {
        String canonical =
                issue.assignees.stream()
                        .filter(a -> a.equalsIgnoreCase(login))
                        .findFirst()
                        .orElse(null);
        if (canonical == null) {
            return false;
        }
        issue.assignees.remove(canonical);
        changed(repo, issue);
        if (viaApi) {
            state.recordMutation(repo, issue.number, "-assignee:" + canonical);
        }
        event(repo, issue, "unassigned", actor, e -> e.set("assignee", json.user(canonical)));
        return true;
    }

    void setTitle(
            SimulatedRepo repo, SimulatedIssue issue, String title, String actor, boolean viaApi) {
        if (title.equals(issue.title)) {
            return;
        }
        issue.title = title;
        changed(repo, issue);
        if (viaApi) {
            state.recordMutation(repo, issue.number, "title");
        }
        event(repo, issue, "edited", actor, null);
    }

    void setBody(
            SimulatedRepo repo, SimulatedIssue issue, String body, String actor, boolean viaApi) {
        if (java.util.Objects.equals(body, issue.body)) {
            return;
        }
        issue.body = body;
        changed(repo, issue);
        if (viaApi) {
            state.recordMutation(repo, issue.number, "body");
        }
        event(repo, issue, "edited", actor, null);
    }

    Instant changed(SimulatedRepo repo, SimulatedIssue issue) {
        Instant now = touch(repo);
        issue.updatedAt = now;
        return now;
    }

    private Instant touch(SimulatedRepo repo) {
        Instant now = state.now();
        repo.updatedAt = now;
        return now;
    }

    /** Issues appear as {@code IssuesEvent}, pull requests as {@code PullRequestEvent}. */
    void event(
            SimulatedRepo repo,
            SimulatedIssue issue,
            String action,
            String actor,
            java.util.function.Consumer<ObjectNode> details) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("action", action);
        if (issue.isPullRequest()) {
            payload.put("number", issue.number);
            payload.set("pull_request", json.pull(repo, issue, false));
        } else {
            payload.set("issue", json.issue(repo, issue));
        }
        if (details != null) {
            details.accept(payload);
        }
        state.recordEvent(
                repo, issue.isPullRequest() ? "PullRequestEvent" : "IssuesEvent", actor, payload);
    }
}
