package io.repostream.flink.governors;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;

/**
 * What the governors read, in one stream so they can also read the broadcast policies: a proposed
 * action, or an audit record carrying GitHub's rate-limit headers back.
 *
 * @param action a proposed action, or null
 * @param audit an audit record, or null
 * @param installation the installation key an audit record's quota belongs to, once the repo
 *     governor has learned it from the repo's actions; null otherwise
 * @param delayed whether the repo governor moved the action past the time it asked for; the
 *     installation governor, last in line, counts each delayed action once
 */
public record GovernorInput(
        ActionRecord action, AuditRecord audit, String installation, boolean delayed) {
    public GovernorInput {
        if ((action == null) == (audit == null)) {
            throw new IllegalArgumentException("exactly one of action and audit is required");
        }
    }

    /** An input no governor has delayed yet. */
    public GovernorInput(ActionRecord action, AuditRecord audit, String installation) {
        this(action, audit, installation, false);
    }

    public static GovernorInput of(ActionRecord action) {
        return new GovernorInput(action, null, null);
    }

    public static GovernorInput of(AuditRecord audit) {
        return new GovernorInput(null, audit, null);
    }

    public String repo() {
        return action != null ? action.repo() : audit.repo();
    }

    /**
     * Whose GitHub limits apply: {@code installation:<id>}, or {@code repo:<owner/repo>} for
     * actions of repositories whose installation is unknown (a token of their own).
     */
    public String installationKey() {
        if (installation != null) {
            return installation;
        }
        return action != null ? installationKeyOf(action) : "repo:" + audit.repo();
    }

    static String installationKeyOf(ActionRecord action) {
        return action.installationId() != null
                ? "installation:" + action.installationId()
                : "repo:" + action.repo();
    }
}
