package io.repostream.flink.functions;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;

/**
 * What the {@link ActionRateGovernor} reads, in one stream so it can also read the broadcast
 * policies: a proposed action, or an audit record carrying GitHub's rate-limit headers back.
 */
public record GovernorInput(ActionRecord action, AuditRecord audit) {
    public GovernorInput {
        if ((action == null) == (audit == null)) {
            throw new IllegalArgumentException("exactly one of action and audit is required");
        }
    }

    public static GovernorInput of(ActionRecord action) {
        return new GovernorInput(action, null);
    }

    public static GovernorInput of(AuditRecord audit) {
        return new GovernorInput(null, audit);
    }

    public String repo() {
        return action != null ? action.repo() : audit.repo();
    }
}
