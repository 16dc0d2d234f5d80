package io.repostream.flink.governors;

import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.ActionMetadata;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a governor drops a proposed action, never silently: a log line (rule, repo, item, reason),
 * the {@code droppedActions} counter labelled with the reason, and an {@link AuditRecord} with
 * outcome {@code dropped} on {@link #AUDITS}, which the job writes to {@code github.audit.v1}
 * exactly once, so a person can find later what was not done and why. The audit id is derived from
 * the action id, so a replay from a checkpoint writes the same record.
 */
public final class ActionDrops {
    private static final Logger LOG = LoggerFactory.getLogger(ActionDrops.class);
    private static final String LINE = "{} dropped {} by {} on {}#{} ({}): {}: {}";

    /** The governors' audit records of dropped actions. */
    public static final OutputTag<AuditRecord> AUDITS =
            new OutputTag<>("dropped-actions", JsonTypeInfo.of(AuditRecord.class));

    /** Why an action was dropped: the {@code reason} label, and the start of the audit's error. */
    public enum Reason {
        /** The repo's policy does not enable the action's type. */
        ACTION_TYPE_DISABLED,
        /** The repo's action budget leaves nothing per hour for the action's priority. */
        REPO_BUDGET_ZERO,
        /** The repo's budget has no room before the action expires. */
        REPO_BUDGET_EXHAUSTED,
        /** GitHub's limits for the installation leave no room before the action expires. */
        INSTALLATION_LIMIT_EXHAUSTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String governor;
    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

    /** Registers the counters of {@code governor} (the operator's name, for the log line). */
    ActionDrops(String governor, MetricGroup metrics) {
        this.governor = governor;
        for (Reason reason : Reason.values()) {
            counters.put(
                    reason, metrics.addGroup("reason", reason.label()).counter("droppedActions"));
        }
    }

    /**
     * Logs and counts the drop of {@code action}; returns its audit record for {@link #AUDITS}.
     *
     * @param detail the reason in words, for the log line and the audit record's error
     */
    AuditRecord drop(ActionRecord action, Reason reason, String detail, long nowMs) {
        counters.get(reason).inc();
        Object[] line = {
            governor,
            action.type().wireName(),
            action.producedBy(),
            action.repo(),
            action.target(),
            action.actionId(),
            reason.label(),
            detail
        };
        // a type the policy leaves off is the policy working, not a problem: INFO, not WARN
        if (reason == Reason.ACTION_TYPE_DISABLED) {
            LOG.info(LINE, line);
        } else {
            LOG.warn(LINE, line);
        }
        Instant now = Instant.ofEpochMilli(nowMs);
        return new AuditRecord(
                action.actionId() + "/dropped",
                action.actionId(),
                action.repo(),
                action.target(),
                action.declaredTarget(),
                action.type(),
                AuditOutcome.DROPPED,
                null,
                null,
                null,
                null,
                reason.label() + ": " + detail,
                action.producedBy(),
                action.causedBy(),
                ActionMetadata.of(action),
                now,
                now);
    }

    /** Drops counted so far for {@code reason}, for tests. */
    long count(Reason reason) {
        return counters.get(reason).getCount();
    }
}
