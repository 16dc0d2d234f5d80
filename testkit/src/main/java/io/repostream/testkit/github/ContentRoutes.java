package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * {@code GET /repos/{owner}/{repo}/contents/{path}}, for files only, as GitHub's REST description
 * has its "content-file" answer: {@code type} file, {@code encoding} base64, {@code content} in
 * lines of 60 characters, {@code sha} the blob's git SHA, and the links. {@code ref} (a branch, tag
 * or SHA) defaults to the default branch; an unknown ref, or a path with no file at it, is a 404.
 * Conditional requests (ETag, 304) come from the request pipeline.
 */
final class ContentRoutes {
    private static final Base64.Encoder BASE64 =
            Base64.getMimeEncoder(60, "\n".getBytes(StandardCharsets.US_ASCII));

    private final SimulatedGitHub state;
    private final GitHubJson json;

    ContentRoutes(SimulatedGitHub state, GitHubJson json) {
        this.state = state;
        this.json = json;
    }

    ApiResponse get(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String path = request.param("path");
        String ref = request.query("ref", repo.defaultBranch);
        String commit =
                repo.git
                        .resolve(ref)
                        .orElseThrow(() -> ApiError.of(404, "No commit found for the ref " + ref));
        String text = repo.git.file(commit, path).orElseThrow(ApiError::notFound);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String sha = blobSha(bytes);
        String name = path.substring(path.lastIndexOf('/') + 1);
        String encodedPath = encodePath(path);
        String url =
                json.repoUrl(repo) + "/contents/" + encodedPath + "?ref=" + GitHubJson.encode(ref);
        String gitUrl = json.repoUrl(repo) + "/git/blobs/" + sha;
        String htmlUrl = json.htmlUrl(repo) + "/blob/" + GitHubJson.encode(ref) + "/" + encodedPath;
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", "file");
        body.put("encoding", "base64");
        body.put("size", bytes.length);
        body.put("name", name);
        body.put("path", path);
        body.put("content", bytes.length == 0 ? "" : BASE64.encodeToString(bytes) + "\n");
        body.put("sha", sha);
        body.put("url", url);
        body.put("git_url", gitUrl);
        body.put("html_url", htmlUrl);
        body.put("download_url", htmlUrl.replace("/blob/", "/raw/"));
        ObjectNode links = body.putObject("_links");
        links.put("self", url);
        links.put("git", gitUrl);
        links.put("html", htmlUrl);
        return ApiResponse.ok(body);
    }

    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(GitHubJson.encode(segment));
        }
        return out.toString();
    }

    /** git's object id of a blob: SHA-1 of {@code blob <size>\0<bytes>}. */
    static String blobSha(byte[] bytes) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is unavailable", e);
        }
    }
}
