package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What happened to one action (or one rollback of it). */
public enum AuditOutcome implements WireEnum {
    APPLIED("applied", true),
    SKIPPED_DUPLICATE("skipped_duplicate", true),
    SKIPPED_EXPIRED("skipped_expired", false),
    SKIPPED_DISABLED("skipped_disabled", false),
    DRY_RUN("dry_run", true),
    FAILED("failed", false),
    ROLLED_BACK("rolled_back", true),
    ROLLBACK_CONFLICT("rollback_conflict", false);

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
