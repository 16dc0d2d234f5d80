package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * What happened to one action, on {@code github.audit.v1}, keyed by repo. Carries GitHub's
 * rate-limit headers back to Flink.
 *
 * @param auditId unique per audit record ({@code action_id} + attempt or rollback)
 * @param actionId the action audited
 * @param repo lowercase {@code owner/repo}
 * @param target issue/PR number or run id; with a {@code declaredTarget}, the action's {@code
 *     target} derived from it ({@link TypedTarget#legacyTarget()})
 * @param declaredTarget {@code typed_target}: the action's typed target, as the executor carries
 *     it; null in records from before it existed (and from writers that do not know it), which
 *     {@link #typedTarget()} reads as before
 * @param actionType the action's type
 * @param outcome what happened
 * @param before state read before the mutation (null when nothing was read)
 * @param after state after the mutation (null when nothing changed)
 * @param githubStatus the HTTP status of GitHub's answer to the mutation, when one was sent
 * @param rateLimit the rate-limit headers of that answer
 * @param error why it failed or was skipped, in words
 * @param producedBy the rule that proposed the action
 * @param causedBy the event ids behind the action
 * @param metadata confidence, reason and evidence of the action
 * @param startedAt when the executor started on it
 * @param finishedAt when it finished
 * @param requestedBy who asked for a rollback ({@code octocat (console)}, an API token's owner);
 *     optional, added after the release: null on every other outcome, on rollbacks asked without a
 *     name and in records written before it existed
 */
public record AuditRecord(
        String auditId,
        String actionId,
        String repo,
        long target,
        @JsonProperty("typed_target") TypedTarget declaredTarget,
        ActionType actionType,
        AuditOutcome outcome,
        TargetState before,
        TargetState after,
        Integer githubStatus,
        RateLimit rateLimit,
        String error,
        String producedBy,
        List<String> causedBy,
        ActionMetadata metadata,
        Instant startedAt,
        Instant finishedAt,
        String requestedBy) {

    public AuditRecord {
        Require.text(auditId, "audit_id");
        Require.text(actionId, "action_id");
        repo = Require.repo(repo, "repo");
        TypedTarget.requireSameTarget(target, declaredTarget, repo);
        Require.present(actionType, "action_type");
        Require.present(outcome, "outcome");
        Require.text(producedBy, "produced_by");
        causedBy = Require.list(causedBy);
        Require.present(startedAt, "started_at");
        Require.present(finishedAt, "finished_at");
        requestedBy = requestedBy == null || requestedBy.isBlank() ? null : requestedBy.strip();
    }

    /**
     * An audit record that names nobody who asked, as every one was before {@code requested_by}.
     */
    public AuditRecord(
            String auditId,
            String actionId,
            String repo,
            long target,
            TypedTarget declaredTarget,
            ActionType actionType,
            AuditOutcome outcome,
            TargetState before,
            TargetState after,
            Integer githubStatus,
            RateLimit rateLimit,
            String error,
            String producedBy,
            List<String> causedBy,
            ActionMetadata metadata,
            Instant startedAt,
            Instant finishedAt) {
        this(
                auditId,
                actionId,
                repo,
                target,
                declaredTarget,
                actionType,
                outcome,
                before,
                after,
                githubStatus,
                rateLimit,
                error,
                producedBy,
                causedBy,
                metadata,
                startedAt,
                finishedAt,
                null);
    }

    /** An audit record without a typed target, as every one was before {@code typed_target}. */
    public AuditRecord(
            String auditId,
            String actionId,
            String repo,
            long target,
            ActionType actionType,
            AuditOutcome outcome,
            TargetState before,
            TargetState after,
            Integer githubStatus,
            RateLimit rateLimit,
            String error,
            String producedBy,
            List<String> causedBy,
            ActionMetadata metadata,
            Instant startedAt,
            Instant finishedAt) {
        this(
                auditId,
                actionId,
                repo,
                target,
                null,
                actionType,
                outcome,
                before,
                after,
                githubStatus,
                rateLimit,
                error,
                producedBy,
                causedBy,
                metadata,
                startedAt,
                finishedAt);
    }

    /**
     * What the audited action acted on: the {@code typed_target} written, or for a record without
     * one, the type's own kind with {@code target} as its id (null when {@code target} is not a
     * positive number).
     */
    public TypedTarget typedTarget() {
        return declaredTarget != null ? declaredTarget : TypedTarget.implied(actionType, target);
    }

    /** The same record about an action on {@code on}, with {@code target} set to match it. */
    public AuditRecord withTypedTarget(TypedTarget on) {
        return new AuditRecord(
                auditId,
                actionId,
                repo,
                on.legacyTarget(),
                on,
                actionType,
                outcome,
                before,
                after,
                githubStatus,
                rateLimit,
                error,
                producedBy,
                causedBy,
                metadata,
                startedAt,
                finishedAt,
                requestedBy);
    }

    /** Derived from the outcome; written out so that consumers need not know every outcome. */
    @JsonProperty("success")
    public boolean success() {
        return outcome.success();
    }
}
