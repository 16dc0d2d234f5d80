package io.repostream.flink.rules.completion;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Events of work on issues, each from GitHub's real example payload of its type and action
 * (@octokit/webhooks-examples) with the fields the scenario is about set: a pull request's title,
 * body, branches and merge; a push's branch, head and commits; a check's commit and conclusion; an
 * issue's labels; a comment's body and author association. Times are minutes after {@link
 * Events#T0}.
 */
final class WorkEvents {
    static final String REPO = "octo-org/widgets";
    static final String MERGE_SHA = "c4295bd74fb0f4fda03689c3df3f2803b658fd85";

    private WorkEvents() {}

    static Instant minute(double m) {
        return Events.T0.plus(Duration.ofSeconds(Math.round(m * 60)));
    }

    /** {@code pull_request.action} of #{@code number}, open unless the action closes it. */
    static GitHubEvent pullRequest(
            String action,
            long number,
            String title,
            String body,
            String head,
            String base,
            boolean merged,
            double at) {
        return pullRequest(action, number, title, body, head, base, merged, MERGE_SHA, at);
    }

    /** The same, merged (when it is) as commit {@code mergeSha}. */
    static GitHubEvent pullRequest(
            String action,
            long number,
            String title,
            String body,
            String head,
            String base,
            boolean merged,
            String mergeSha,
            double at) {
        // the examples have no pull_request.edited: an opened one, its action changed
        ObjectNode p = Events.example("pull_request", action.equals("edited") ? "opened" : action);
        p.put("action", action);
        ObjectNode pr = (ObjectNode) p.get("pull_request");
        pr.put("number", number);
        pr.put("title", title);
        pr.put("body", body);
        pr.put("state", action.equals("closed") ? "closed" : "open");
        pr.put("merged", merged);
        pr.put("merge_commit_sha", mergeSha);
        ((ObjectNode) pr.get("head")).put("ref", head);
        ((ObjectNode) pr.get("base")).put("ref", base);
        return event("pull_request", action, p, at, "pr-" + number + "-" + action);
    }

    /** A merged pull request #{@code number} whose body says {@code body}, from {@code head}. */
    static GitHubEvent merged(long number, String body, String head, String base, double at) {
        return pullRequest("closed", number, "Fix the login", body, head, base, true, at);
    }

    /** A push of one commit to {@code branch}, changing {@code paths}. */
    static GitHubEvent push(
            String branch, String sha, String message, List<String> paths, double at) {
        ObjectNode p = pushExample();
        p.put("ref", "refs/heads/" + branch);
        p.put("after", sha);
        p.put("deleted", false);
        ArrayNode commits = p.putArray("commits");
        ObjectNode commit = commits.addObject();
        commit.put("id", sha);
        commit.put("message", message);
        ArrayNode modified = commit.putArray("modified");
        paths.forEach(modified::add);
        commit.putArray("added");
        commit.putArray("removed");
        return event("push", null, p, at, "push-" + branch + "-" + sha);
    }

    /**
     * A push as a poller writes it: no commit list; {@code before} as in the example (all zeros: a
     * new branch).
     */
    static GitHubEvent polledPush(String branch, String sha, double at) {
        return polledPush(branch, null, sha, at);
    }

    /** A push as a poller writes it, from {@code before} (when not null) to {@code sha}. */
    static GitHubEvent polledPush(String branch, String before, String sha, double at) {
        ObjectNode p = pushExample();
        p.put("ref", "refs/heads/" + branch);
        if (before != null) {
            p.put("before", before);
        }
        p.put("after", sha);
        p.remove("commits");
        p.remove("head_commit");
        return event("push", null, p, at, "polled-push-" + sha);
    }

    static GitHubEvent checkSuite(String sha, String conclusion, double at) {
        ObjectNode p = Events.example("check_suite", "completed");
        ((ObjectNode) p.get("check_suite")).put("head_sha", sha).put("conclusion", conclusion);
        return event("check_suite", "completed", p, at, "suite-" + sha + "-" + at);
    }

    static GitHubEvent status(String sha, String state, double at) {
        ObjectNode p = Events.example("status", null);
        p.put("sha", sha);
        p.put("state", state);
        return event("status", null, p, at, "status-" + sha + "-" + at);
    }

    static GitHubEvent workflowRun(String sha, String conclusion, double at) {
        ObjectNode p = Events.example("workflow_run", "completed");
        ((ObjectNode) p.get("workflow_run")).put("head_sha", sha).put("conclusion", conclusion);
        return event("workflow_run", "completed", p, at, "run-" + sha + "-" + at);
    }

    /** {@code issues.action} of issue #{@code number} with {@code labels}. */
    static GitHubEvent issue(String action, long number, List<String> labels, double at) {
        ObjectNode p =
                Events.example(
                        "issues",
                        List.of("closed", "reopened").contains(action) ? "opened" : action);
        p.put("action", action);
        ObjectNode issue = (ObjectNode) p.get("issue");
        issue.put("number", number);
        issue.put("state", action.equals("closed") ? "closed" : "open");
        ArrayNode names = issue.putArray("labels");
        labels.forEach(l -> names.addObject().put("name", l));
        return event("issues", action, p, at, "issue-" + number + "-" + action + "-" + at);
    }

    /** A comment on issue #{@code number} by an account of {@code association} (OWNER, NONE). */
    static GitHubEvent comment(long number, String body, String association, double at) {
        ObjectNode p = Events.example("issue_comment", "created");
        ObjectNode issue = (ObjectNode) p.get("issue");
        issue.put("number", number);
        issue.remove("pull_request");
        ObjectNode comment = (ObjectNode) p.get("comment");
        comment.put("body", body);
        comment.put("author_association", association);
        ((ObjectNode) comment.get("user")).put("login", "octo-maintainer");
        return event("issue_comment", "created", p, at, "comment-" + number + "-" + at);
    }

    /**
     * The executor's answer to {@code read}, a {@code read_compare}: with {@code outcome} read, the
     * comparison of GitHub's shape as the executor keeps it, {@code commits} as sha, message pairs
     * and {@code files} changed.
     */
    static GitHubEvent compared(
            ActionRecord read,
            String outcome,
            List<String> commits,
            List<String> files,
            double at) {
        ObjectNode payload = Json.mapper().createObjectNode();
        ObjectNode e = payload.putObject("enrichment");
        e.put("read", read.type().wireName());
        e.put("action_id", read.actionId());
        e.put("requested_by", read.producedBy());
        e.set("params", read.params());
        e.put("outcome", outcome);
        if ("read".equals(outcome)) {
            e.put("status", 200);
            ObjectNode result = e.putObject("result");
            result.put("status", "ahead");
            result.put("total_commits", commits.size() / 2);
            ArrayNode list = result.putArray("commits");
            for (int i = 0; i < commits.size(); i += 2) {
                list.addObject().put("sha", commits.get(i)).put("message", commits.get(i + 1));
            }
            ArrayNode changed = result.putArray("files");
            files.forEach(f -> changed.addObject().put("filename", f).put("status", "modified"));
        } else {
            e.put("status", 404);
            e.put("error", "Not Found");
        }
        Instant when = minute(at);
        return new GitHubEvent(
                "enrichment:" + read.actionId(),
                EventSource.ENRICHMENT,
                read.type().wireName(),
                outcome,
                read.repo(),
                null,
                read.installationId(),
                when,
                when,
                payload);
    }

    private static ObjectNode pushExample() {
        for (WebhookExample e : WebhookExamples.of("push")) {
            try {
                ObjectNode p = (ObjectNode) Json.mapper().readTree(e.json());
                if (p.path("commits").size() > 0) {
                    return p;
                }
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        throw new IllegalStateException("no push example with commits");
    }

    private static GitHubEvent event(
            String type, String action, ObjectNode payload, double at, String id) {
        return event(REPO, type, action, payload, at, id);
    }

    static GitHubEvent event(
            String repo, String type, String action, ObjectNode payload, double at, String id) {
        ((ObjectNode) payload.get("repository")).put("full_name", repo);
        Instant when = minute(at);
        return new GitHubEvent(
                id, EventSource.WEBHOOK, type, action, repo, null, 42L, when, when, payload);
    }
}
