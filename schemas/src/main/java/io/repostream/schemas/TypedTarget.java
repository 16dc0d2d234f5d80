package io.repostream.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What an action acts on, typed ({@code typed_target} of {@code github.actions.v1}): an issue, a
 * pull request, a workflow run, a ref, a commit, a workflow, a notification, or a kind added later.
 *
 * <p>The id is a string whatever the kind: a number for issues, pull requests and runs, a name or
 * SHA for the others. For the kinds this version knows it is checked and put in one form, so that
 * one target has one id (lanes and rollback compare them).
 *
 * @param kind what the id names
 * @param id the target's id within its kind and repo
 */
public record TypedTarget(TargetKind kind, String id) {
    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    public TypedTarget {
        Require.present(kind, "typed_target.kind");
        Require.text(id, "typed_target.id");
        if (kind.equals(TargetKind.ISSUE)
                || kind.equals(TargetKind.PULL_REQUEST)
                || kind.equals(TargetKind.WORKFLOW_RUN)) {
            if (parse(id).isEmpty()) {
                throw new IllegalArgumentException(
                        "typed_target.id of a "
                                + kind
                                + " must be a positive number, got '"
                                + id
                                + "'");
            }
        } else if (kind.equals(TargetKind.COMMIT)) {
            id = id.toLowerCase(Locale.ROOT);
            if (!SHA.matcher(id).matches()) {
                throw new IllegalArgumentException(
                        "typed_target.id of a commit must be its 40-digit SHA, got '" + id + "'");
            }
        } else if (kind.equals(TargetKind.REF)) {
            if (!id.startsWith("refs/") || id.length() == "refs/".length()) {
                throw new IllegalArgumentException(
                        "typed_target.id of a ref must be its full name (refs/heads/main), got '"
                                + id
                                + "'");
            }
        }
    }

    public static TypedTarget issue(long number) {
        return new TypedTarget(TargetKind.ISSUE, Long.toString(number));
    }

    public static TypedTarget pullRequest(long number) {
        return new TypedTarget(TargetKind.PULL_REQUEST, Long.toString(number));
    }

    public static TypedTarget workflowRun(long runId) {
        return new TypedTarget(TargetKind.WORKFLOW_RUN, Long.toString(runId));
    }

    /** {@code refName} in full, e.g. {@code refs/heads/main}. */
    public static TypedTarget ref(String refName) {
        return new TypedTarget(TargetKind.REF, refName);
    }

    public static TypedTarget commit(String sha) {
        return new TypedTarget(TargetKind.COMMIT, sha);
    }

    /** A workflow by its id or its file name ({@code ci.yml}). */
    public static TypedTarget workflow(String idOrFileName) {
        return new TypedTarget(TargetKind.WORKFLOW, idOrFileName);
    }

    /** A notification (Slack, PagerDuty) by its dedup key. */
    public static TypedTarget notification(String dedupKey) {
        return new TypedTarget(TargetKind.NOTIFICATION, dedupKey);
    }

    /**
     * Checks that a record's integer {@code target} and its {@code typed_target} name the same
     * thing: a reader of the released schema acts on {@code target}.
     *
     * @param declared the typed target written, or null
     * @param repo for the error
     */
    static void requireSameTarget(long target, TypedTarget declared, String repo) {
        if (declared != null
                && declared.number().isPresent()
                && declared.number().getAsLong() != target) {
            throw new IllegalArgumentException(
                    "target "
                            + target
                            + " does not match typed_target "
                            + declared
                            + " of "
                            + repo);
        }
    }

    /**
     * What a record without a {@code typed_target} acts on: its type's own kind with {@code target}
     * as its id, which is what such a record has always meant; null when {@code target} names
     * nothing (an audit record may carry 0).
     */
    static TypedTarget implied(ActionType type, long target) {
        return target > 0 ? new TypedTarget(type.defaultTargetKind(), Long.toString(target)) : null;
    }

    /** The id as a number, when it is one (issues, pull requests, runs, a workflow's id). */
    public OptionalLong number() {
        return parse(id);
    }

    /** Whether the target is an issue or a pull request: one numbering, one item on GitHub. */
    public boolean namesAnIssueOrPullRequest() {
        return kind.equals(TargetKind.ISSUE) || kind.equals(TargetKind.PULL_REQUEST);
    }

    /**
     * The integer {@code target} written beside this typed target, for readers of the released
     * schema, which requires one: the id when it is a number; otherwise a positive number of at
     * most 52 bits taken from the SHA-256 of {@code kind:id}, which says nothing but stays the same
     * for the same target.
     */
    public long legacyTarget() {
        OptionalLong n = number();
        if (n.isPresent()) {
            return n.getAsLong();
        }
        byte[] digest = sha256(kind.wireName() + ":" + id);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xff);
        }
        long positive = bits >>> 12;
        return positive == 0 ? 1 : positive;
    }

    private static OptionalLong parse(String id) {
        if (!NUMBER.matcher(id).matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(id));
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** {@code workflow_run:123}, the way logs name it. */
    @Override
    public String toString() {
        return kind + ":" + id;
    }
}
