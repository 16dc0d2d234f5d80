package io.repostream.flink;

import io.repostream.schemas.ActionMetadata;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetState;
import java.time.Instant;

/**
 * Audit records as the executor writes them ({@code ActionProcessor.audit}, {@code
 * RollbackService.audit}): the same ids, fields and wording, made from the action the rule emitted.
 */
public final class Audits {
    private Audits() {}

    /** The executor's audit of {@code action}, finished at {@code at}. */
    public static AuditRecord of(
            ActionRecord action,
            AuditOutcome outcome,
            TargetState before,
            Integer githubStatus,
            String error,
            Instant at) {
        return new AuditRecord(
                action.actionId() + "/" + outcome.wireName() + "/1",
                action.actionId(),
                action.repo(),
                action.target(),
                action.typedTarget(),
                action.type(),
                outcome,
                before,
                null,
                githubStatus,
                null,
                error,
                action.producedBy(),
                action.causedBy(),
                ActionMetadata.of(action),
                at.minusMillis(200),
                at);
    }

    /** A rollback's audit of the applied action {@code applied} ({@code Ledger.ROLLBACK_MARK}). */
    public static AuditRecord rollback(
            AuditRecord applied, AuditOutcome outcome, String detail, Instant at) {
        return new AuditRecord(
                applied.actionId() + "/rollback/1",
                applied.actionId(),
                applied.repo(),
                applied.target(),
                applied.declaredTarget(),
                applied.actionType(),
                outcome,
                applied.after(),
                null,
                null,
                null,
                detail,
                applied.producedBy(),
                applied.causedBy(),
                applied.metadata(),
                at.minusMillis(200),
                at,
                "octocat (console)");
    }

    /** An open pull request at {@code headSha}, as the merge handler reads it. */
    public static TargetState openPullRequest(String headSha) {
        return new TargetState(
                "pull_request",
                "open",
                null,
                null,
                null,
                null,
                headSha,
                false,
                null,
                null,
                null,
                null,
                null);
    }

    /**
     * The error the merge handler audits for GitHub's {@code status} ({@code
     * MergePullRequestHandler.refused}), with GitHub's message as the simulator gives it.
     */
    public static String mergeRefused(ActionRecord merge, int status) {
        String ref = merge.repo() + "#" + merge.target();
        String sha = merge.params().path("head_sha").asText();
        return switch (status) {
            case 409 ->
                    "merge of "
                            + ref
                            + " refused, head_moved: the head of the pull request is no longer "
                            + sha
                            + " (Head branch was modified. Review and try the merge again.)";
            case 405 ->
                    "merge of "
                            + ref
                            + " refused, not_mergeable: GitHub refused to merge (a conflict, a"
                            + " merge method or branch rule the base does not allow, or already"
                            + " merged or closed) (Pull Request is not mergeable)";
            case 422 ->
                    "merge of "
                            + ref
                            + " refused, invalid: GitHub refused the merge request as invalid"
                            + " (Validation Failed)";
            default -> "GitHub answered " + status + " (Server Error)";
        };
    }

    /** The refusal the merge handler audits when the head moved before it sent the merge. */
    public static String headMovedBeforeSending(ActionRecord merge, String newHead) {
        return "head of "
                + merge.repo()
                + "#"
                + merge.target()
                + " moved from "
                + merge.params().path("head_sha").asText()
                + " to "
                + newHead
                + "; not merging a commit the rule did not see";
    }
}
