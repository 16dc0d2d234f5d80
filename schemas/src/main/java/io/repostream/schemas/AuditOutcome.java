package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What happened to one action (or one rollback of it). Readers must tolerate values added later (v1
 * topics change additively only).
 */
public enum AuditOutcome implements WireEnum {
    APPLIED("applied", true),
    SKIPPED_DUPLICATE("skipped_duplicate", true),
    SKIPPED_EXPIRED("skipped_expired", false),
    SKIPPED_DISABLED("skipped_disabled", false),
    DRY_RUN("dry_run", true),
    FAILED("failed", false),
    ROLLED_BACK("rolled_back", true),
    ROLLBACK_CONFLICT("rollback_conflict", false),
    /**
     * Never sent to the executor: the Flink job's governors dropped the proposed action (its type
     * is disabled, the repo's budget is 0, or no send time within a budget or GitHub's limits came
     * before it expired). Written by the job; the error says why. Not a decision about the action
     * id: the executor would still apply the same id if it arrived.
     */
    DROPPED("dropped", false),
    /**
     * A read action done: its result was written to {@code github.events.v1} ({@code source:
     * enrichment}) in the same Kafka transaction as this record. A decision: never read again.
     */
    READ("read", true);

    private final String wire;
    private final boolean success;

    AuditOutcome(String wire, boolean success) {
        this.wire = wire;
        this.success = success;
    }

    @Override
    @JsonValue
    public String wireName() {
        return wire;
    }

    /** Whether the outcome is what the action (or rollback) wanted. */
    public boolean success() {
        return success;
    }

    @JsonCreator
    public static AuditOutcome of(String wire) {
        return WireEnum.parse(AuditOutcome.class, wire);
    }
}
