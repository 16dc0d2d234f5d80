package io.repostream.executor.rollback;

/**
 * What a rollback request did (or, in a preview, would do) to one action.
 *
 * @param actionId the action
 * @param target {@code owner/repo#12}, or null when the action is unknown
 * @param status what happened
 * @param detail the plan, the conflict's difference, or why nothing happened
 */
public record RollbackResult(String actionId, String target, Status status, String detail) {

    public enum Status {
        /** Restored the part of the target the action changed. */
        ROLLED_BACK,
        /** The target changed since; the change was left alone. */
        CONFLICT,
        /** GitHub cannot undo this action. */
        IRREVERSIBLE,
        /** The action changed nothing, so nothing had to be undone. */
        NOTHING_TO_UNDO,
        /** Rolled back before; nothing was sent again. */
        ALREADY_ROLLED_BACK,
        /** No applied action with this id is known. */
        NOT_APPLIED,
        /** GitHub refused or failed the undo. */
        FAILED,
        /** Dry run: the plan, not sent. */
        PREVIEW
    }
}
