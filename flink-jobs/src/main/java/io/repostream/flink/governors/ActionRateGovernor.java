package io.repostream.flink.governors;

import io.repostream.flink.rules.ActionPriority;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.util.Collector;

/**
 * First of the two governors every proposed action passes (keyed by repository): keeps the
 * repository's hourly action budget from its policy. The second, {@link InstallationRateGovernor},
 * keeps GitHub's own limits per installation.
 *
 * <p>Over budget, an action is not dropped but delayed: it gets a {@code not_before} at the
 * earliest time that keeps the budget in every sliding hour. Lower priorities may fill only part of
 * the budget (see {@link ActionPriority}), so SLA breaches find room when labels have used theirs.
 * An action is dropped only when that time is past its {@code expires_at}, when the budget leaves
 * nothing for its priority, or when the policy does not enable its type (the rules propose every
 * type; this is where the policy's enabled types are kept). A drop is logged, counted and audited
 * ({@link ActionDrops}). Dry-run actions never reach GitHub and pass untouched. An action this
 * governor delays is marked so, and counted as delayed by the installation governor, so it counts
 * once. Audit records pass on to the installation governor, addressed to the installation this
 * repository's actions belong to. Each action also emits {@code action_budget_used}: the actions of
 * the sliding hour it is sent in, itself included (so never above the budget), labelled with the
 * budget.
 */
public final class ActionRateGovernor extends PolicyAwareFunction<GovernorInput, GovernorInput> {
    private static final long serialVersionUID = 1L;

    static final long HOUR_MS = Duration.ofHours(1).toMillis();

    private transient ValueState<RepoGovernorState> state;
    private transient ValueState<GovernorState> legacy;
    private transient ActionDrops drops;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        drops = new ActionDrops("repo-action-budget", getRuntimeContext().getMetricGroup());
        ValueStateDescriptor<RepoGovernorState> descriptor =
                new ValueStateDescriptor<>("repo-budget", RepoGovernorStateSerializer.INSTANCE);
        // a repo quiet for a day has nothing left in its windows
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        state = getRuntimeContext().getState(descriptor);
        legacy = getRuntimeContext().getState(GovernorState.legacyDescriptor("repo-governor"));
    }

    @Override
    public void processElement(
            GovernorInput input, ReadOnlyContext ctx, Collector<GovernorInput> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        RepoGovernorState current = current();
        if (input.audit() != null) {
            if (input.audit().rateLimit() != null) {
                String installation =
                        current.installation() != null
                                ? current.installation()
                                : "repo:" + input.audit().repo();
                out.collect(new GovernorInput(null, input.audit(), installation));
            }
            return;
        }
        ActionRecord action = input.action();
        Instant at = Instant.ofEpochMilli(now);
        ctx.output(GovernorSignals.TAG, GovernorSignals.of(action, "actions_proposed", at));
        String installation = GovernorInput.installationKeyOf(action);
        RepoPolicy policy = policy(ctx, action.repo());
        // a read changes nothing on GitHub: enabled_actions names mutations only
        if (!action.type().read() && !policy.enables(action.type())) {
            // the one place the policy's enabled types are kept (dry runs included): the rules
            // propose, so that what is not done is on record
            drop(
                    action,
                    ActionDrops.Reason.ACTION_TYPE_DISABLED,
                    "the repo's policy does not enable " + action.type().wireName(),
                    now,
                    ctx);
            return;
        }
        if (action.dryRun()) {
            out.collect(input);
            return;
        }
        RepoGovernorState pruned =
                new RepoGovernorState(
                        SlotSchedule.prune(current.sent(), now, HOUR_MS),
                        action.installationId() != null ? installation : current.installation());
        long from =
                action.notBefore() == null ? now : Math.max(now, action.notBefore().toEpochMilli());
        int limit = ActionPriority.of(action).share(policy.actionBudgetPerHour());
        long slot = SlotSchedule.earliest(pruned.sent(), from, HOUR_MS, limit);
        if (GovernorSignals.expiredAt(action, slot)) {
            state.update(pruned);
            if (limit == 0) {
                drop(
                        action,
                        ActionDrops.Reason.REPO_BUDGET_ZERO,
                        "action_budget_per_hour is "
                                + policy.actionBudgetPerHour()
                                + ", nothing for its priority",
                        now,
                        ctx);
            } else {
                drop(
                        action,
                        ActionDrops.Reason.REPO_BUDGET_EXHAUSTED,
                        "no room in the budget of "
                                + limit
                                + " per hour for its priority before it expires at "
                                + action.expiresAt(),
                        now,
                        ctx);
            }
            return;
        }
        List<Long> sent = SlotSchedule.with(pruned.sent(), slot);
        state.update(new RepoGovernorState(sent, pruned.installation()));
        ctx.output(
                GovernorSignals.TAG,
                new RepoMetrics(
                        action.repo(),
                        "action_budget_used",
                        Map.of("budget_per_hour", String.valueOf(policy.actionBudgetPerHour())),
                        // of the hour this action is sent in, so never above the budget
                        SlotSchedule.inWindowEndingAt(sent, slot, HOUR_MS),
                        at,
                        at));
        // moved past the time it asked for (a rerun's backoff is its own): the installation
        // governor counts it, once, whatever it does with it next
        boolean delayed = slot > from;
        ActionRecord governed = delayed ? GovernorSignals.withNotBefore(action, slot) : action;
        out.collect(new GovernorInput(governed, null, installation, delayed));
    }

    /**
     * The repository's state; on the first read after an upgrade, what an earlier version kept in
     * the shared {@link GovernorState} (moved over, so it is read once).
     */
    private RepoGovernorState current() throws Exception {
        RepoGovernorState current = state.value();
        if (current != null) {
            return current;
        }
        GovernorState old = legacy.value();
        if (old == null) {
            return RepoGovernorState.empty();
        }
        legacy.clear();
        RepoGovernorState moved = RepoGovernorState.of(old);
        state.update(moved);
        return moved;
    }

    private void drop(
            ActionRecord action,
            ActionDrops.Reason reason,
            String detail,
            long now,
            ReadOnlyContext ctx) {
        if (reason != ActionDrops.Reason.ACTION_TYPE_DISABLED) {
            // the dashboards' and alert's series: actions the budget had no room for (a type the
            // repo disabled is its choice, and would keep the alert firing)
            ctx.output(
                    GovernorSignals.TAG,
                    GovernorSignals.of(action, "actions_dropped", Instant.ofEpochMilli(now)));
        }
        ctx.output(ActionDrops.AUDITS, drops.drop(action, reason, detail, now));
    }

    /** The drops of this instance, for tests. */
    ActionDrops drops() {
        return drops;
    }
}
