package io.repostream.console.query;

import java.time.Instant;

/**
 * One line of the Actions list: an action with its latest outcome.
 *
 * @param outcome the latest audit outcome, or {@code pending} while none was audited
 * @param deferredUntil when a pending action is not due before a later time (rate governor)
 * @param error why it failed, was skipped or was dropped
 * @param updatedAt when its latest record was written
 */
public record ActionRow(
        String actionId,
        String repo,
        long target,
        String actionType,
        String producedBy,
        String rule,
        String outcome,
        Instant deferredUntil,
        String reason,
        String error,
        boolean dryRun,
        Instant updatedAt) {

    /** {@code owner/repo#12}. */
    public String item() {
        return repo + "#" + target;
    }
}
