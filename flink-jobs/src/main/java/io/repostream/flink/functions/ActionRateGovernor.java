package io.repostream.flink.functions;

import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Every proposed action passes here (keyed by repository) on its way to {@code github.actions.v1},
 * so automation stays within GitHub's limits and the repository's budget.
 *
 * <p>Over a limit, an action is not dropped but delayed: it gets a {@code not_before} at the
 * earliest send time that keeps every limit — the repository's hourly budget from its policy,
 * GitHub's content-creation limits (80 per minute, 500 per hour) for comments, and the primary
 * quota learned from the {@code x-ratelimit-*} headers that audit records carry back. Lower
 * priorities may fill only part of the budget (see {@link ActionPriority}). An action is dropped
 * only when that send time is past its {@code expires_at}, and the drop is counted. Dry-run actions
 * never reach GitHub and pass untouched.
 */
public final class ActionRateGovernor extends PolicyAwareFunction<GovernorInput, ActionRecord> {
    private static final long serialVersionUID = 1L;

    static final long MINUTE_MS = Duration.ofMinutes(1).toMillis();
    static final long HOUR_MS = Duration.ofHours(1).toMillis();

    /** GitHub's secondary limits on content creation. */
    public static final int CONTENT_PER_MINUTE = 80;

    public static final int CONTENT_PER_HOUR = 500;

    /** Primary-quota requests kept back for the executor's own reads (snapshots, rollbacks). */
    public static final int QUOTA_RESERVE = 50;

    /** Proposed, delayed and dropped actions and budget use, for the analytics windows. */
    public static final OutputTag<RepoMetrics> SIGNALS =
            new OutputTag<>("governor-signals", JsonTypeInfo.of(RepoMetrics.class));

    private transient ValueState<GovernorState> state;

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<GovernorState> descriptor =
                new ValueStateDescriptor<>("governor", JsonTypeInfo.of(GovernorState.class));
        // a repo quiet for a day has nothing left in its windows
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        state = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(
            GovernorInput input, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        GovernorState current = state.value() == null ? GovernorState.empty() : state.value();
        if (input.audit() != null) {
            learn(current, input.audit());
            return;
        }
        ActionRecord action = input.action();
        RepoPolicy policy = policy(ctx, action.repo());
        Instant at = Instant.ofEpochMilli(now);
        ActionPriority priority = ActionPriority.of(action);
        ctx.output(SIGNALS, signal(action, "actions_proposed", priority, at, 1));
        if (action.dryRun()) {
            out.collect(action);
            return;
        }
        GovernorState pruned =
                new GovernorState(
                        SlotSchedule.prune(current.sent(), now, HOUR_MS),
                        SlotSchedule.prune(current.content(), now, HOUR_MS),
                        current.remaining(),
                        current.resetAtMs());
        long from =
                action.notBefore() == null ? now : Math.max(now, action.notBefore().toEpochMilli());
        long slot = slot(pruned, action, priority, policy, from);
        if (slot == Long.MAX_VALUE
                || (action.expiresAt() != null && slot > action.expiresAt().toEpochMilli())) {
            ctx.output(SIGNALS, signal(action, "actions_dropped", priority, at, 1));
            state.update(pruned);
            return;
        }
        state.update(reserve(pruned, action, slot));
        if (slot > now) {
            ctx.output(SIGNALS, signal(action, "actions_delayed", priority, at, 1));
        }
        int budget = policy.actionBudgetPerHour();
        ctx.output(
                SIGNALS,
                new RepoMetrics(
                        action.repo(),
                        "action_budget_used",
                        Map.of("budget_per_hour", String.valueOf(budget)),
                        pruned.sent().size() + 1,
                        at,
                        at));
        out.collect(slot > from || action.notBefore() != null ? delayed(action, slot) : action);
    }

    /** The earliest send time at or after {@code from} that keeps every limit. */
    static long slot(
            GovernorState s,
            ActionRecord action,
            ActionPriority priority,
            RepoPolicy policy,
            long from) {
        boolean content = action.type() == ActionType.CREATE_COMMENT;
        int repoLimit = priority.share(policy.actionBudgetPerHour());
        long t = from;
        // each limit can only push the time later; a few rounds reach the fixed point
        for (int round = 0; round < 16; round++) {
            long next = SlotSchedule.earliest(s.sent(), t, HOUR_MS, repoLimit);
            if (content && next != Long.MAX_VALUE) {
                next = SlotSchedule.earliest(s.content(), next, MINUTE_MS, CONTENT_PER_MINUTE);
                next = SlotSchedule.earliest(s.content(), next, HOUR_MS, CONTENT_PER_HOUR);
            }
            if (next != Long.MAX_VALUE
                    && s.remaining() != null
                    && s.resetAtMs() != null
                    && s.remaining() <= QUOTA_RESERVE
                    && next < s.resetAtMs()) {
                next = s.resetAtMs();
            }
            if (next == t || next == Long.MAX_VALUE) {
                return next;
            }
            t = next;
        }
        return t;
    }

    private void learn(GovernorState current, AuditRecord audit) throws Exception {
        RateLimit limit = audit.rateLimit();
        if (limit == null
                || limit.remaining() == null
                || limit.resetEpochSeconds() == null
                || (limit.resource() != null && !"core".equals(limit.resource()))) {
            return;
        }
        long resetAt = limit.resetEpochSeconds() * 1000;
        if (current.resetAtMs() != null
                && resetAt == current.resetAtMs()
                && current.remaining() != null
                && current.remaining() < limit.remaining()) {
            return; // an older answer of the same quota window arrived late
        }
        state.update(
                new GovernorState(current.sent(), current.content(), limit.remaining(), resetAt));
    }

    private static GovernorState reserve(GovernorState s, ActionRecord action, long slot) {
        boolean content = action.type() == ActionType.CREATE_COMMENT;
        return new GovernorState(
                SlotSchedule.with(s.sent(), slot),
                content ? SlotSchedule.with(s.content(), slot) : s.content(),
                s.remaining() == null ? null : s.remaining() - 1,
                s.resetAtMs());
    }

    private static ActionRecord delayed(ActionRecord a, long slot) {
        return new ActionRecord(
                a.actionId(),
                a.repo(),
                a.target(),
                a.type(),
                a.params(),
                a.reason(),
                a.evidence(),
                a.confidence(),
                a.producedBy(),
                a.causedBy(),
                a.installationId(),
                a.createdAt(),
                Instant.ofEpochMilli(slot),
                a.expiresAt(),
                a.dryRun());
    }

    private static RepoMetrics signal(
            ActionRecord action, String metric, ActionPriority priority, Instant at, double value) {
        return new RepoMetrics(
                action.repo(),
                metric,
                Map.of(
                        "action_type", action.type().wireName(),
                        "priority", priority.name().toLowerCase(java.util.Locale.ROOT)),
                value,
                at,
                at);
    }
}
