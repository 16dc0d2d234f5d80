package io.repostream.executor.reads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.CollaboratorReads.Conditional;
import io.repostream.executor.github.FileReads;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetKind;
import io.repostream.schemas.TypedTarget;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code read_file}: the file {@code params.path} of the repository ({@code GET
 * /repos/{owner}/{repo}/contents/{path}?ref=}) on the branch of the typed target ({@code
 * refs/heads/<branch>}), or at {@code params.ref} (a branch, tag or SHA) when given. The result is
 * GitHub's content object ({@code type}, {@code path}, {@code sha}, {@code content} in base64,
 * wrapped as GitHub wraps it, {@code encoding}) with {@code text} beside it: the content decoded as
 * UTF-8. A file that is not UTF-8, or too large for GitHub to send its content ({@code encoding:
 * none}), comes without {@code text}; a directory comes back as GitHub lists it. A missing file (or
 * ref) is GitHub's 404, which the rule reads as "no such file". The target {@link #DEFAULT_BRANCH}
 * reads the repository's default branch without knowing its name.
 *
 * <p>Permission: {@code contents: read}, under which GitHub's "Permissions required for GitHub
 * Apps" lists {@code GET /repos/{owner}/{repo}/contents/{path}}.
 */
public final class FileRead implements ReadHandler<FileReads> {
    private static final String BRANCH = "refs/heads/";

    /**
     * The target that means "the repository's default branch", whatever it is called: git refuses
     * {@code HEAD} as a branch's name, so no real branch is mistaken for it. The request then goes
     * without {@code ref}, and GitHub reads the default branch.
     */
    public static final String DEFAULT_BRANCH = "refs/heads/HEAD";

    private static final String TAG = "refs/tags/";

    @Override
    public ActionType type() {
        return ActionType.READ_FILE;
    }

    @Override
    public AppPermission permission() {
        return AppPermission.CONTENTS_READ;
    }

    @Override
    public void validate(ActionRecord action) {
        String path = action.params().path("path").asText("");
        if (path.isEmpty()
                || path.startsWith("/")
                || path.endsWith("/")
                || path.contains("//")
                || path.contains("\\")
                || path.chars().anyMatch(Character::isISOControl)
                || ("/" + path + "/").contains("/../")
                || ("/" + path + "/").contains("/./")) {
            throw new IllegalArgumentException(
                    "params.path must be a file's path in the repository (.github/CODEOWNERS),"
                            + " got '"
                            + path
                            + "' for "
                            + action.targetRef());
        }
        JsonNode ref = action.params().get("ref");
        if (ref != null && !ref.isNull() && (!ref.isTextual() || ref.asText().isBlank())) {
            throw new IllegalArgumentException(
                    "params.ref must be a branch, tag or SHA when given, got "
                            + ref
                            + " for "
                            + action.targetRef());
        }
        TypedTarget target = action.typedTarget();
        if (!target.kind().equals(TargetKind.REF)) {
            throw new IllegalArgumentException(
                    "a file is read on a ref (refs/heads/<branch>), not on " + action.targetRef());
        }
    }

    @Override
    public String resource(ActionRecord action) {
        String ref = ref(action);
        return action.repo()
                + "/contents/"
                + path(action)
                + (ref == null ? " (default branch)" : "?ref=" + ref);
    }

    @Override
    public GitHubResult<Conditional> read(FileReads github, ActionRecord action, String etag) {
        GitHubResult<Conditional> read =
                github.file(action.repo(), path(action), ref(action), etag);
        Conditional answer = read.value();
        if (answer.notModified() || answer.body() == null || !answer.body().isObject()) {
            return read;
        }
        ObjectNode body = ((ObjectNode) answer.body()).deepCopy();
        text(body).ifPresent(text -> body.put("text", text));
        return new GitHubResult<>(new Conditional(body, answer.etag(), false), read.response());
    }

    /** The decoded content of a file GitHub sent in base64, when it is UTF-8. */
    static Optional<String> text(JsonNode file) {
        if (!"file".equals(file.path("type").asText())
                || !"base64".equals(file.path("encoding").asText())
                || !file.path("content").isTextual()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            // GitHub wraps the base64 in lines of 60 characters
            bytes = Base64.getMimeDecoder().decode(file.path("content").asText());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String path(ActionRecord action) {
        return action.params().path("path").asText();
    }

    /**
     * {@code params.ref}, else the branch (or tag) the typed target names; null (the default
     * branch) for {@link #DEFAULT_BRANCH}.
     */
    private static String ref(ActionRecord action) {
        JsonNode ref = action.params().get("ref");
        if (ref != null && ref.isTextual()) {
            return ref.asText();
        }
        String name = action.typedTarget().id();
        if (name.equals(DEFAULT_BRANCH)) {
            return null;
        }
        if (name.startsWith(BRANCH)) {
            return name.substring(BRANCH.length());
        }
        if (name.startsWith(TAG)) {
            return name.substring(TAG.length());
        }
        return name;
    }
}
