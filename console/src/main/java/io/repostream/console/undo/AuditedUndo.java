package io.repostream.console.undo;

import io.repostream.console.ConsoleMetrics;
import io.repostream.console.web.BulkUndo;
import java.sql.SQLException;
import java.util.List;

/**
 * Undo through the executor's admin API, recorded with who asked: the one path the pages and the
 * scripts' API share. A preview is neither recorded nor counted; an undo is recorded in {@code
 * console_audit} (its result, or the executor's failure) and counted in {@code
 * repostream_console_undos_total}. Blocking: call it off the event loop.
 */
public final class AuditedUndo {
    private final ExecutorAdmin executor;
    private final ConsoleAudit audit;
    private final ConsoleMetrics metrics;

    public AuditedUndo(ExecutorAdmin executor, ConsoleAudit audit, ConsoleMetrics metrics) {
        this.executor = executor;
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * Who asks for an undo.
     *
     * @param login recorded in {@code console_audit}
     * @param role their role's wire name
     * @param requestedBy how the executor's audit names them ({@code octocat (console)})
     * @param via added to each recorded detail (the API token's name), or null
     */
    public record Asker(String login, String role, String requestedBy, String via) {}

    /**
     * Undoes (or previews undoing) action {@code actionId} on {@code item}.
     *
     * @throws ExecutorAdmin.ExecutorUnavailable when the executor cannot be asked (recorded)
     */
    public UndoResult one(String actionId, String item, boolean preview, Asker asker)
            throws SQLException {
        UndoResult result;
        try {
            result = executor.rollback(actionId, preview, asker.requestedBy());
        } catch (ExecutorAdmin.ExecutorUnavailable e) {
            if (!preview) {
                record(asker, "undo", actionId, item, "error", e.getMessage());
                metrics.undo("one", "error");
            }
            throw e;
        }
        if (!preview) {
            record(asker, "undo", actionId, item, result.status(), result.detail());
            metrics.undo("one", result.status());
        }
        return result;
    }

    /**
     * Undoes (or previews undoing) every action {@code request} names, newest first.
     *
     * @throws ExecutorAdmin.ExecutorUnavailable when the executor cannot be asked (recorded)
     */
    public List<UndoResult> rule(BulkUndo request, boolean preview, Asker asker)
            throws SQLException {
        List<UndoResult> results;
        try {
            results =
                    executor.rollbackAll(
                            request.producedBy(),
                            request.repo(),
                            request.from(),
                            request.to(),
                            preview,
                            asker.requestedBy());
        } catch (ExecutorAdmin.ExecutorUnavailable e) {
            if (!preview) {
                record(asker, "undo_rule", null, request.describe(), "error", e.getMessage());
                metrics.undo("rule", "error");
            }
            throw e;
        }
        if (!preview) {
            for (UndoResult r : results) {
                record(
                        asker,
                        "undo_rule",
                        r.actionId(),
                        r.target() + " (" + request.describe() + ")",
                        r.status(),
                        r.detail());
                metrics.undo("rule", r.status());
            }
        }
        return results;
    }

    private void record(
            Asker asker,
            String what,
            String actionId,
            String subject,
            String outcome,
            String detail)
            throws SQLException {
        String recorded =
                asker.via() == null ? detail : (detail == null ? "" : detail + " ") + asker.via();
        audit.record(asker.login(), asker.role(), what, actionId, subject, outcome, recorded);
    }
}
