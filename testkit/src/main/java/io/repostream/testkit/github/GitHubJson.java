package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Renders the simulator's state in the JSON shapes of GitHub's REST API (checked against GitHub's
 * OpenAPI description by the conformance test). API URLs point back at the simulator.
 */
final class GitHubJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String api;
    private final SimulatedGitHub state;

    GitHubJson(String baseUrl, SimulatedGitHub state) {
        this.api = baseUrl;
        this.state = state;
    }

    String api() {
        return api;
    }

    ObjectNode user(String login) {
        SimulatedUser user = state.user(login);
        String path = encode(user.login());
        String url = api + "/users/" + path;
        ObjectNode json = JSON.objectNode();
        json.put("login", user.login());
        json.put("id", user.id());
        json.put("node_id", nodeId("U", user.id()));
        json.put("avatar_url", api + "/avatars/" + path);
        json.put("gravatar_id", "");
        json.put("url", url);
        json.put("html_url", api + "/" + path);
        json.put("followers_url", url + "/followers");
        json.put("following_url", url + "/following{/other_user}");
        json.put("gists_url", url + "/gists{/gist_id}");
        json.put("starred_url", url + "/starred{/owner}{/repo}");
        json.put("subscriptions_url", url + "/subscriptions");
        json.put("organizations_url", url + "/orgs");
        json.put("repos_url", url + "/repos");
        json.put("events_url", url + "/events{/privacy}");
        json.put("received_events_url", url + "/received_events");
        json.put("type", user.type());
        json.put("user_view_type", "public");
        json.put("site_admin", false);
        return json;
    }

    /** {@code GET /user}: the public profile plus the private fields of one's own account. */
    ObjectNode authenticatedUser(String login) {
        ObjectNode json = user(login);
        json.putNull("name");
        json.putNull("company");
        json.put("blog", "");
        json.putNull("location");
        json.putNull("email");
        json.putNull("hireable");
        json.putNull("bio");
        json.put("public_repos", 0);
        json.put("public_gists", 0);
        json.put("followers", 0);
        json.put("following", 0);
        json.put("created_at", ts(Instant.EPOCH));
        json.put("updated_at", ts(Instant.EPOCH));
        json.put("private_gists", 0);
        json.put("total_private_repos", 0);
        json.put("owned_private_repos", 0);
        json.put("disk_usage", 0);
        json.put("collaborators", 0);
        json.put("two_factor_authentication", true);
        return json;
    }

    String repoUrl(SimulatedRepo repo) {
        return api + "/repos/" + encode(repo.owner) + "/" + encode(repo.name);
    }

    /** The repository's web address, under which commits are linked. */
    String htmlUrl(SimulatedRepo repo) {
        return htmlRepoUrl(repo);
    }

    private String htmlRepoUrl(SimulatedRepo repo) {
        return api + "/" + encode(repo.owner) + "/" + encode(repo.name);
    }

    ObjectNode repository(SimulatedRepo repo) {
        String url = repoUrl(repo);
        String html = htmlRepoUrl(repo);
        ObjectNode json = JSON.objectNode();
        json.put("id", repo.id);
        json.put("node_id", nodeId("R", repo.id));
        json.put("name", repo.name);
        json.put("full_name", repo.fullName());
        json.put("private", false);
        json.set("owner", user(repo.owner));
        json.put("html_url", html);
        json.putNull("description");
        json.put("fork", false);
        json.put("url", url);
        String[][] templated = {
            {"archive_url", "/{archive_format}{/ref}"},
            {"assignees_url", "/assignees{/user}"},
            {"blobs_url", "/git/blobs{/sha}"},
            {"branches_url", "/branches{/branch}"},
            {"collaborators_url", "/collaborators{/collaborator}"},
            {"comments_url", "/comments{/number}"},
            {"commits_url", "/commits{/sha}"},
            {"compare_url", "/compare/{base}...{head}"},
            {"contents_url", "/contents/{+path}"},
            {"contributors_url", "/contributors"},
            {"deployments_url", "/deployments"},
            {"downloads_url", "/downloads"},
            {"events_url", "/events"},
            {"forks_url", "/forks"},
            {"git_commits_url", "/git/commits{/sha}"},
            {"git_refs_url", "/git/refs{/sha}"},
            {"git_tags_url", "/git/tags{/sha}"},
            {"hooks_url", "/hooks"},
            {"issue_comment_url", "/issues/comments{/number}"},
            {"issue_events_url", "/issues/events{/number}"},
            {"issues_url", "/issues{/number}"},
            {"keys_url", "/keys{/key_id}"},
            {"labels_url", "/labels{/name}"},
            {"languages_url", "/languages"},
            {"merges_url", "/merges"},
            {"milestones_url", "/milestones{/number}"},
            {"notifications_url", "/notifications{?since,all,participating}"},
            {"pulls_url", "/pulls{/number}"},
            {"releases_url", "/releases{/id}"},
            {"stargazers_url", "/stargazers"},
            {"statuses_url", "/statuses/{sha}"},
            {"subscribers_url", "/subscribers"},
            {"subscription_url", "/subscription"},
            {"tags_url", "/tags"},
            {"teams_url", "/teams"},
            {"trees_url", "/git/trees{/sha}"},
        };
        for (String[] field : templated) {
            json.put(field[0], url + field[1]);
        }
        json.put("clone_url", html + ".git");
        json.put("git_url", html.replaceFirst("^https?:", "git:") + ".git");
        json.put("ssh_url", "git@127.0.0.1:" + repo.fullName() + ".git");
        json.put("svn_url", html);
        json.putNull("mirror_url");
        json.putNull("homepage");
        json.putNull("language");
        json.put("forks_count", 0);
        json.put("forks", 0);
        json.put("stargazers_count", 0);
        json.put("watchers_count", 0);
        json.put("watchers", 0);
        json.put("subscribers_count", 0);
        json.put("network_count", 0);
        json.put("size", 0);
        json.put("default_branch", repo.defaultBranch);
        json.put("open_issues_count", repo.openIssues());
        json.put("open_issues", repo.openIssues());
        json.put("is_template", false);
        json.putArray("topics");
        json.put("has_issues", true);
        json.put("has_projects", false);
        json.put("has_wiki", false);
        json.put("has_pages", false);
        json.put("has_downloads", false);
        json.put("has_discussions", false);
        json.put("archived", false);
        json.put("disabled", false);
        json.put("visibility", "public");
        json.put("pushed_at", ts(repo.updatedAt));
        json.put("created_at", ts(repo.createdAt));
        json.put("updated_at", ts(repo.updatedAt));
        json.putObject("permissions")
                .put("admin", false)
                .put("maintain", false)
                .put("push", true)
                .put("triage", true)
                .put("pull", true);
        json.put("allow_forking", true);
        json.put("web_commit_signoff_required", false);
        json.putNull("license");
        return json;
    }

    ObjectNode label(SimulatedRepo repo, SimulatedLabel label) {
        ObjectNode json = JSON.objectNode();
        json.put("id", label.id());
        json.put("node_id", nodeId("LA", label.id()));
        json.put("url", repoUrl(repo) + "/labels/" + encode(label.name()));
        json.put("name", label.name());
        json.put("color", label.color());
        json.put("default", false);
        json.put("description", label.description());
        return json;
    }

    ArrayNode labels(SimulatedRepo repo, Iterable<SimulatedLabel> labels) {
        ArrayNode array = JSON.arrayNode();
        labels.forEach(l -> array.add(label(repo, l)));
        return array;
    }

    ObjectNode issue(SimulatedRepo repo, SimulatedIssue issue) {
        String url = repoUrl(repo) + "/issues/" + issue.number;
        ObjectNode json = JSON.objectNode();
        json.put("id", issue.id);
        json.put("node_id", nodeId(issue.isPullRequest() ? "PR" : "I", issue.id));
        json.put("url", url);
        json.put("repository_url", repoUrl(repo));
        json.put("labels_url", url + "/labels{/name}");
        json.put("comments_url", url + "/comments");
        json.put("events_url", url + "/events");
        json.put("html_url", htmlIssueUrl(repo, issue));
        json.put("timeline_url", url + "/timeline");
        json.put("number", issue.number);
        json.put("state", issue.state);
        json.put("state_reason", issue.stateReason);
        json.put("title", issue.title);
        json.put("body", issue.body);
        json.set("user", user(issue.author));
        json.set("labels", labels(repo, issue.labels));
        putAssignees(json, issue);
        json.putNull("milestone");
        json.put("locked", false);
        json.putNull("active_lock_reason");
        json.put("comments", issue.comments);
        if (issue.isPullRequest()) {
            String pullUrl = repoUrl(repo) + "/pulls/" + issue.number;
            String html = htmlIssueUrl(repo, issue);
            ObjectNode pr = json.putObject("pull_request");
            pr.put("url", pullUrl);
            pr.put("html_url", html);
            pr.put("diff_url", html + ".diff");
            pr.put("patch_url", html + ".patch");
            pr.put("merged_at", ts(issue.pull.mergedAt));
            json.put("draft", issue.pull.draft);
        }
        json.put("closed_at", ts(issue.closedAt));
        json.put("created_at", ts(issue.createdAt));
        json.put("updated_at", ts(issue.updatedAt));
        json.set("closed_by", issue.closedBy == null ? JSON.nullNode() : user(issue.closedBy));
        json.put("author_association", association(repo, issue.author));
        json.set("reactions", reactions(url + "/reactions"));
        return json;
    }

    /**
     * A pull request as {@code GET /pulls/{n}} shows it; {@code simple} drops the fields only the
     * single-pull endpoint has (list and review-request answers use the simple shape).
     */
    ObjectNode pull(SimulatedRepo repo, SimulatedIssue issue, boolean simple) {
        SimulatedPull pull = issue.pull;
        String url = repoUrl(repo) + "/pulls/" + issue.number;
        String issueUrl = repoUrl(repo) + "/issues/" + issue.number;
        String html = htmlIssueUrl(repo, issue);
        ObjectNode json = JSON.objectNode();
        json.put("url", url);
        json.put("id", issue.id);
        json.put("node_id", nodeId("PR", issue.id));
        json.put("html_url", html);
        json.put("diff_url", html + ".diff");
        json.put("patch_url", html + ".patch");
        json.put("issue_url", issueUrl);
        json.put("commits_url", url + "/commits");
        json.put("review_comments_url", url + "/comments");
        json.put("review_comment_url", repoUrl(repo) + "/pulls/comments{/number}");
        json.put("comments_url", issueUrl + "/comments");
        json.put("statuses_url", repoUrl(repo) + "/statuses/" + pull.headSha);
        json.put("number", issue.number);
        json.put("state", issue.state);
        json.put("locked", false);
        json.put("title", issue.title);
        json.set("user", user(issue.author));
        json.put("body", issue.body);
        json.set("labels", labels(repo, issue.labels));
        json.putNull("milestone");
        json.putNull("active_lock_reason");
        json.put("created_at", ts(issue.createdAt));
        json.put("updated_at", ts(issue.updatedAt));
        json.put("closed_at", ts(issue.closedAt));
        json.put("merged_at", ts(pull.mergedAt));
        json.put("merge_commit_sha", pull.mergeCommitSha);
        putAssignees(json, issue);
        ArrayNode reviewers = json.putArray("requested_reviewers");
        pull.requestedReviewers.forEach(r -> reviewers.add(user(r)));
        json.putArray("requested_teams");
        json.set("head", branch(repo, pull.headRef, pull.headSha, issue.author));
        json.set("base", branch(repo, pull.baseRef, pull.baseSha, repo.owner));
        ObjectNode links = json.putObject("_links");
        link(links, "self", url);
        link(links, "html", html);
        link(links, "issue", issueUrl);
        link(links, "comments", issueUrl + "/comments");
        link(links, "review_comments", url + "/comments");
        link(links, "review_comment", repoUrl(repo) + "/pulls/comments{/number}");
        link(links, "commits", url + "/commits");
        link(links, "statuses", repoUrl(repo) + "/statuses/" + pull.headSha);
        json.put("author_association", association(repo, issue.author));
        json.putNull("auto_merge");
        json.put("draft", pull.draft);
        if (simple) {
            return json;
        }
        json.put("merged", pull.merged);
        if (pull.mergeable == null) {
            json.putNull("mergeable");
        } else {
            json.put("mergeable", pull.mergeable);
        }
        json.put("rebaseable", Boolean.TRUE.equals(pull.mergeable));
        json.put("mergeable_state", pull.mergeableState());
        json.set("merged_by", pull.mergedBy == null ? JSON.nullNode() : user(pull.mergedBy));
        json.put("comments", issue.comments);
        json.put("review_comments", 0);
        json.put("maintainer_can_modify", false);
        json.put("commits", 1);
        json.put("additions", 1);
        json.put("deletions", 0);
        json.put("changed_files", 1);
        return json;
    }

    ObjectNode comment(SimulatedRepo repo, SimulatedComment comment) {
        ObjectNode json = JSON.objectNode();
        String url = repoUrl(repo) + "/issues/comments/" + comment.id;
        SimulatedIssue issue = repo.issues.get(comment.issueNumber);
        json.put("id", comment.id);
        json.put("node_id", nodeId("IC", comment.id));
        json.put("url", url);
        json.put(
                "html_url",
                (issue == null ? htmlRepoUrl(repo) : htmlIssueUrl(repo, issue))
                        + "#issuecomment-"
                        + comment.id);
        json.put("body", comment.body);
        json.set("user", user(comment.author));
        json.put("created_at", ts(comment.createdAt));
        json.put("updated_at", ts(comment.updatedAt));
        json.put("issue_url", repoUrl(repo) + "/issues/" + comment.issueNumber);
        json.put("author_association", association(repo, comment.author));
        json.set("reactions", reactions(url + "/reactions"));
        return json;
    }

    ObjectNode workflowRun(SimulatedRepo repo, SimulatedWorkflowRun run) {
        String url = repoUrl(repo) + "/actions/runs/" + run.id;
        ObjectNode json = JSON.objectNode();
        json.put("id", run.id);
        json.put("name", run.name);
        json.put("node_id", nodeId("WFR", run.id));
        json.put("check_suite_id", run.id + 1);
        json.put("check_suite_node_id", nodeId("CS", run.id + 1));
        json.put("head_branch", run.headBranch);
        json.put("head_sha", run.headSha);
        json.put("path", run.path());
        json.put("run_number", run.runNumber);
        json.put("run_attempt", run.runAttempt);
        json.putArray("referenced_workflows");
        json.put("event", run.event);
        json.put("status", run.status);
        json.put("conclusion", run.conclusion);
        json.put("workflow_id", run.workflowId);
        json.put("url", url);
        json.put("html_url", htmlRepoUrl(repo) + "/actions/runs/" + run.id);
        json.putArray("pull_requests");
        json.put("created_at", ts(run.createdAt));
        json.put("updated_at", ts(run.updatedAt));
        json.set("actor", user(run.actor));
        json.set("triggering_actor", user(run.actor));
        json.put("run_started_at", ts(run.runStartedAt));
        json.put("jobs_url", url + "/jobs");
        json.put("logs_url", url + "/logs");
        json.put("check_suite_url", repoUrl(repo) + "/check-suites/" + (run.id + 1));
        json.put("artifacts_url", url + "/artifacts");
        json.put("cancel_url", url + "/cancel");
        json.put("rerun_url", url + "/rerun");
        json.putNull("previous_attempt_url");
        json.put("workflow_url", repoUrl(repo) + "/actions/workflows/" + run.workflowId);
        ObjectNode commit = json.putObject("head_commit");
        commit.put("id", run.headSha);
        commit.put("tree_id", run.headSha);
        commit.put("message", "Commit " + run.headSha);
        commit.put("timestamp", ts(run.createdAt));
        commit.putObject("author").put("name", run.actor).put("email", noreplyEmail(run.actor));
        commit.putObject("committer").put("name", run.actor).put("email", noreplyEmail(run.actor));
        json.set("repository", repository(repo));
        json.set("head_repository", repository(repo));
        json.put("head_repository_id", repo.id);
        json.put("display_title", run.name);
        return json;
    }

    ObjectNode job(SimulatedRepo repo, SimulatedWorkflowRun run, SimulatedJob job) {
        String url = repoUrl(repo) + "/actions/jobs/" + job.id;
        ObjectNode json = JSON.objectNode();
        json.put("id", job.id);
        json.put("run_id", run.id);
        json.put("run_url", repoUrl(repo) + "/actions/runs/" + run.id);
        json.put("run_attempt", job.runAttempt);
        json.put("node_id", nodeId("CR", job.id));
        json.put("head_sha", run.headSha);
        json.put("head_branch", run.headBranch);
        json.put("workflow_name", run.name);
        json.put("url", url);
        json.put("html_url", htmlRepoUrl(repo) + "/actions/runs/" + run.id + "/job/" + job.id);
        json.put("status", job.status);
        json.put("conclusion", job.conclusion);
        json.put("created_at", ts(job.startedAt));
        json.put("started_at", ts(job.startedAt));
        json.put("completed_at", ts(job.completedAt));
        json.put("name", job.name);
        ObjectNode step = json.putArray("steps").addObject();
        step.put("name", "Run " + job.name);
        step.put("status", job.status);
        step.put("conclusion", job.conclusion);
        step.put("number", 1);
        step.put("started_at", ts(job.startedAt));
        step.put("completed_at", ts(job.completedAt));
        json.put("check_run_url", repoUrl(repo) + "/check-runs/" + job.id);
        json.putArray("labels").add("ubuntu-latest");
        json.putNull("runner_id");
        json.putNull("runner_name");
        json.putNull("runner_group_id");
        json.putNull("runner_group_name");
        return json;
    }

    ObjectNode event(SimulatedRepo repo, RepoEvent event) {
        SimulatedUser actor = state.user(event.actor());
        ObjectNode json = JSON.objectNode();
        json.put("id", String.valueOf(event.id()));
        json.put("type", event.type());
        ObjectNode a = json.putObject("actor");
        a.put("id", actor.id());
        a.put("login", actor.login());
        a.put("display_login", actor.login());
        a.put("gravatar_id", "");
        a.put("url", api + "/users/" + encode(actor.login()));
        a.put("avatar_url", api + "/avatars/" + encode(actor.login()));
        ObjectNode r = json.putObject("repo");
        r.put("id", repo.id);
        r.put("name", repo.fullName());
        r.put("url", repoUrl(repo));
        ObjectNode payload = event.payload();
        if (!state.feedItemOmissions().isEmpty()) {
            // GitHub's feed trims payloads: what it leaves out is the reader's to fetch
            payload = payload.deepCopy();
            for (String item : List.of("issue", "pull_request")) {
                if (payload.path(item) instanceof ObjectNode object) {
                    object.remove(state.feedItemOmissions());
                }
            }
        }
        json.set("payload", payload);
        json.put("public", true);
        SimulatedUser owner = state.user(repo.owner);
        if (owner.organization()) {
            // the feed names the organisation of an organisation's repository
            ObjectNode org = json.putObject("org");
            org.put("id", owner.id());
            org.put("login", owner.login());
            org.put("gravatar_id", "");
            org.put("url", api + "/orgs/" + encode(owner.login()));
            org.put("avatar_url", api + "/avatars/" + encode(owner.login()));
        }
        json.put("created_at", ts(event.createdAt()));
        return json;
    }

    private void putAssignees(ObjectNode json, SimulatedIssue issue) {
        ArrayNode assignees = JSON.arrayNode();
        issue.assignees.forEach(a -> assignees.add(user(a)));
        json.set("assignee", assignees.isEmpty() ? JSON.nullNode() : assignees.get(0));
        json.set("assignees", assignees);
    }

    private ObjectNode branch(SimulatedRepo repo, String ref, String sha, String login) {
        ObjectNode json = JSON.objectNode();
        json.put("label", repo.owner + ":" + ref);
        json.put("ref", ref);
        json.put("sha", sha);
        json.set("user", user(login));
        json.set("repo", repository(repo));
        return json;
    }

    private static void link(ObjectNode links, String name, String href) {
        links.putObject(name).put("href", href);
    }

    private static ObjectNode reactions(String url) {
        ObjectNode json = JSON.objectNode();
        json.put("url", url);
        json.put("total_count", 0);
        for (String reaction :
                new String[] {
                    "+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"
                }) {
            json.put(reaction, 0);
        }
        return json;
    }

    private String htmlIssueUrl(SimulatedRepo repo, SimulatedIssue issue) {
        return htmlRepoUrl(repo) + (issue.isPullRequest() ? "/pull/" : "/issues/") + issue.number;
    }

    private static String association(SimulatedRepo repo, String login) {
        return repo.owner.equalsIgnoreCase(login) ? "OWNER" : "CONTRIBUTOR";
    }

    /** GitHub's no-reply address, {@code <id>+<login>@users.noreply.github.com}. */
    private String noreplyEmail(String login) {
        SimulatedUser user = state.user(login);
        String local = user.login().replaceAll("[^A-Za-z0-9-]", "-");
        return user.id() + "+" + local + "@users.noreply.github.com";
    }

    static String ts(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String nodeId(String prefix, long id) {
        return prefix
                + "_"
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(String.valueOf(id).getBytes(StandardCharsets.UTF_8));
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
