package io.repostream.flink.rules.config;

import io.repostream.schemas.ActionType;
import io.repostream.schemas.RepoPolicy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The central values (the job's settings, from Helm) that a repository's {@code
 * .github/repostream.yml} can only narrow: the action types it may enable, the most actions per
 * hour, and a dry run that it cannot turn off. A file that asks for more gets the ceiling, and the
 * job logs what it narrowed.
 *
 * @param enabledActions the action types a repository's file may enable
 * @param maxActionBudgetPerHour the largest {@code action_budget_per_hour} a file may set
 * @param dryRun every in-repo policy runs as a dry run
 */
public record PolicyCeilings(
        Set<ActionType> enabledActions, int maxActionBudgetPerHour, boolean dryRun)
        implements Serializable {

    /** Job parameter: comma-separated action types ({@code add_labels,create_comment}). */
    public static final String ENABLED_ACTIONS = "repostream.repo-config.ceiling.enabled-actions";

    /** Job parameter: the largest action budget per hour. */
    public static final String MAX_ACTION_BUDGET =
            "repostream.repo-config.ceiling.max-action-budget-per-hour";

    /** Job parameter: {@code true} to run every in-repo policy as a dry run. */
    public static final String DRY_RUN = "repostream.repo-config.ceiling.dry-run";

    public PolicyCeilings {
        enabledActions = Set.copyOf(enabledActions);
        if (maxActionBudgetPerHour < 0) {
            throw new IllegalArgumentException(
                    "the ceiling of action_budget_per_hour must be >= 0, got "
                            + maxActionBudgetPerHour);
        }
    }

    /**
     * The ceilings when the job sets none: what a repository without a policy gets (the default
     * action types, {@link RepoPolicy#DEFAULT_ACTION_BUDGET_PER_HOUR}), no forced dry run. A
     * repository's file cannot enable a merge or a notification until the job's settings allow it.
     */
    public static PolicyCeilings defaults() {
        return new PolicyCeilings(
                RepoPolicy.defaultEnabledActions(),
                RepoPolicy.DEFAULT_ACTION_BUDGET_PER_HOUR,
                false);
    }

    /**
     * The ceilings the job's parameters set ({@link #ENABLED_ACTIONS}, {@link #MAX_ACTION_BUDGET},
     * {@link #DRY_RUN}), each left out falling back to {@link #defaults()}.
     *
     * @throws IllegalArgumentException naming the parameter that is wrong
     */
    public static PolicyCeilings of(Map<String, String> parameters) {
        PolicyCeilings d = defaults();
        Set<ActionType> types = d.enabledActions();
        String listed = parameters.get(ENABLED_ACTIONS);
        if (listed != null) {
            Set<ActionType> parsed = EnumSet.noneOf(ActionType.class);
            for (String name : listed.split(",")) {
                if (!name.isBlank()) {
                    try {
                        parsed.add(ActionType.of(name.trim()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                ENABLED_ACTIONS + ": unknown action type '" + name.trim() + "'");
                    }
                }
            }
            types = parsed;
        }
        int budget = d.maxActionBudgetPerHour();
        String max = parameters.get(MAX_ACTION_BUDGET);
        if (max != null) {
            try {
                budget = Integer.parseInt(max.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        MAX_ACTION_BUDGET + " must be a number, got '" + max + "'");
            }
        }
        boolean dryRun = Boolean.parseBoolean(parameters.getOrDefault(DRY_RUN, "false").trim());
        return new PolicyCeilings(types, budget, dryRun);
    }

    /** What narrowing {@code policy} gives, and what it changed. */
    public record Narrowed(RepoPolicy policy, List<String> changes) {}

    /** {@code policy} within the ceilings; read actions are not governed by them (or a policy). */
    public Narrowed narrow(RepoPolicy policy) {
        List<String> changes = new ArrayList<>();
        Set<ActionType> allowed = EnumSet.noneOf(ActionType.class);
        for (ActionType type : policy.enabledActions()) {
            if (enabledActions.contains(type)) {
                allowed.add(type);
            } else {
                changes.add(type.wireName() + " is not enabled centrally");
            }
        }
        int budget = policy.actionBudgetPerHour();
        if (budget > maxActionBudgetPerHour) {
            changes.add(
                    "action_budget_per_hour "
                            + budget
                            + " lowered to the ceiling "
                            + maxActionBudgetPerHour);
            budget = maxActionBudgetPerHour;
        }
        boolean dry = policy.dryRun();
        if (dryRun && !dry) {
            changes.add("dry_run is on centrally");
            dry = true;
        }
        if (changes.isEmpty()) {
            return new Narrowed(policy, List.of());
        }
        return new Narrowed(
                policy.toBuilder()
                        .enabledActions(allowed)
                        .actionBudgetPerHour(budget)
                        .dryRun(dry)
                        .build(),
                List.copyOf(changes));
    }
}
