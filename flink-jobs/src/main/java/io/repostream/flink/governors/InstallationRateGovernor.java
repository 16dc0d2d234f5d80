package io.repostream.flink.governors;

import io.repostream.flink.governors.InstallationGovernorState.Queued;
import io.repostream.flink.rules.ActionPriority;
import io.repostream.flink.serialization.ActionRecordSerializer;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.TypedTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Second governor (keyed by installation, see {@link GovernorInput#installationKey()}), and the one
 * scheduler of the installation's writes. GitHub paces mutations per installation token (at least a
 * second between them), so an installation can make about one write a second, whatever its
 * repositories: this governor decides which write goes in which second, by priority, and the
 * executor only keeps the slots it is given.
 *
 * <p>Every write (not a dry run) joins the installation's queue, ordered by {@link ActionPriority}
 * (an SLA breach before a re-run before a label), then labels and assignees before comments, then
 * by arrival. The queue is released a short horizon ahead ({@code horizon}, 3 s by default), one
 * slot per {@code writeSpacing} (1 s): each released action gets {@code not_before} = its slot.
 * Releasing only a little ahead is what lets an urgent action that arrives later go before queued
 * labels; the horizon covers the time a released action takes to reach the executor (the
 * exactly-once sink makes it visible only when the next checkpoint completes, every 2 s by
 * default), so the executor holds it until its slot instead of finding it overdue. The actions of
 * one target leave in arrival order: a target's queued actions take the priority of the most urgent
 * one behind them, so an SLA breach does not wait behind a label of the same issue either.
 *
 * <p>A slot also keeps GitHub's limits on the installation's token across all its repositories —
 * content creation (80 per minute, 500 per hour) and the primary quota, learned from the {@code
 * x-ratelimit-*} headers that audit records carry back and counted down per action since. An action
 * waits for its own {@code not_before} (a re-run's backoff) in the queue without holding up others.
 * An action is dropped only when it cannot be sent before its {@code expires_at} (logged, counted
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

    /**
     * GitHub's pacing of mutations (at least a second between two of one installation) and a tenth
     * more. The executor keeps its own second between writes as a guard; with slots exactly a
     * second apart, an executor that once fell behind its slots (an action that became visible
     * late) would stay that far behind for the rest of a burst. A tenth lets it catch up by 0.1 s a
     * write (measured: local-stack/bench/README.md), for 9 % fewer writes an hour at most.
     */
    public static final Duration DEFAULT_WRITE_SPACING = Duration.ofMillis(1_100);

    /**
     * How far ahead of its slot an action is released: above the checkpoint interval (2 s) that
     * makes it visible to the executor, short enough that a later SLA breach waits little.
     */
    public static final Duration DEFAULT_HORIZON = Duration.ofSeconds(3);

    /** The name of the installation's state (limits learned, the queue's index). */
    static final String STATE = "installation-schedule";

    /** A queue with nothing to release soon is looked at again at least this often. */
    private static final long MAX_SLEEP_MS = HOUR_MS;

    private final long writeSpacingMs;
    private final long horizonMs;

    private transient ValueState<InstallationGovernorState> state;
    private transient ValueState<GovernorState> legacy;
    private transient MapState<Long, ActionRecord> queued;
    private transient ActionDrops drops;
    private transient WriteQueueMetrics queueMetrics;

    /** Slots {@link #DEFAULT_WRITE_SPACING} apart, released {@link #DEFAULT_HORIZON} ahead. */
    public InstallationRateGovernor() {
        this(DEFAULT_WRITE_SPACING, DEFAULT_HORIZON);
    }

    /**
     * @param writeSpacing the time between two write slots of one installation
     * @param horizon how far ahead of its slot an action is released
     */
    public InstallationRateGovernor(Duration writeSpacing, Duration horizon) {
        if (writeSpacing.isNegative() || horizon.isNegative()) {
            throw new IllegalArgumentException(
                    "write spacing and horizon must not be negative: "
                            + writeSpacing
                            + ", "
                            + horizon);
        }
        this.writeSpacingMs = writeSpacing.toMillis();
        this.horizonMs = horizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        drops = new ActionDrops("installation-rate-limits", getRuntimeContext().getMetricGroup());
        queueMetrics = new WriteQueueMetrics(getRuntimeContext().getMetricGroup());
        ValueStateDescriptor<InstallationGovernorState> descriptor =
                new ValueStateDescriptor<>(STATE, InstallationGovernorStateSerializer.INSTANCE);
        // kept alive while anything is queued: every release writes it, and a wake-up comes at
        // least hourly (MAX_SLEEP_MS)
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        state = getRuntimeContext().getState(descriptor);
        legacy =
                getRuntimeContext()
                        .getState(GovernorState.legacyDescriptor("installation-governor"));
        // no TTL: a queued action leaves only by release or by a drop on record
        queued =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "installation-queue",
                                        LongSerializer.INSTANCE,
                                        ActionRecordSerializer.INSTANCE));
    }

    @Override
    public void processElement(GovernorInput input, Context ctx, Collector<ActionRecord> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Outputs outputs = outputs(ctx, out);
        InstallationGovernorState current = current();
        if (input.audit() != null) {
            current = learn(current, input.audit(), ctx.getCurrentKey(), now, outputs);
            release(current, now, horizonMs, outputs);
            return;
        }
        ActionRecord action = input.action();
        if (!takesWriteSlot(action)) {
            out.collect(action);
            return;
        }
        release(enqueue(current, action, input.delayed(), now), now, horizonMs, outputs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRecord> out)
            throws Exception {
        InstallationGovernorState current = current();
        if (timestamp != current.wakeAtMs()) {
            return; // replaced by another wake-up
        }
        release(
                current.withWake(0),
                ctx.timerService().currentProcessingTime(),
                horizonMs,
                outputs(ctx, out));
    }

    /**
     * Gives every queued action of the current key its slot now, whatever the horizon: when the
     * input ends (a bounded job, a stop with drain) no timer fires again, and nothing queued may be
     * lost. See {@link InstallationRateLimitsOperator}.
     */
    void drain(long now, Outputs outputs) throws Exception {
        release(current(), now, Long.MAX_VALUE - now, outputs);
    }

    /** Where a release goes: the context of an element or timer, or the operator at the end. */
    interface Outputs {
        String installation();

        void action(ActionRecord action);

        void signal(RepoMetrics signal);

        void dropped(AuditRecord audit);

        /** Replaces the wake-up timer {@code old} (0: none) by {@code next} (0: none). */
        void rewake(long old, long next);
    }

    private static Outputs outputs(Context ctx, Collector<ActionRecord> out) {
        return new Outputs() {
            @Override
            public String installation() {
                return ctx.getCurrentKey();
            }

            @Override
            public void action(ActionRecord action) {
                out.collect(action);
            }

            @Override
            public void signal(RepoMetrics signal) {
                ctx.output(GovernorSignals.TAG, signal);
            }

            @Override
            public void dropped(AuditRecord audit) {
                ctx.output(ActionDrops.AUDITS, audit);
            }

            @Override
            public void rewake(long old, long next) {
                if (old != 0) {
                    ctx.timerService().deleteProcessingTimeTimer(old);
                }
                if (next != 0) {
                    ctx.timerService().registerProcessingTimeTimer(next);
                }
            }
        };
    }

    /**
     * Whether an action uses one of the installation's write slots: every write GitHub is asked to
     * make. A dry run never reaches GitHub.
     */
    static boolean takesWriteSlot(ActionRecord action) {
        return !action.dryRun();
    }

    private InstallationGovernorState enqueue(
            InstallationGovernorState s, ActionRecord action, boolean delayed, long now)
            throws Exception {
        int rank = ActionPriority.of(action).ordinal();
        String target = targetOf(action);
        long ready = action.notBefore() == null ? now : action.notBefore().toEpochMilli();
        List<Queued> queue = new ArrayList<>(s.queue().size() + 1);
        for (Queued q : s.queue()) {
            // what waits before it on its target must not make it wait longer than its priority
            queue.add(q.target().equals(target) && q.rank() > rank ? q.withRank(rank) : q);
        }
        long seq = s.nextSeq();
        queue.add(
                new Queued(
                        seq,
                        rank,
                        target,
                        Math.max(now, ready),
                        action.expiresAt() == null
                                ? Long.MAX_VALUE
                                : action.expiresAt().toEpochMilli(),
                        action.type() == ActionType.CREATE_COMMENT,
                        delayed));
        queued.put(seq, action);
        return s.withQueue(queue, seq + 1);
    }

    /**
     * Gives slots up to {@code now + horizon} to the queue's most urgent actions that may go then,
     * drops those that can no longer go before they expire, and sets the timer for what is left.
     */
    private void release(InstallationGovernorState s, long now, long horizon, Outputs out)
            throws Exception {
        s = s.withContent(SlotSchedule.prune(s.content(), now, HOUR_MS));
        long horizonEnd = now + horizon;
        List<Queued> queue = new ArrayList<>(s.queue());
        while (!queue.isEmpty()) {
            long free = Math.max(s.nextSlotMs(), now);
            if (free > horizonEnd) {
                break;
            }
            Map<String, Queued> heads = heads(queue);
            Queued best = null;
            long bestAt = Long.MAX_VALUE;
            Queued expired = null;
            for (Queued q : heads.values()) {
                long at = slot(s, q.content(), Math.max(free, q.readyAtMs()));
                if (at == Long.MAX_VALUE || at > q.expiresAtMs()) {
                    expired = q;
                    break;
                }
                if (at < bestAt || (at == bestAt && before(q, best))) {
                    // the most urgent of those that may go at the earliest time any may go
                    best = q;
                    bestAt = at;
                }
            }
            if (expired != null) {
                queue.remove(expired);
                drop(expired, now, out);
                continue;
            }
            if (bestAt > horizonEnd) {
                break;
            }
            queue.remove(best);
            s = send(s, best, bestAt, now, out);
        }
        s = s.withQueue(queue, s.nextSeq());
        s = schedule(s, now, out);
        state.update(s);
        queueMetrics.update(out.installation(), queue, now);
    }

    /** Sets the timer for when the queue's next action may be released; clears it when empty. */
    private InstallationGovernorState schedule(InstallationGovernorState s, long now, Outputs out) {
        long wake = 0;
        if (!s.queue().isEmpty()) {
            long free = Math.max(s.nextSlotMs(), now);
            long earliest = Long.MAX_VALUE;
            for (Queued q : heads(s.queue()).values()) {
                earliest = Math.min(earliest, slot(s, q.content(), Math.max(free, q.readyAtMs())));
            }
            long due = earliest == Long.MAX_VALUE ? now + MAX_SLEEP_MS : earliest - horizonMs;
            wake = Math.min(Math.max(due, now + 1), now + MAX_SLEEP_MS);
        }
        if (wake != s.wakeAtMs()) {
            out.rewake(s.wakeAtMs(), wake);
        }
        return s.withWake(wake);
    }

    private InstallationGovernorState send(
            InstallationGovernorState s, Queued q, long slot, long now, Outputs out)
            throws Exception {
        ActionRecord action = queued.get(q.seq());
        queued.remove(q.seq());
        if (q.delayed() || slot > q.readyAtMs()) {
            // once per action, by whichever governor moved it past the time it asked for
            out.signal(GovernorSignals.of(action, "actions_delayed", Instant.ofEpochMilli(now)));
        }
        queueMetrics.waited(slot - q.readyAtMs());
        // every write carries its slot: the executor sends it then, not before
        boolean stamped = action.notBefore() != null && action.notBefore().toEpochMilli() == slot;
        out.action(stamped ? action : GovernorSignals.withNotBefore(action, slot));
        return new InstallationGovernorState(
                q.content() ? SlotSchedule.with(s.content(), slot) : s.content(),
                s.remaining() == null ? null : s.remaining() - 1,
                s.resetAtMs(),
                slot + writeSpacingMs,
                s.wakeAtMs(),
                s.nextSeq(),
                s.queue());
    }

    private void drop(Queued q, long now, Outputs out) throws Exception {
        ActionRecord action = queued.get(q.seq());
        queued.remove(q.seq());
        out.signal(GovernorSignals.of(action, "actions_dropped", Instant.ofEpochMilli(now)));
        out.dropped(
                drops.drop(
                        action,
                        ActionDrops.Reason.INSTALLATION_LIMIT_EXHAUSTED,
                        "GitHub's limits for "
                                + out.installation()
                                + " leave no slot before it expires at "
                                + action.expiresAt(),
                        now));
    }

    /**
     * What an action's order is kept per: its typed target, as the executor's lanes key on it (an
     * issue and a pull request share one numbering; run 7 and issue 7 are two targets).
     */
    static String targetOf(ActionRecord action) {
        TypedTarget target = action.typedTarget();
        String repo = action.repo().toLowerCase(Locale.ROOT);
        return target.namesAnIssueOrPullRequest()
                ? repo + "#" + target.id()
                : repo + " " + target.kind().wireName() + ":" + target.id();
    }

    /** The first queued action of each target (the others wait behind it), in arrival order. */
    private static Map<String, Queued> heads(List<Queued> queue) {
        Map<String, Queued> heads = new HashMap<>();
        for (Queued q : queue) {
            heads.putIfAbsent(q.target(), q);
        }
        return heads;
    }

    /**
     * Whether {@code a} goes before {@code b}: by priority; at one priority, a write that marks an
     * item (a label, an assignee) before one that talks about it (a comment), then by arrival. So
     * when ten SLA breaches fall due at once, their ten labels (what people and tools filter on)
     * take the first ten slots and the comments follow, instead of label, comment, label, ... (a
     * target's own actions keep their order: {@link #heads}).
     */
    private static boolean before(Queued a, Queued b) {
        if (b == null) {
            return true;
        }
        if (a.rank() != b.rank()) {
            return a.rank() < b.rank();
        }
        if (a.content() != b.content()) {
            return !a.content();
        }
        return a.seq() < b.seq();
    }

    /** The drops of this instance, for tests. */
    ActionDrops drops() {
        return drops;
    }

    /** The queue's metrics of this instance, for tests. */
    WriteQueueMetrics queueMetrics() {
        return queueMetrics;
    }

    /**
     * The earliest time at or after {@code from} that keeps GitHub's limits (content creation,
     * primary quota); {@link Long#MAX_VALUE} when none.
     */
    static long slot(InstallationGovernorState s, boolean content, long from) {
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

    /**
     * The installation's state; on the first read after an upgrade, what an earlier version kept in
     * the shared {@link GovernorState} (moved over, so it is read once).
     */
    private InstallationGovernorState current() throws Exception {
        InstallationGovernorState current = state.value();
        if (current != null) {
            return current;
        }
        GovernorState old = legacy.value();
        if (old == null) {
            return InstallationGovernorState.empty();
        }
        legacy.clear();
        return InstallationGovernorState.of(old);
    }

    private InstallationGovernorState learn(
            InstallationGovernorState current,
            AuditRecord audit,
            String installation,
            long now,
            Outputs out) {
        RateLimit limit = audit.rateLimit();
        if (limit == null
                || limit.remaining() == null
                || limit.resetEpochSeconds() == null
                || (limit.resource() != null && !"core".equals(limit.resource()))) {
            return current;
        }
        long resetAt = limit.resetEpochSeconds() * 1000;
        if (current.resetAtMs() != null
                && resetAt == current.resetAtMs()
                && current.remaining() != null
                && current.remaining() < limit.remaining()) {
            return current; // an older answer of the same quota window arrived late
        }
        Instant at = Instant.ofEpochMilli(now);
        out.signal(
                new RepoMetrics(
                        installation,
                        "github_quota_remaining",
                        Map.of("resource", "core"),
                        limit.remaining(),
                        at,
                        at));
        return current.withQuota(limit.remaining(), resetAt);
    }
}
