package io.repostream.console.support;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.ActionMetadata;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TargetState;
import java.time.Instant;
import java.util.List;

/** Records as the Flink job and the executor write them, for the console's tests. */
public final class Records {
    public static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private Records() {}

    /** {@code triage-label@1} adds {@code labels} to {@code repo#target}. */
    public static ActionRecord addLabels(
            String actionId, String repo, long target, List<String> labels) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        labels.forEach(params.putArray("labels")::add);
        return new ActionRecord(
                actionId,
                repo,
                target,
                ActionType.ADD_LABELS,
                params,
                "the title mentions a crash",
                List.of("title matched /crash/"),
                0.87,
                "triage-label@1",
                List.of("delivery-" + actionId),
                7L,
                T0,
                null,
                null,
                false);
    }

    public static Snapshot snapshot(ActionRecord action, TargetState before) {
        return new Snapshot(
                action.actionId(),
                action.repo(),
                action.target(),
                action.type(),
                action.producedBy(),
                T0.plusSeconds(1),
                before);
    }

    /** The executor's audit record of {@code action} ending in {@code outcome}. */
    public static AuditRecord audit(
            ActionRecord action,
            String auditSuffix,
            AuditOutcome outcome,
            TargetState before,
            TargetState after,
            Integer status,
            String error,
            Instant finishedAt) {
        return new AuditRecord(
                action.actionId() + "/" + auditSuffix,
                action.actionId(),
                action.repo(),
                action.target(),
                action.type(),
                outcome,
                before,
                after,
                status,
                status == null ? null : new RateLimit(5000, 4987, 13, 1796126400L, "core", null),
                error,
                action.producedBy(),
                action.causedBy(),
                ActionMetadata.of(action),
                finishedAt.minusMillis(120),
                finishedAt);
    }

    /** The {@code issues.opened} webhook delivery {@code eventId} of {@code repo#number}. */
    public static GitHubEvent issueOpened(
            String eventId, String repo, long number, String title, String sender) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("action", "opened");
        ObjectNode issue = payload.putObject("issue");
        issue.put("number", number);
        issue.put("title", title);
        issue.put("html_url", "https://github.com/" + repo + "/issues/" + number);
        payload.putObject("sender").put("login", sender);
        return new GitHubEvent(
                eventId,
                EventSource.WEBHOOK,
                "issues",
                "opened",
                repo,
                repo.substring(0, repo.indexOf('/')),
                7L,
                T0.minusSeconds(30),
                T0.minusSeconds(29),
                payload);
    }

    public static TargetState issue(String state, List<String> labels) {
        return TargetState.issue(state, labels, List.of("alice"));
    }
}
