package io.repostream.flink.rules.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.time.Instant;

/**
 * Events of a repository's activity and branches, each from GitHub's real example payload of its
 * type and action (@octokit/webhooks-examples) with the fields a scenario is about set: who acted,
 * a pull request's branches and merge, a push's branch and head, a created or deleted branch. The
 * repository's default branch is {@code main}.
 */
final class RepoEvents {
    static final String REPO = "octo-org/widgets";
    static final long INSTALLATION = 42L;

    private static int sequence;

    private RepoEvents() {}

    /** A comment on issue #1 by {@code login} (a person, or a bot: {@code ...[bot]}). */
    static GitHubEvent comment(String login, Instant at) {
        ObjectNode p = Events.example("issue_comment", "created");
        ObjectNode user = (ObjectNode) p.get("comment").get("user");
        user.put("login", login);
        sender(p, login);
        return event("issue_comment", "created", p, at);
    }

    static GitHubEvent workflowRun(String login, Instant at) {
        ObjectNode p = Events.example("workflow_run", "completed");
        sender(p, login);
        return event("workflow_run", "completed", p, at);
    }

    /** Pull request #{@code number} from {@code head} (of {@code headRepo}) into {@code base}. */
    static GitHubEvent pullRequest(
            String action,
            long number,
            String head,
            String headSha,
            String headRepo,
            String base,
            boolean merged,
            Instant at) {
        ObjectNode p =
                Events.example("pull_request", action.equals("closed") ? "closed" : "opened");
        p.put("action", action);
        ObjectNode pr = (ObjectNode) p.get("pull_request");
        pr.put("number", number);
        pr.put("state", action.equals("closed") ? "closed" : "open");
        pr.put("merged", merged);
        ObjectNode h = (ObjectNode) pr.get("head");
        h.put("ref", head);
        h.put("sha", headSha);
        ((ObjectNode) h.get("repo")).put("full_name", headRepo);
        ((ObjectNode) pr.get("base")).put("ref", base);
        sender(p, "octocat");
        return event("pull_request", action, p, at);
    }

    /** #{@code number} from {@code head} of this repository merged into main. */
    static GitHubEvent merged(long number, String head, String sha, Instant at) {
        return pullRequest("closed", number, head, sha, REPO, "main", true, at);
    }

    static GitHubEvent push(String branch, String after, Instant at) {
        ObjectNode p = Events.example("push", null);
        p.put("ref", "refs/heads/" + branch);
        p.put("after", after);
        p.put("deleted", false);
        sender(p, "octocat");
        return event("push", null, p, at);
    }

    /** A {@code create} or {@code delete} event of {@code branch}. */
    static GitHubEvent branchEvent(String type, String branch, Instant at) {
        ObjectNode p = Events.example(type, null);
        p.put("ref", branch);
        p.put("ref_type", "branch");
        sender(p, "octocat");
        return event(type, null, p, at);
    }

    private static void sender(ObjectNode p, String login) {
        ObjectNode sender = p.putObject("sender");
        sender.put("login", login);
        sender.put("type", login.endsWith("[bot]") ? "Bot" : "User");
    }

    private static GitHubEvent event(String type, String action, ObjectNode p, Instant at) {
        ObjectNode repository = (ObjectNode) p.get("repository");
        repository.put("full_name", REPO);
        repository.put("default_branch", "main");
        return new GitHubEvent(
                type + "-" + at.toEpochMilli() + "-" + (++sequence),
                EventSource.WEBHOOK,
                type,
                action,
                REPO,
                null,
                INSTALLATION,
                at,
                at,
                p);
    }
}
