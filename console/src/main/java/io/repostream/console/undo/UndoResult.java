package io.repostream.console.undo;

import java.util.Locale;

/**
 * What the executor did, or in a preview would do, to one action: its rollback result as the admin
 * API answers it.
 *
 * @param actionId the action
 * @param target {@code owner/repo#12}, or null when the executor does not know the action
 * @param status the executor's status ({@code PREVIEW}, {@code ROLLED_BACK}, {@code CONFLICT},
 *     {@code IRREVERSIBLE}, {@code NOTHING_TO_UNDO}, {@code ALREADY_ROLLED_BACK}, {@code
 *     NOT_APPLIED}, {@code FAILED})
 * @param detail the plan, the conflict's difference, or why nothing happens
 */
public record UndoResult(String actionId, String target, String status, String detail) {

    /** A preview whose confirmation would change something on GitHub. */
    public boolean wouldRestore() {
        return "PREVIEW".equals(status);
    }

    /** A preview that the executor would settle without a change (audited as rolled back). */
    public boolean confirmable() {
        return wouldRestore() || "NOTHING_TO_UNDO".equals(status);
    }

    /** A conflict: somebody changed the target since; the undo leaves it alone. */
    public boolean conflict() {
        return "CONFLICT".equals(status);
    }

    /** The status as the pages write it: {@code rolled back}, {@code conflict}, ... */
    public String label() {
        return switch (status) {
            case "PREVIEW" -> "will restore";
            case "CONFLICT" -> "conflict: left alone";
            default -> status.toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }
}
