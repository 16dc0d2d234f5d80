package io.repostream.flink.rules;

import io.repostream.schemas.ActionRecord;

/**
 * Which actions get the budget first when it runs short: SLA breaches, then CI re-runs, then
 * everything else (labels, comments of other rules). Each rule declares the priority of the action
 * types it emits ({@code Rule.Builder#emits}). Lower classes may use only part of a budget, so the
 * rest stays free for the higher ones.
 */
public enum ActionPriority {
    SLA_BREACH(1.0),
    RERUN(0.85),
    ROUTINE(0.7);

    private final double budgetShare;

    ActionPriority(double budgetShare) {
        this.budgetShare = budgetShare;
    }

    /** The priority the rule that produced {@code action} declares for its type ({@link Rules}). */
    public static ActionPriority of(ActionRecord action) {
        return Rules.priorityOf(action);
    }

    /** The part of {@code limit} this class may fill (at least 1 when the limit is positive). */
    public int share(int limit) {
        return limit <= 0 ? 0 : Math.max(1, (int) Math.floor(limit * budgetShare));
    }
}
