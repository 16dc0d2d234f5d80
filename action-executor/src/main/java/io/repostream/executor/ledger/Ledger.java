package io.repostream.executor.ledger;

import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TypedTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the executor knows about every action: its snapshot and its audit records, rebuilt from the
 * snapshot and audit topics on start and kept current from then on. Thread-safe.
 *
 * <p>An action whose audit trail holds a decision (applied, failed, skipped, dry run) is never
 * applied again: this is the durable memory behind "at most once per action_id".
 */
public final class Ledger {
    /** Outcomes after which an action is done for good. */
    private static final Set<AuditOutcome> DECISIONS =
            EnumSet.of(
                    AuditOutcome.APPLIED,
                    AuditOutcome.FAILED,
                    AuditOutcome.SKIPPED_EXPIRED,
                    AuditOutcome.SKIPPED_DISABLED,
                    AuditOutcome.DRY_RUN,
                    AuditOutcome.READ);

    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<String, List<AuditRecord>> audits = new ConcurrentHashMap<>();
    private final Set<String> auditIds = ConcurrentHashMap.newKeySet();

    /**
     * The latest applied notification per type and dedup key: where a later notification with the
     * same key finds the Slack message to edit (ARCHITECTURE.md rule 3).
     */
    private final Map<String, AuditRecord> latestNotifications = new ConcurrentHashMap<>();

    public void add(Snapshot snapshot) {
        snapshots.put(snapshot.actionId(), snapshot);
    }

    /** Adds an audit record unless one with the same audit id is known (own writes come back). */
    public void add(AuditRecord audit) {
        if (!auditIds.add(audit.auditId())) {
            return;
        }
        audits.computeIfAbsent(audit.actionId(), id -> new CopyOnWriteArrayList<>()).add(audit);
        if (audit.actionType().notification()
                && (audit.outcome() == AuditOutcome.APPLIED
                        || audit.outcome() == AuditOutcome.ROLLED_BACK)
                && audit.after() != null) {
            latestNotifications.merge(
                    notificationKey(audit.actionType(), audit.typedTarget()),
                    audit,
                    (old, now) -> now.finishedAt().isBefore(old.finishedAt()) ? old : now);
        }
    }

    /**
     * The latest applied (or rolled back) notification of {@code type} with the dedup key of {@code
     * target}, whose after-state records what was delivered (the Slack message's channel and {@code
     * ts}).
     */
    public Optional<AuditRecord> latestNotification(ActionType type, TypedTarget target) {
        return Optional.ofNullable(latestNotifications.get(notificationKey(type, target)));
    }

    private static String notificationKey(ActionType type, TypedTarget target) {
        return type.wireName() + " " + target.id();
    }

    /** Takes back an audit record that Kafka refused, so that the action is tried again. */
    public void forget(AuditRecord audit) {
        if (!auditIds.remove(audit.auditId())) {
            return;
        }
        List<AuditRecord> trail = audits.get(audit.actionId());
        if (trail != null) {
            trail.removeIf(a -> a.auditId().equals(audit.auditId()));
        }
    }

    /** Whether an audit record with this audit id is known already. */
    public boolean knowsAudit(String auditId) {
        return auditIds.contains(auditId);
    }

    public Optional<Snapshot> snapshot(String actionId) {
        return Optional.ofNullable(snapshots.get(actionId));
    }

    /** Every audit record of the action, oldest first. */
    public List<AuditRecord> history(String actionId) {
        List<AuditRecord> list = new ArrayList<>(audits.getOrDefault(actionId, List.of()));
        list.sort(Comparator.comparing(AuditRecord::finishedAt));
        return list;
    }

    /** Whether the action was decided already (applied, failed, skipped or dry-run). */
    public boolean decided(String actionId) {
        return audits.getOrDefault(actionId, List.of()).stream()
                .anyMatch(a -> DECISIONS.contains(a.outcome()) && !isRollbackAudit(a));
    }

    /** The audit of the action's application, if it was applied. */
    public Optional<AuditRecord> applied(String actionId) {
        return audits.getOrDefault(actionId, List.of()).stream()
                .filter(a -> a.outcome() == AuditOutcome.APPLIED)
                .findFirst();
    }

    public boolean rolledBack(String actionId) {
        return audits.getOrDefault(actionId, List.of()).stream()
                .anyMatch(a -> a.outcome() == AuditOutcome.ROLLED_BACK);
    }

    /**
     * Applied actions of rule {@code producedBy} (any rule when null) on {@code repo} (any when
     * null) applied within {@code [from, to)} (open ends when null), oldest first.
     */
    public List<AuditRecord> appliedMatching(
            String producedBy, String repo, Instant from, Instant to) {
        List<AuditRecord> out = new ArrayList<>();
        for (List<AuditRecord> trail : audits.values()) {
            for (AuditRecord a : trail) {
                if (a.outcome() != AuditOutcome.APPLIED) {
                    continue;
                }
                if (producedBy != null && !producedBy.equals(a.producedBy())) {
                    continue;
                }
                if (repo != null && !repo.equalsIgnoreCase(a.repo())) {
                    continue;
                }
                if (from != null && a.finishedAt().isBefore(from)) {
                    continue;
                }
                if (to != null && !a.finishedAt().isBefore(to)) {
                    continue;
                }
                out.add(a);
            }
        }
        out.sort(Comparator.comparing(AuditRecord::finishedAt));
        return out;
    }

    public int size() {
        return audits.size();
    }

    /** Rollback audits carry the rollback's id suffix; they do not decide the action itself. */
    public static boolean isRollbackAudit(AuditRecord audit) {
        return audit.auditId().contains(ROLLBACK_MARK);
    }

    public static final String ROLLBACK_MARK = "/rollback/";
}
