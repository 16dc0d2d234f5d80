package io.repostream.console.query;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TargetState;
import java.util.List;

/**
 * Everything the console knows about one action.
 *
 * @param summary its line in the Actions list
 * @param action the proposed action (null when only its audit is known, e.g. a dropped one)
 * @param snapshot the before-state the executor wrote before mutating (null when none)
 * @param audits every audit record of it, oldest first: the attempt, dry run or drop, rollbacks
 * @param causes the events behind it, in the order the action names them
 * @param diff the state before against the state after
 * @param githubUrl the item on GitHub
 */
public record ActionDetail(
        ActionRow summary,
        ActionRecord action,
        Snapshot snapshot,
        List<AuditRecord> audits,
        List<CauseEvent> causes,
        List<DiffRow> diff,
        String githubUrl) {

    /** The state before: the snapshot's, else what the first audit record read. */
    public static TargetState before(Snapshot snapshot, List<AuditRecord> audits) {
        if (snapshot != null) {
            return snapshot.before();
        }
        return audits.stream()
                .map(AuditRecord::before)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    /** The state after: what the audit of the action itself (not of a rollback) recorded. */
    public static TargetState after(List<AuditRecord> audits) {
        return audits.stream()
                .filter(a -> a.outcome() != io.repostream.schemas.AuditOutcome.ROLLED_BACK)
                .filter(a -> a.outcome() != io.repostream.schemas.AuditOutcome.ROLLBACK_CONFLICT)
                .map(AuditRecord::after)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(null);
    }
}
