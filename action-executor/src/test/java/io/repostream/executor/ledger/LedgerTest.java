package io.repostream.executor.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void anActionTheFlinkJobDroppedIsNeitherDecidedNorApplied() {
        Ledger ledger = new Ledger();
        // what the job's governor writes to github.audit.v1, read back on the executor's start
        ledger.add(audit("a-1/dropped", AuditOutcome.DROPPED));

        assertThat(ledger.decided("a-1")).isFalse();
        assertThat(ledger.applied("a-1")).isEmpty();
        assertThat(ledger.appliedMatching(null, null, null, null)).isEmpty();
        assertThat(ledger.history("a-1"))
                .extracting(AuditRecord::outcome)
                .containsExactly(AuditOutcome.DROPPED);
    }

    @Test
    void anAppliedActionStaysDecidedWhateverElseItsTrailHolds() {
        Ledger ledger = new Ledger();
        ledger.add(audit("a-1/dropped", AuditOutcome.DROPPED));
        ledger.add(audit("a-1/1", AuditOutcome.APPLIED));

        assertThat(ledger.decided("a-1")).isTrue();
        assertThat(ledger.applied("a-1")).isPresent();
    }

    private static AuditRecord audit(String auditId, AuditOutcome outcome) {
        return new AuditRecord(
                auditId,
                "a-1",
                "octo-org/widgets",
                1,
                ActionType.ADD_LABELS,
                outcome,
                null,
                null,
                null,
                null,
                null,
                "triage-label@1",
                List.of("ev-1"),
                null,
                T0,
                T0);
    }
}
