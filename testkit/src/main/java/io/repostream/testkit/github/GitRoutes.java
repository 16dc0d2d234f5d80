package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Git references and the merges endpoint, refusing what GitHub refuses: 422 for a ref that exists
 * or does not, an object that does not exist and an update that is not a fast-forward; 409 for a
 * merge conflict; 404 for a missing base or head.
 */
final class GitRoutes {
    private final SimulatedGitHub state;
    private final GitHubJson json;
    private final GitChanges git;

    GitRoutes(SimulatedGitHub state, GitHubJson json, GitChanges git) {
        this.state = state;
        this.json = json;
        this.git = git;
    }

    /** {@code GET .../git/ref/{ref}}: {@code heads/main}; 404 when there is no such ref. */
    ApiResponse get(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String name = "refs/" + request.param("ref");
        String sha = repo.git.refs.get(name);
        if (sha == null) {
            throw ApiError.notFound();
        }
        return ApiResponse.ok(ref(repo, name, sha));
    }

    /** {@code GET .../git/matching-refs/{ref}}: every ref whose name starts with it. */
    ApiResponse matching(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String prefix = "refs/" + request.param("ref");
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        repo.git.refs.forEach(
                (name, sha) -> {
                    if (name.startsWith(prefix)) {
                        body.add(ref(repo, name, sha));
                    }
                });
        return ApiResponse.ok(body);
    }

    /** {@code POST .../git/refs} with {@code ref} (in full) and {@code sha}. */
    ApiResponse create(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        JsonNode body = request.body();
        String name = RequestBodies.requiredText(body, "ref", "Reference");
        String sha = RequestBodies.requiredText(body, "sha", "Reference");
        if (!name.startsWith("refs/") || name.chars().filter(c -> c == '/').count() < 2) {
            throw ApiError.unprocessable(
                    "Reference name must start with 'refs/' and have at least two slashes.");
        }
        if (repo.git.refs.containsKey(name)) {
            throw ApiError.unprocessable("Reference already exists");
        }
        if (!repo.git.has(sha)) {
            throw ApiError.unprocessable("Object does not exist");
        }
        git.moveRef(repo, name, sha, request.login());
        return ApiResponse.created(ref(repo, name, sha));
    }

    /** {@code PATCH .../git/refs/{ref}}: a fast-forward, unless {@code force}. */
    ApiResponse update(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String name = "refs/" + request.param("ref");
        JsonNode body = request.body();
        String sha = RequestBodies.requiredText(body, "sha", "Reference");
        boolean force = body.path("force").asBoolean(false);
        String current = repo.git.refs.get(name);
        if (current == null) {
            throw ApiError.unprocessable("Reference does not exist");
        }
        if (!repo.git.has(sha)) {
            throw ApiError.unprocessable("Object does not exist");
        }
        if (!force && !repo.git.isAncestor(current, sha)) {
            throw ApiError.unprocessable("Update is not a fast forward");
        }
        git.checkPush(repo, name, sha, request.login(), force);
        git.moveRef(repo, name, sha, request.login());
        return ApiResponse.ok(ref(repo, name, sha));
    }

    /** {@code DELETE .../git/refs/{ref}}. */
    ApiResponse delete(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String name = "refs/" + request.param("ref");
        if (!repo.git.refs.containsKey(name)) {
            throw ApiError.unprocessable("Reference does not exist");
        }
        git.deleteRef(repo, name, request.login());
        return ApiResponse.noContent();
    }

