package io.repostream.executor.support;

import io.repostream.schemas.ActionType;
import io.repostream.schemas.RepoPolicy;
import java.util.EnumSet;

/** Repo policies the tests send to {@code github.config.v1}. */
public final class Policies {
    private Policies() {}

    /**
     * Every action type enabled, merges and run cancellations included, at most {@code
     * actionBudgetPerHour} actions an hour; defaults otherwise.
     */
    /** Every mutation type; a policy names no reads ({@link ActionType#read()}). */
    private static EnumSet<ActionType> mutations() {
        EnumSet<ActionType> types = EnumSet.allOf(ActionType.class);
        types.removeIf(ActionType::read);
        return types;
    }

    public static RepoPolicy everyActionType(String repo, int actionBudgetPerHour) {
        return RepoPolicy.builder(repo)
                .enabledActions(mutations())
                .actionBudgetPerHour(actionBudgetPerHour)
                .build();
    }
}
