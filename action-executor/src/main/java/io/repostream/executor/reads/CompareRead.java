package io.repostream.executor.reads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.CollaboratorReads.Conditional;
import io.repostream.executor.github.CompareReads;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetKind;
import java.util.List;

/**
 * {@code read_compare}: the commits and changed files between {@code params.base} and {@code
 * params.head} (branches, tags or SHAs; {@code GET /repos/{owner}/{repo}/compare/{base}...{head}}),
 * asked for the branch of the typed target ({@code refs/heads/<branch>}). GitHub lists up to 250
 * commits (the newest last) and up to 300 files; the result keeps of its comparison what a rule
 * reads and not the patches, which can make an answer megabytes long (more than an event may
 * carry): {@code status} ({@code identical}, {@code ahead}, {@code behind}, {@code diverged}),
 * {@code ahead_by}, {@code behind_by}, {@code total_commits}, {@code base_commit} and {@code
 * merge_base_commit} as {@code {sha}}, {@code commits} as {@code {sha, message, parents}} and
 * {@code files} as {@code {filename, status, previous_filename}}. Unknown commits, or two without a
 * common ancestor, are GitHub's 404.
 *
 * <p>Permission: {@code contents: read}, the permission of the repository's commits and contents
 * endpoints (the OpenAPI description puts this operation in the "commits" category, enabled for
 * GitHub Apps).
 */
public final class CompareRead implements ReadHandler<CompareReads> {

    @Override
    public ActionType type() {
        return ActionType.READ_COMPARE;
    }

    @Override
    public AppPermission permission() {
        return AppPermission.CONTENTS_READ;
    }

    @Override
    public void validate(ActionRecord action) {
        for (String name : List.of("base", "head")) {
            String value = action.params().path(name).asText("");
            if (value.isBlank()
                    || value.contains("..")
                    || value.startsWith("/")
                    || value.endsWith("/")
                    || value.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
                throw new IllegalArgumentException(
                        "params."
                                + name
                                + " must be a branch, tag or SHA, got '"
                                + value
                                + "' for "
                                + action.targetRef());
            }
        }
        if (!action.typedTarget().kind().equals(TargetKind.REF)) {
            throw new IllegalArgumentException(
                    "a comparison is read for a ref (refs/heads/<branch>), not for "
                            + action.targetRef());
        }
    }

    @Override
    public String resource(ActionRecord action) {
        return action.repo() + "/compare/" + base(action) + "..." + head(action);
    }

    @Override
    public GitHubResult<Conditional> read(CompareReads github, ActionRecord action, String etag) {
        GitHubResult<Conditional> read =
                github.compare(action.repo(), base(action), head(action), etag);
        Conditional answer = read.value();
        if (answer.notModified() || answer.body() == null || !answer.body().isObject()) {
            return read;
        }
        return new GitHubResult<>(
                new Conditional(trimmed(answer.body()), answer.etag(), false), read.response());
    }

    /** What a rule reads of a comparison, without the patches. */
    static ObjectNode trimmed(JsonNode comparison) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("status", comparison.path("status").asText(""));
        out.put("ahead_by", comparison.path("ahead_by").asInt());
        out.put("behind_by", comparison.path("behind_by").asInt());
        out.put("total_commits", comparison.path("total_commits").asInt());
        out.putObject("base_commit")
                .put("sha", comparison.path("base_commit").path("sha").asText(""));
        out.putObject("merge_base_commit")
                .put("sha", comparison.path("merge_base_commit").path("sha").asText(""));
        ArrayNode commits = out.putArray("commits");
        for (JsonNode c : comparison.path("commits")) {
            ObjectNode commit =
                    commits.addObject()
                            .put("sha", c.path("sha").asText(""))
                            .put("message", c.path("commit").path("message").asText(""));
            ArrayNode parents = commit.putArray("parents");
            c.path("parents").forEach(p -> parents.add(p.path("sha").asText("")));
        }
        ArrayNode files = out.putArray("files");
        for (JsonNode f : comparison.path("files")) {
            ObjectNode file =
                    files.addObject()
                            .put("filename", f.path("filename").asText(""))
                            .put("status", f.path("status").asText(""));
            if (f.hasNonNull("previous_filename")) {
                file.put("previous_filename", f.path("previous_filename").asText());
            }
        }
        return out;
    }

    private static String base(ActionRecord action) {
        return action.params().path("base").asText();
    }

    private static String head(ActionRecord action) {
        return action.params().path("head").asText();
    }
}