    /**
     * {@code POST .../merges}: merges {@code head} (a branch or SHA) into branch {@code base} with
     * a merge commit; 204 when the base already has it.
     */
    ApiResponse merge(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        JsonNode body = request.body();
        String base = RequestBodies.requiredText(body, "base", "Merge");
        String head = RequestBodies.requiredText(body, "head", "Merge");
        String message = RequestBodies.optionalText(body, "commit_message", "Merge");
        String baseRef = base.startsWith("refs/") ? base : "refs/heads/" + base;
        String baseSha = repo.git.refs.get(baseRef);
        if (baseSha == null) {
            throw ApiError.of(404, "Base does not exist");
        }
        String headSha =
                repo.git.resolve(head).orElseThrow(() -> ApiError.of(404, "Head does not exist"));
        if (repo.git.isAncestor(headSha, baseSha)) {
            return ApiResponse.noContent();
        }
        if (!repo.git.conflicts(baseSha, headSha).isEmpty()) {
            throw ApiError.of(409, "Merge conflict");
        }
        git.checkPush(repo, baseRef, headSha, request.login(), false);
        SimulatedGit.Commit commit =
                repo.git.commit(
                        List.of(baseSha, headSha),
                        repo.git.changesSince(headSha, baseSha),
                        message != null ? message : "Merge " + head + " into " + base,
                        request.login(),
                        state.now());
        git.moveRef(repo, baseRef, commit.sha(), request.login());
        return ApiResponse.created(commit(repo, commit));
    }

    private ObjectNode ref(SimulatedRepo repo, String name, String sha) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("ref", name);
        body.put("node_id", "REF_" + SimulatedGit.sha1(repo.fullName() + name).substring(0, 16));
        body.put("url", json.repoUrl(repo) + "/git/" + name);
        body.putObject("object")
                .put("type", "commit")
                .put("sha", sha)
                .put("url", json.repoUrl(repo) + "/git/commits/" + sha);
        return body;
    }

    /** A commit as the merges endpoint answers it. */
    ObjectNode commit(SimulatedRepo repo, SimulatedGit.Commit commit) {
        String url = json.repoUrl(repo) + "/commits/" + commit.sha();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("url", url);
        body.put("sha", commit.sha());
        body.put("node_id", "C_" + commit.sha().substring(0, 16));
        body.put("html_url", json.htmlUrl(repo) + "/commit/" + commit.sha());
        body.put("comments_url", url + "/comments");
        ObjectNode inner = body.putObject("commit");
        for (String role : new String[] {"author", "committer"}) {
            inner.putObject(role)
                    .put("name", commit.author())
                    .put("email", commit.author() + "@users.noreply.github.com")
                    .put("date", GitHubJson.ts(commit.date()));
        }
        inner.put("comment_count", 0);
        inner.put("message", commit.message());
        inner.putObject("tree")
                .put("sha", SimulatedGit.sha1("tree:" + commit.sha()))
                .put("url", json.repoUrl(repo) + "/git/trees/" + commit.sha());
        inner.put("url", json.repoUrl(repo) + "/git/commits/" + commit.sha());
        body.set("author", json.user(commit.author()));
        body.set("committer", json.user(commit.author()));
        ArrayNode parents = body.putArray("parents");
        for (String parent : commit.parents()) {
            parents.addObject()
                    .put("sha", parent)
                    .put("url", json.repoUrl(repo) + "/commits/" + parent)
                    .put("html_url", json.htmlUrl(repo) + "/commit/" + parent);
        }
        ArrayNode files = body.putArray("files");
        for (SimulatedGit.Change change : commit.changes()) {
            String blob = json.htmlUrl(repo) + "/blob/" + commit.sha() + "/" + change.path();
            files.addObject()
                    .put("sha", SimulatedGit.sha1(commit.sha() + change))
                    .put("filename", change.path())
                    .put("status", "modified")
                    .put("additions", 1)
                    .put("deletions", 1)
                    .put("changes", 2)
                    .put("blob_url", blob)
                    .put("raw_url", blob.replace("/blob/", "/raw/"))
                    .put(
                            "contents_url",
                            json.repoUrl(repo)
                                    + "/contents/"
                                    + change.path()
                                    + "?ref="
                                    + commit.sha());
        }
        body.putObject("stats")
                .put("additions", files.size())
                .put("deletions", files.size())
                .put("total", 2 * files.size());
        return body;
    }
}
