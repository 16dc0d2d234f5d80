package io.repostream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;

/**
 * A mutation that a rule proposes, on {@code github.actions.v1}, keyed by repo.
 *
 * @param actionId deterministic: the same cause gives the same id, so replays are idempotent
 * @param repo lowercase {@code owner/repo}
 * @param target the issue or pull request number, or the workflow run id
 * @param type what to do
 * @param params the type's parameters (e.g. {@code {"labels":["triage"]}})
 * @param reason why, in words a maintainer reads
 * @param evidence what the rule saw (event ids, matched lines, ...)
 * @param confidence 0..1
 * @param producedBy rule or job name with version, e.g. {@code triage-label@1}
 * @param causedBy the event ids behind it
 * @param installationId the GitHub App installation that owns the repo, when known
 * @param createdAt event time of the cause
 * @param notBefore do not apply before this instant (rate governor, backoff); null = now
 * @param expiresAt drop (and audit) when not applied by then; null = never
 * @param dryRun audit the would-be change instead of making it
 */
public record ActionRecord(
        String actionId,
        String repo,
        long target,
        ActionType type,
        JsonNode params,
        String reason,
        List<String> evidence,
        double confidence,
        String producedBy,
        List<String> causedBy,
        Long installationId,
        Instant createdAt,
        Instant notBefore,
        Instant expiresAt,
        boolean dryRun) {

    public ActionRecord {
        Require.text(actionId, "action_id");
        repo = Require.repo(repo, "repo");
        if (target <= 0) {
            throw new IllegalArgumentException("target must be positive, got " + target);
        }
        Require.present(type, "type");
        params = params == null ? JsonNodeFactory.instance.objectNode() : params;
        Require.text(reason, "reason");
        evidence = Require.list(evidence);
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be within 0..1, got " + confidence);
        }
        Require.text(producedBy, "produced_by");
        causedBy = Require.list(causedBy);
        Require.present(createdAt, "created_at");
    }

    /** The same action, not due before {@code at} (a governor's delay). */
    public ActionRecord withNotBefore(Instant at) {
        return copy(at, expiresAt, dryRun);
    }

    /** The same action, dropped if not applied by {@code at}. */
    public ActionRecord withExpiresAt(Instant at) {
        return copy(notBefore, at, dryRun);
    }

    /** The same action as a dry run: audited, nothing written. */
    public ActionRecord asDryRun() {
        return copy(notBefore, expiresAt, true);
    }

    private ActionRecord copy(Instant notBefore, Instant expiresAt, boolean dryRun) {
        return new ActionRecord(
                actionId,
                repo,
                target,
                type,
                params,
                reason,
                evidence,
                confidence,
                producedBy,
                causedBy,
                installationId,
                createdAt,
                notBefore,
                expiresAt,
                dryRun);
    }

    /** {@code owner/repo#123}, the way errors and logs name the target. */
    public String targetRef() {
        return repo + "#" + target;
    }
}
