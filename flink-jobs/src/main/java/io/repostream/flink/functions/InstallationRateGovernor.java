package io.repostream.flink.functions;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.RepoMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Second governor (keyed by installation, see {@link GovernorInput#installationKey()}): keeps
 * GitHub's limits, which apply to the installation's token across all its repositories — content
 * creation (80 per minute, 500 per hour) and the primary quota, learned from the {@code
 * x-ratelimit-*} headers that audit records carry back and counted down per action since. Delays by
 * {@code not_before} like the repo governor; drops only past {@code expires_at} (logged, counted
 * and audited: {@link ActionDrops}). Last in line, it counts an action delayed (once) when either
 * governor moved it past the time it asked for.
 */
public final class InstallationRateGovernor
        extends KeyedProcessFunction<String, GovernorInput, ActionRecord> {
    private static final long serialVersionUID = 1L;

    static final long MINUTE_MS = Duration.ofMinutes(1).toMillis();
    static final long HOUR_MS = Duration.ofHours(1).toMillis();

    /** GitHub's secondary limits on content creation. */
    public static final int CONTENT_PER_MINUTE = 80;

    public static final int CONTENT_PER_HOUR = 500;

    /** Primary-quota requests kept back for the executor's own reads (snapshots, rollbacks). */
    public static final int QUOTA_RESERVE = 50;

    private transient ValueState<GovernorState> state;
    private transient ActionDrops drops;

    @Override
    public void open(OpenContext openContext) {
        drops = new ActionDrops("installation-rate-limits", getRuntimeContext().getMetricGroup());
        ValueStateDescriptor<GovernorState> descriptor =
                new ValueStateDescriptor<>(
                        "installation-governor", GovernorStateSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        state = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(GovernorInput input, Context ctx, Collector<ActionRecord> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        GovernorState current = state.value() == null ? GovernorState.empty() : state.value();
        if (input.audit() != null) {
            learn(current, input.audit(), ctx.getCurrentKey(), now, ctx);
            return;
        }
        ActionRecord action = input.action();
        if (action.dryRun()) {
            out.collect(action);
            return;
        }
        GovernorState pruned =
                new GovernorState(
                        null,
                        SlotSchedule.prune(current.content(), now, HOUR_MS),
                        current.remaining(),
                        current.resetAtMs(),
                        null);
        long from =
                action.notBefore() == null ? now : Math.max(now, action.notBefore().toEpochMilli());
        long slot = slot(pruned, action, from);
        Instant at = Instant.ofEpochMilli(now);
        if (GovernorSignals.expiredAt(action, slot)) {
            ctx.output(GovernorSignals.TAG, GovernorSignals.of(action, "actions_dropped", at));
            ctx.output(
                    ActionDrops.AUDITS,
                    drops.drop(
                            action,
                            ActionDrops.Reason.INSTALLATION_LIMIT_EXHAUSTED,
                            "GitHub's limits for "
                                    + ctx.getCurrentKey()
                                    + " leave no room before it expires at "
                                    + action.expiresAt(),
                            now));
            state.update(pruned);
            return;
        }
        boolean content = action.type() == ActionType.CREATE_COMMENT;
        state.update(
                new GovernorState(
                        null,
                        content ? SlotSchedule.with(pruned.content(), slot) : pruned.content(),
                        pruned.remaining() == null ? null : pruned.remaining() - 1,
                        pruned.resetAtMs(),
                        null));
        if (input.delayed() || slot > from) {
            // once per action, by whichever governor moved it past the time it asked for
            ctx.output(GovernorSignals.TAG, GovernorSignals.of(action, "actions_delayed", at));
        }
        out.collect(slot > from ? GovernorSignals.withNotBefore(action, slot) : action);
    }

    /** The drops of this instance, for tests. */
    ActionDrops drops() {
        return drops;
    }

    /** The earliest send time at or after {@code from} that keeps GitHub's limits. */
    static long slot(GovernorState s, ActionRecord action, long from) {
        boolean content = action.type() == ActionType.CREATE_COMMENT;
        long t = from;
        // each limit can only push the time later; a few rounds reach the fixed point
        for (int round = 0; round < 16; round++) {
            long next = t;
            if (content) {
                next = SlotSchedule.earliest(s.content(), next, MINUTE_MS, CONTENT_PER_MINUTE);
                next = SlotSchedule.earliest(s.content(), next, HOUR_MS, CONTENT_PER_HOUR);
            }
            if (s.remaining() != null
                    && s.resetAtMs() != null
                    && s.remaining() <= QUOTA_RESERVE
                    && next < s.resetAtMs()) {
                next = s.resetAtMs();
            }
            if (next == t) {
                return next;
            }
            t = next;
        }
        return t;
    }

    private void learn(
            GovernorState current, AuditRecord audit, String installation, long now, Context ctx)
            throws Exception {
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
        state.update(new GovernorState(null, current.content(), limit.remaining(), resetAt, null));
        Instant at = Instant.ofEpochMilli(now);
        ctx.output(
                GovernorSignals.TAG,
                new RepoMetrics(
                        installation,
                        "github_quota_remaining",
                        Map.of("resource", "core"),
                        limit.remaining(),
                        at,
                        at));
    }
}
