package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /repos/{owner}/{repo}/compare/{basehead}}, as GitHub's REST description has its
 * "commit-comparison": {@code basehead} is {@code BASE...HEAD}, each a branch, tag or SHA of the
 * repository ({@code OWNER:branch} only for the repository's own owner: the simulator has no
 * forks); {@code status} {@code identical}, {@code ahead}, {@code behind} or {@code diverged};
 * {@code commits} those of {@code git log BASE..HEAD} in the order they were made (at most 250, as
 * without paging parameters); {@code files} what HEAD changed since the merge base. A {@code
 * basehead} without {@code ...}, a ref that names no commit, and two commits without a common
 * ancestor are GitHub's 404s. Conditional requests (ETag, 304) come from the request pipeline.
 */
final class CompareRoutes {
    /** GitHub lists at most this many commits when no page is asked for. */
    static final int MAX_COMMITS = 250;

    private final SimulatedGitHub state;
    private final GitHubJson json;
    private final GitRoutes git;

    CompareRoutes(SimulatedGitHub state, GitHubJson json, GitRoutes git) {
        this.state = state;
        this.json = json;
        this.git = git;
    }

    ApiResponse compare(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String basehead = request.param("basehead");
        int dots = basehead.indexOf("...");
        if (dots <= 0 || dots + 3 >= basehead.length()) {
            throw ApiError.notFound();
        }
        String base = resolve(repo, basehead.substring(0, dots));
        String head = resolve(repo, basehead.substring(dots + 3));
        String mergeBase = mergeBase(repo, base, head);
        List<SimulatedGit.Commit> ahead = repo.git.only(head, base);
        int behind = repo.git.only(base, head).size();
        String status =
                ahead.isEmpty() && behind == 0
                        ? "identical"
                        : behind == 0 ? "ahead" : ahead.isEmpty() ? "behind" : "diverged";
        String url = json.repoUrl(repo) + "/compare/" + basehead;
        String html = json.htmlUrl(repo) + "/compare/" + basehead;
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("url", url);
        body.put("html_url", html);
        body.put(
                "permalink_url",
                json.htmlUrl(repo)
                        + "/compare/"
                        + repo.owner
                        + ":"
                        + base
                        + "..."
                        + repo.owner
                        + ":"
                        + head);
        body.put("diff_url", html + ".diff");
        body.put("patch_url", html + ".patch");
        body.set("base_commit", listed(repo, base));
        body.set("merge_base_commit", listed(repo, mergeBase));
        body.put("status", status);
        body.put("ahead_by", ahead.size());
        body.put("behind_by", behind);
        body.put("total_commits", ahead.size());
        ArrayNode commits = body.putArray("commits");
        int from = Math.max(0, ahead.size() - MAX_COMMITS); // the last is the newest
        for (SimulatedGit.Commit c : ahead.subList(from, ahead.size())) {
            commits.add(listed(repo, c.sha()));
        }
        ArrayNode files = body.putArray("files");
        Set<String> paths = new HashSet<>();
        for (SimulatedGit.Change change : repo.git.changesSince(head, base)) {
            if (!paths.add(change.path())) {
                continue;
            }
            boolean existed = existedAt(repo, mergeBase, change.path());
            String blob = json.htmlUrl(repo) + "/blob/" + head + "/" + change.path();
            files.addObject()
                    .put("sha", SimulatedGit.sha1(head + change.path()))
                    .put("filename", change.path())
                    .put("status", existed ? "modified" : "added")
                    .put("additions", 1)
                    .put("deletions", existed ? 1 : 0)
                    .put("changes", existed ? 2 : 1)
                    .put("blob_url", blob)
                    .put("raw_url", blob.replace("/blob/", "/raw/"))
                    .put(
                            "contents_url",
                            json.repoUrl(repo) + "/contents/" + change.path() + "?ref=" + head);
        }
        return ApiResponse.ok(body);
    }

    /** A branch, tag or SHA, or {@code OWNER:branch} of this repository's owner; else a 404. */
    private static String resolve(SimulatedRepo repo, String name) {
        int colon = name.indexOf(':');
        if (colon >= 0) {
            if (!name.substring(0, colon).equalsIgnoreCase(repo.owner)) {
                throw ApiError.notFound(); // another account's fork: none in the simulator
            }
            name = name.substring(colon + 1);
        }
        return repo.git.resolve(name).orElseThrow(ApiError::notFound);
    }

    /** The newest commit both reach; GitHub's 404 when they share none. */
    private static String mergeBase(SimulatedRepo repo, String base, String head) {
        Set<String> common = new HashSet<>(repo.git.ancestry(base));
        common.retainAll(repo.git.ancestry(head));
        return common.stream()
                .map(sha -> repo.git.get(sha).orElseThrow())
                .max(java.util.Comparator.comparingLong(SimulatedGit.Commit::seq))
                .map(SimulatedGit.Commit::sha)
                .orElseThrow(
                        () ->
                                ApiError.of(
                                        404,
                                        "No common ancestor between "
                                                + base
                                                + " and "
                                                + head
                                                + "."));
    }

    private static boolean existedAt(SimulatedRepo repo, String sha, String path) {
        for (String ancestor : repo.git.ancestry(sha)) {
            for (SimulatedGit.Change change : repo.git.get(ancestor).orElseThrow().changes()) {
                if (change.path().equals(path)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A commit as the comparison lists it: as the merges endpoint answers, without its files. */
    private ObjectNode listed(SimulatedRepo repo, String sha) {
        ObjectNode commit = git.commit(repo, repo.git.get(sha).orElseThrow());
        commit.remove("files");
        commit.remove("stats");
        return commit;
    }
}
