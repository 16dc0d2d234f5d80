package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;

/**
 * A mutation that a rule proposes, on {@code github.actions.v1}, keyed by repo.
 *
 * @param actionId deterministic: the same cause gives the same id, so replays are idempotent
 * @param repo lowercase {@code owner/repo}
 * @param target the issue or pull request number, or the workflow run id; with a {@code
 *     declaredTarget}, its id when that is a number, else {@link TypedTarget#legacyTarget()} (the
 *     released schema requires a positive integer here)
 * @param declaredTarget {@code typed_target}: what the action acts on, typed, when the writer said
 *     so; null in records from before it existed, which {@link #typedTarget()} reads as before
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
        @JsonProperty("typed_target") TypedTarget declaredTarget,
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
        // a reader of the released schema acts on target: both must name the same thing
        TypedTarget.requireSameTarget(target, declaredTarget, repo);
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

    /** An action without a typed target, as every record was before {@code typed_target}. */
    public ActionRecord(
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
        this(
                actionId,
                repo,
                target,
                null,
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

    /**
     * What the action acts on: the {@code typed_target} written, or for a record without one, the
     * type's default kind ({@link ActionType#defaultTargetKind()}) with {@code target} as its id,
     * which is what such a record has always meant.
     */
    public TypedTarget typedTarget() {
        return declaredTarget != null
                ? declaredTarget
                : new TypedTarget(type.defaultTargetKind(), Long.toString(target));
    }

    /**
     * The same action on {@code on}, written as {@code typed_target}, with {@code target} set to
     * match it ({@link TypedTarget#legacyTarget()}).
     */
    public ActionRecord withTypedTarget(TypedTarget on) {
        return new ActionRecord(
                actionId,
                repo,
                on.legacyTarget(),
                on,
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
                declaredTarget,
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

    /**
     * {@code owner/repo#123}, the way errors and logs name the target (an issue, a pull request or
     * a run, as before); any other kind is named by kind and id, e.g. {@code owner/repo ref
     * refs/heads/main}.
     */
    public String targetRef() {
        TypedTarget t = typedTarget();
        return t.namesAnIssueOrPullRequest() || t.kind().equals(TargetKind.WORKFLOW_RUN)
                ? repo + "#" + target
                : repo + " " + t.kind() + " " + t.id();
    }
}
