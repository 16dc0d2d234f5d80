package io.repostream.flink.functions;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;

/**
 * Which actions get the budget first when it runs short: SLA breaches, then CI re-runs, then
 * everything else (labels, comments of other rules). Lower classes may use only part of a budget,
 * so the rest stays free for the higher ones.
 */
public enum ActionPriority {
    SLA_BREACH(1.0),
    RERUN(0.85),
    ROUTINE(0.7);

    private final double budgetShare;

    ActionPriority(double budgetShare) {
        this.budgetShare = budgetShare;
    }

    public static ActionPriority of(ActionRecord action) {
        if (action.producedBy().startsWith("sla-monitor@")) {
            return SLA_BREACH;
        }
        if (action.type() == ActionType.RERUN_FAILED_JOBS
                || action.type() == ActionType.RERUN_WORKFLOW) {
            return RERUN;
        }
        return ROUTINE;
    }

    /** The part of {@code limit} this class may fill (at least 1 when the limit is positive). */
    public int share(int limit) {
        return limit <= 0 ? 0 : Math.max(1, (int) Math.floor(limit * budgetShare));
    }
}
