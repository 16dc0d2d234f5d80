package io.repostream.flink.rules.sla;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.metrics.OpenItemsGauge;
import io.repostream.flink.rules.Accounts;
import io.repostream.flink.rules.GitHubPayloads;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TypedTarget;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Rule {@code sla-monitor@1}, keyed by issue or pull request ({@code owner/repo#12}).
 *
 * <p>Tracks when an item was opened, its first response (a comment or review by someone other than
 * the author, not a bot or ignored user) and its end (closed, merged, deleted, transferred).
 * Deadlines come from the repository's policy and the item's priority labels; a priority change
 * re-targets them. Timers fire warnings (a metric) and breaches (a label and one comment), each
 * once; at an item's first breach, the policy's {@code sla.escalate_to} logins are assigned (once
 * per life of the item).
 *
 * <p>Each deadline has two timers, and the first to fire settles it. The event-time timer is the
 * rule: the deadline is judged once the watermark says every event before it is in, which is what a
 * replay (a restore, a backlog after an outage) relies on. But the watermark trails the wall clock
 * by the job's out-of-orderness bound (30 s by default) even when the stream is live, so on event
 * time alone no breach could be labelled sooner than that after it is due. So a processing-time
 * timer at the same instant settles the deadline on the wall clock, when the stream is live: the
 * watermark within {@link #DEFAULT_LIVE_LAG} of the wall clock, i.e. the sources are caught up and
 * what happened before the deadline has been read. During a replay the watermark lags far more and
 * that timer does nothing; the event-time timer decides as before. The price, only when live: an
 * answer that GitHub delivers after the deadline has passed on the wall clock, though it happened
 * before it, no longer saves the item (before, it did if it came within the out-of-orderness
 * bound). The ids of the actions do not depend on which timer fired, and the flags that say a
 * deadline is settled are keyed state, checkpointed with the actions' transaction: after a restore
 * the action is either committed and its flag restored, or neither (and the deadline fires again,
 * under the same ids, which the executor's ledger also recognises).
 *
 * <p>An item may live more than once (closed, then reopened). Its action ids name the life, by the
 * event time of the opening that started it ({@code owner/repo#12@2026-03-02T09:00:00Z}), so a
 * second life's breach is not taken for a duplicate of the first one's, and a replay from a
 * checkpoint produces the same ids. When a life ends, its state and timers go; only the end's event
 * time stays, for {@link #END_MEMORY}, so that an opening redelivered late (a poller catching up)
 * does not start the clocks again on a closed item. An opening further behind event time than that
 * is stale whatever is remembered. Then nothing of the item is left.
 */
public final class SlaDeadlineFunction extends PolicyAwareFunction<GitHubEvent, ActionRecord> {
    private static final long serialVersionUID = 1L;

    public static final String RULE = "sla-monitor@1";
    public static final String RESPONSE_BREACHED_LABEL = "sla/response-breached";
    public static final String RESOLUTION_BREACHED_LABEL = "sla/resolution-breached";

    /** SLA signals for the analytics windows: warnings, breaches, items closed in time or late. */
    public static final OutputTag<RepoMetrics> SIGNALS =
            new OutputTag<>("sla-signals", WireTypes.REPO_METRICS);

    /**
     * A warning that an item's deadline nears, as an internal event ({@code source: enrichment},
     * type {@link #WARNING_TYPE}) for the rules that declare it as an input (routing reassigns on
     * it); never written to a topic.
     */
    public static final OutputTag<GitHubEvent> WARNINGS =
            new OutputTag<>("sla-warnings", WireTypes.GITHUB_EVENT);

    /** The {@link GitHubEvent#type()} of a {@link #WARNINGS warning}; no webhook has this name. */
    public static final String WARNING_TYPE = "sla_warning";

    /** The payload field of a warning: {@code kind}, {@code priority}, {@code due}. */
    public static final String WARNING_FIELD = "sla_warning";

    /** Garbage collection for items whose end we never see; not a business rule. */
    private static final Duration STATE_RETENTION = Duration.ofDays(400);

    /**
     * How long (event time) the end of an item's life is remembered; an opening that arrives later
     * than this after the events around it is stale. Redeliveries and poller catch-ups come within
     * hours.
     */
    static final Duration END_MEMORY = Duration.ofDays(7);

    /**
     * How far the watermark may trail the wall clock for the stream to count as live: above the
     * job's default out-of-orderness bound (30 s, which is what a caught-up source's watermark
     * trails by) plus its periodic emission, well below any replay worth the name.
     */
    public static final Duration DEFAULT_LIVE_LAG = Duration.ofMinutes(1);

    /** How far behind the wall clock a live check is tried again ({@link #recheck}). */
    static final Duration RECHECK_WITHIN = Duration.ofMinutes(5);

    static final Duration RECHECK_EVERY = Duration.ofSeconds(1);

    private final long liveLagMs;

    private transient ValueState<SlaState> items;
    private transient ValueState<Long> ended;
    private transient ValueState<SlaIncident> incidents;
    private transient BusinessClocks clocks;

    /**
     * Deadlines settle on the wall clock while the watermark is within {@link #DEFAULT_LIVE_LAG}.
     */
    public SlaDeadlineFunction() {
        this(DEFAULT_LIVE_LAG);
    }

    /**
     * @param liveLag how far the watermark may trail the wall clock for a deadline to be settled on
     *     the wall clock; at least the job's out-of-orderness bound, or deadlines only ever settle
     *     on event time
     */
    public SlaDeadlineFunction(Duration liveLag) {
        if (liveLag.isNegative()) {
            throw new IllegalArgumentException("live lag must not be negative: " + liveLag);
        }
        this.liveLagMs = liveLag.toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        ValueStateDescriptor<SlaState> descriptor =
                new ValueStateDescriptor<>("sla-item", SlaStateSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(STATE_RETENTION).build());
        items = getRuntimeContext().getState(descriptor);
        ValueStateDescriptor<Long> end = new ValueStateDescriptor<>("sla-ended", Types.LONG);
        end.enableTimeToLive(StateTtlConfig.newBuilder(STATE_RETENTION).build());
        ended = getRuntimeContext().getState(end);
        ValueStateDescriptor<SlaIncident> incident =
                new ValueStateDescriptor<>("sla-incident", JsonTypeInfo.of(SlaIncident.class));
        incident.enableTimeToLive(StateTtlConfig.newBuilder(STATE_RETENTION).build());
        incidents = getRuntimeContext().getState(incident);
        clocks = new BusinessClocks();
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        String action = event.action() == null ? "" : event.action();
        SlaState state = items.value();
        switch (event.type() + "." + action) {
            case "issues.opened",
                    "issues.reopened",
                    "pull_request.opened",
                    "pull_request.reopened" -> {
                if (state == null && !stale(event, ctx)) {
                    start(event, ctx);
                }
            }
            case "issues.labeled",
                    "issues.unlabeled",
                    "pull_request.labeled",
                    "pull_request.unlabeled" -> {
                if (state != null) {
                    reprioritise(state, event, ctx);
                    if (action.equals("labeled")) {
                        maybeAcknowledge(state, event, event.payload().path("sender"), ctx, out);
                    }
                }
            }
            case "issue_comment.created",
                    "pull_request_review.submitted",
                    "pull_request_review_comment.created" -> {
                if (state != null && state.firstResponseAt() == null) {
                    maybeFirstResponse(state, event, ctx);
                    SlaState now = items.value();
                    SlaIncident incident = incidents.value();
                    if (now.firstResponseAt() != null
                            && incident != null
                            && incident.kind().equals("response")) {
                        resolve(now, "answered", event.occurredAt(), ctx, out);
                        return;
                    }
                }
                if (state != null) {
                    JsonNode by =
                            "pull_request_review".equals(event.type())
                                    ? event.payload().path("review")
                                    : event.payload().path("comment");
                    if (MAINTAINERS.contains(by.path("author_association").asText(""))) {
                        maybeAcknowledge(state, event, by.path("user"), ctx, out);
                    }
                }
            }
            case "issues.closed", "issues.deleted", "issues.transferred", "pull_request.closed" -> {
                if (state == null) {
                    remember(event, ctx); // its opening may still be on its way
                } else if (!event.occurredAt().isBefore(state.openedAt())) {
                    resolve(state, "closed", event.occurredAt(), ctx, out);
                    end(state, event, ctx);
                    remember(event, ctx);
                }
                // else: the end of an earlier life, delivered late
            }
            default -> {}
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRecord> out)
            throws Exception {
        SlaState state = items.value();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (state == null) {
                return;
            }
            if (!live(ctx)) {
                recheck(ctx);
                return; // until then, or for good in a replay, the event-time timer decides
            }
        } else if (state == null) {
            Long end = ended.value();
            if (end != null && timestamp >= end + END_MEMORY.toMillis()) {
                ended.clear();
            }
            return;
        }
        RepoPolicy policy = policy(ctx, state.repo());
        // a level is due like a deadline: on event time, or on the wall clock while live (a
        // processing-time recheck comes after the level's time, hence "at or before")
        SlaIncident incident = incidents.value();
        if (incident != null
                && incident.nextAt() != null
                && incident.nextAt().toEpochMilli() <= timestamp) {
            escalate(state, policy, incident, ctx, out);
            if (incident.nextAt().toEpochMilli() == timestamp
                    && !state.timers().contains(timestamp)) {
                return; // an escalation's timer only
            }
        }
        SlaDeadlines due = deadlines(policy, state);
        Instant now = Instant.ofEpochMilli(timestamp);
        boolean responseOpen = state.firstResponseAt() == null;

        boolean responseWarned = state.responseWarned();
        if (responseOpen && !responseWarned && reached(due.responseWarn(), now)) {
            responseWarned = true;
            ctx.output(SIGNALS, signal(state, "sla_warnings", "response", now));
            ctx.output(WARNINGS, warning(state, "response", due.responseWarn(), due.responseDue()));
        }
        boolean responseBreached = state.responseBreached();
        if (responseOpen && !responseBreached && reached(due.responseDue(), now)) {
            responseBreached = true;
            ctx.output(SIGNALS, signal(state, "sla_breaches", "response", now));
            breach(
                    state,
                    policy,
                    "response",
                    RESPONSE_BREACHED_LABEL,
                    due.responseDue(),
                    !state.resolutionBreached(),
                    out);
            openIncident(state, policy, "response", due.responseDue(), ctx, out);
        }
        boolean resolutionWarned = state.resolutionWarned();
        if (!resolutionWarned && reached(due.resolutionWarn(), now)) {
            resolutionWarned = true;
            ctx.output(SIGNALS, signal(state, "sla_warnings", "resolution", now));
            ctx.output(
                    WARNINGS,
                    warning(state, "resolution", due.resolutionWarn(), due.resolutionDue()));
        }
        boolean resolutionBreached = state.resolutionBreached();
        if (!resolutionBreached && reached(due.resolutionDue(), now)) {
            resolutionBreached = true;
            ctx.output(SIGNALS, signal(state, "sla_breaches", "resolution", now));
            breach(
                    state,
                    policy,
                    "resolution",
                    RESOLUTION_BREACHED_LABEL,
                    due.resolutionDue(),
                    !responseBreached,
                    out);
            openIncident(state, policy, "resolution", due.resolutionDue(), ctx, out);
        }
        SlaState next =
                state.withFlags(
                        responseWarned, responseBreached, resolutionWarned, resolutionBreached);
        // a relaxed policy may have moved deadlines past this timer: arm the new ones
        items.update(retarget(next, due, ctx, timestamp));
    }

    /**
     * Whether the stream is live: the watermark trails the wall clock by no more than the live lag,
     * so the sources are caught up (a replay's watermark lags by the replay's age).
     */
    private boolean live(OnTimerContext ctx) {
        long watermark = ctx.timerService().currentWatermark();
        long now = ctx.timerService().currentProcessingTime();
        return watermark != Long.MIN_VALUE && watermark >= now - liveLagMs;
    }

    /**
     * A processing-time timer that fires while the job is behind the wall clock by more than the
     * live lag but less than {@link #RECHECK_WITHIN} (a burst it has not read yet) looks again a
     * {@link #RECHECK_EVERY} later, so that the deadline still settles on the wall clock as soon as
     * the job has caught up. Further behind (a replay) it leaves the deadline to event time, and a
     * replay costs no timers.
     */
    private void recheck(OnTimerContext ctx) {
        long watermark = ctx.timerService().currentWatermark();
        long now = ctx.timerService().currentProcessingTime();
        if (watermark != Long.MIN_VALUE && watermark >= now - RECHECK_WITHIN.toMillis()) {
            ctx.timerService().registerProcessingTimeTimer(now + RECHECK_EVERY.toMillis());
        }
    }

    /**
     * Whether an opening belongs to a life that has already ended: it is not after the remembered
     * end, or it is further behind event time than an end is remembered.
     */
    private boolean stale(GitHubEvent event, ReadOnlyContext ctx) throws Exception {
        long at = event.occurredAt().toEpochMilli();
        Long end = ended.value();
        if (end != null && at <= end) {
            return true;
        }
        long watermark = ctx.timerService().currentWatermark();
        return watermark > Long.MIN_VALUE + END_MEMORY.toMillis()
                && at < watermark - END_MEMORY.toMillis();
    }

    /** Remembers the latest end of the item's life, for {@link #END_MEMORY}. */
    private void remember(GitHubEvent event, ReadOnlyContext ctx) throws Exception {
        long at = event.occurredAt().toEpochMilli();
        Long end = ended.value();
        if (end != null && end >= at) {
            return;
        }
        if (end != null) {
            ctx.timerService().deleteEventTimeTimer(end + END_MEMORY.toMillis());
        }
        ended.update(at);
        ctx.timerService().registerEventTimeTimer(at + END_MEMORY.toMillis());
    }

    private void start(GitHubEvent event, ReadOnlyContext ctx) throws Exception {
        RepoPolicy policy = policy(ctx, event.repo());
        if (Accounts.ignored(policy, GitHubPayloads.author(event))) {
            return;
        }
        // the priority comes from the labels: without them the deadlines cannot be known
        Optional<List<String>> labels = labelsOrSkip(event, RULE);
        if (labels.isEmpty()) {
            return;
        }
        Long end = ended.value();
        if (end != null) { // a new life: the end of the last one is no longer needed
            ctx.timerService().deleteEventTimeTimer(end + END_MEMORY.toMillis());
            ended.clear();
        }
        SlaState state =
                new SlaState(
                        event.repo(),
                        GitHubPayloads.itemNumber(event).orElseThrow(),
                        GitHubPayloads.author(event),
                        "pull_request".equals(event.type()),
                        event.eventId(),
                        event.occurredAt(),
                        SlaDeadlines.priority(policy, labels.get()),
                        null,
                        false,
                        false,
                        false,
                        false,
                        List.of(),
                        event.installationId());
        items.update(retarget(state, policy, ctx, Long.MIN_VALUE));
        ctx.output(SIGNALS, openItems(state, +1, event.occurredAt()));
    }

    private void reprioritise(SlaState state, GitHubEvent event, ReadOnlyContext ctx)
            throws Exception {
        RepoPolicy policy = policy(ctx, state.repo());
        Optional<List<String>> labels = labelsOrSkip(event, RULE);
        if (labels.isEmpty()) {
            return;
        }
        String priority = SlaDeadlines.priority(policy, labels.get());
        if (priority.equals(state.priority())) {
            return;
        }
        items.update(retarget(state.withPriority(priority), policy, ctx, Long.MIN_VALUE));
        ctx.output(SIGNALS, openItems(state, -1, event.occurredAt()));
        ctx.output(SIGNALS, openItems(state.withPriority(priority), +1, event.occurredAt()));
    }

    private void maybeFirstResponse(SlaState state, GitHubEvent event, ReadOnlyContext ctx)
            throws Exception {
        JsonNode responder =
                "pull_request_review".equals(event.type())
                        ? event.payload().path("review").path("user")
                        : event.payload().path("comment").path("user");
        String login = responder.path("login").asText("").toLowerCase(Locale.ROOT);
        RepoPolicy policy = policy(ctx, state.repo());
        if (login.isEmpty()
                || Accounts.isBot(responder)
                || login.equals(state.author())
                || Accounts.ignored(policy, login)) {
            return;
        }
        SlaState answered = state.withFirstResponse(event.occurredAt());
        items.update(retarget(answered, policy, ctx, Long.MIN_VALUE));
    }

    private void end(SlaState state, GitHubEvent event, ReadOnlyContext ctx) throws Exception {
        for (long timer : state.timers()) {
            ctx.timerService().deleteEventTimeTimer(timer);
            ctx.timerService().deleteProcessingTimeTimer(timer);
        }
        items.clear();
        ctx.output(SIGNALS, openItems(state, -1, event.occurredAt()));
        RepoPolicy policy = policy(ctx, state.repo());
        SlaDeadlines due = deadlines(policy, state);
        // closed before anyone answered: the response target met if the close came in time
        // (resolving an item answers it), missed if the deadline passed first
        Instant answeredAt =
                state.firstResponseAt() != null ? state.firstResponseAt() : event.occurredAt();
        boolean responseMet = !late(answeredAt, due.responseDue());
        boolean resolutionMet = !late(event.occurredAt(), due.resolutionDue());
        RepoMetrics closed =
                new RepoMetrics(
                        state.repo(),
                        "sla_items_closed",
                        Map.of(
                                "priority", state.priority(),
                                "met", String.valueOf(responseMet && resolutionMet)),
                        1,
                        event.occurredAt(),
                        event.occurredAt());
        ctx.output(SIGNALS, closed);
        ctx.output(
                SIGNALS,
                new RepoMetrics(
                        state.repo(),
                        "sla_compliance_ratio",
                        Map.of("priority", state.priority()),
                        responseMet && resolutionMet ? 1 : 0,
                        event.occurredAt(),
                        event.occurredAt()));
    }

    /**
     * Re-registers the timers (event time and processing time) of every deadline still pending; the
     * deadline at {@code firedAt} (a timer of either kind being handled now) is settled, and its
     * other timer goes too.
     */
    private SlaState retarget(
            SlaState state, RepoPolicy policy, ReadOnlyContext ctx, long firedAt) {
        return retarget(state, deadlines(policy, state), ctx, firedAt);
    }

    /** {@link #retarget(SlaState, RepoPolicy, ReadOnlyContext, long)} with the deadlines known. */
    private SlaState retarget(SlaState state, SlaDeadlines due, ReadOnlyContext ctx, long firedAt) {
        for (long timer : state.timers()) {
            // the timer firing now has left its queue already: deleting it is a no-op
            ctx.timerService().deleteEventTimeTimer(timer);
            ctx.timerService().deleteProcessingTimeTimer(timer);
        }
        TreeSet<Long> pending = new TreeSet<>();
        boolean responseOpen = state.firstResponseAt() == null;
        if (responseOpen && !state.responseWarned()) {
            add(pending, due.responseWarn());
        }
        if (responseOpen && !state.responseBreached()) {
            add(pending, due.responseDue());
        }
        if (!state.resolutionWarned()) {
            add(pending, due.resolutionWarn());
        }
        if (!state.resolutionBreached()) {
            add(pending, due.resolutionDue());
        }
        pending.remove(firedAt);
        for (long timer : pending) {
            ctx.timerService().registerEventTimeTimer(timer);
            ctx.timerService().registerProcessingTimeTimer(timer);
        }
        return state.withTimers(new ArrayList<>(pending));
    }

    private void breach(
            SlaState state,
            RepoPolicy policy,
            String kind,
            String label,
            Instant due,
            boolean firstBreach,
            Collector<ActionRecord> out) {
        String id = life(state) + ":" + kind + "-breach";
        String reason =
                String.format(
                        Locale.ROOT,
                        "%s %s missed its %s %s target (due %s)",
                        state.ref(),
                        state.priority(),
                        kind,
                        state.pullRequest() ? "pull request" : "issue",
                        due);
        // every type is proposed; the repo governor drops (on record) what the policy disables
        ObjectNode labels = JsonNodeFactory.instance.objectNode();
        labels.putArray("labels").add(label);
        out.collect(
                action(id + ":label", state, ActionType.ADD_LABELS, labels, reason, due, policy));
        ObjectNode comment = JsonNodeFactory.instance.objectNode();
        comment.put(
                "body",
                "This "
                        + (state.pullRequest() ? "pull request" : "issue")
                        + " ("
                        + state.priority()
                        + ") has passed its "
                        + kind
                        + " target of "
                        + due
                        + ". Could a maintainer take a look?");
        out.collect(
                action(
                        id + ":comment",
                        state,
                        ActionType.CREATE_COMMENT,
                        comment,
                        reason,
                        due,
                        policy));
        List<String> escalateTo = policy.sla().escalateTo();
        if (firstBreach && !escalateTo.isEmpty()) {
            // once per item: at its first breach, whichever deadline that is
            ObjectNode assignees = JsonNodeFactory.instance.objectNode();
            escalateTo.forEach(assignees.putArray("assignees")::add);
            out.collect(
                    action(
                            life(state) + ":escalate",
                            state,
                            ActionType.ADD_ASSIGNEES,
                            assignees,
                            reason + "; escalated to " + String.join(", ", escalateTo),
                            due,
                            policy));
        }
    }

    // ---- escalation (issue 17) --------------------------------------------------------------

    /** Who may acknowledge an incident with a comment or review ({@code author_association}). */
    private static final java.util.Set<String> MAINTAINERS =
            java.util.Set.of("OWNER", "MEMBER", "COLLABORATOR");

    /**
     * Opens the item's incident at a breach, when the policy has escalation levels and none is open
     * (an open response incident goes on through a later resolution breach), and tells level 0.
     */
    private void openIncident(
            SlaState state,
            RepoPolicy policy,
            String kind,
            Instant due,
            OnTimerContext ctx,
            Collector<ActionRecord> out)
            throws Exception {
        if (policy.sla().escalationLevels().isEmpty() || incidents.value() != null) {
            return;
        }
        SlaIncident incident =
                new SlaIncident(kind, state.priority(), due)
                        .with(due, kind + " target missed: incident opened");
        incidents.update(tell(state, policy, incident, 0, due, ctx, out));
    }

    /** The next level, when the current one was neither acknowledged nor resolved in its wait. */
    private void escalate(
            SlaState state,
            RepoPolicy policy,
            SlaIncident incident,
            OnTimerContext ctx,
            Collector<ActionRecord> out)
            throws Exception {
        // settled by whichever of its two timers fired first: the other one goes
        cancel(ctx, incident.nextAt(), state);
        int next = incident.level() + 1;
        if (next >= policy.sla().escalationLevels().size()) {
            incidents.update(incident.escalated(incident.level(), null));
            return; // the policy lost levels since: the last one stays told
        }
        incidents.update(tell(state, policy, incident, next, incident.nextAt(), ctx, out));
    }

    /** Tells escalation level {@code level} at {@code at} and arms the next level's timer. */
    private SlaIncident tell(
            SlaState state,
            RepoPolicy policy,
            SlaIncident incident,
            int level,
            Instant at,
            OnTimerContext ctx,
            Collector<ActionRecord> out) {
        List<RepoPolicy.EscalationLevel> levels = policy.sla().escalationLevels();
        RepoPolicy.EscalationLevel told = levels.get(level);
        String stem = life(state) + ":" + incident.kind() + "-incident:L" + level;
        String reason =
                String.format(
                        Locale.ROOT,
                        "%s %s missed its %s target (due %s): escalation level %d of %d",
                        state.ref(),
                        incident.priority(),
                        incident.kind(),
                        incident.openedAt(),
                        level + 1,
                        levels.size());
        String text =
                String.format(
                        Locale.ROOT,
                        "[%s] %s missed its %s target (due %s). Escalation level %d of %d:"
                                + " acknowledge with a comment or a label on the %s.",
                        incident.priority(),
                        state.ref(),
                        incident.kind(),
                        incident.openedAt(),
                        level + 1,
                        levels.size(),
                        state.pullRequest() ? "pull request" : "issue");
        if (told.slackChannel() != null) {
            out.collect(
                    slack(stem + ":slack", state, incident, level, told, text, reason, at, policy));
        }
        if (told.pagerdutyRoutingKey() != null) {
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            params.put("routing_key", told.pagerdutyRoutingKey())
                    .put("event_action", "trigger")
                    .put("summary", text)
                    .put("severity", SlaIncident.severity(incident.priority()))
                    .put("source", state.ref());
            out.collect(
                    action(
                                    stem + ":pagerduty",
                                    state,
                                    ActionType.PAGERDUTY_EVENT,
                                    params,
                                    reason,
                                    at,
                                    policy)
                            .withTypedTarget(
                                    TypedTarget.notification(incidentKey(state, incident))));
        }
        Instant next = level + 1 < levels.size() ? at.plus(told.waitFor()) : null;
        if (next != null) {
            // both clocks, as a deadline's: event time decides in a replay, the wall clock
            // while the stream is live (not ~30 s late, when the watermark passes)
            ctx.timerService().registerEventTimeTimer(next.toEpochMilli());
            ctx.timerService().registerProcessingTimeTimer(next.toEpochMilli());
        }
        return incident.escalated(level, next)
                .with(
                        at,
                        String.format(
                                Locale.ROOT,
                                "level %d of %d told:%s%s",
                                level + 1,
                                levels.size(),
                                told.slackChannel() == null ? "" : " Slack " + told.slackChannel(),
                                told.pagerdutyRoutingKey() == null
                                        ? ""
                                        : " PagerDuty "
                                                + told.pagerdutyRoutingKey()
                                                + " ("
                                                + SlaIncident.severity(incident.priority())
                                                + ")"));
    }

    /**
     * Deletes both timers of a level's due time (deleting a fired or absent timer is a no-op),
     * unless a deadline of {@code state} falls on the same instant and shares them.
     */
    private static void cancel(ReadOnlyContext ctx, Instant at, SlaState state) {
        if (at != null && !state.timers().contains(at.toEpochMilli())) {
            ctx.timerService().deleteEventTimeTimer(at.toEpochMilli());
            ctx.timerService().deleteProcessingTimeTimer(at.toEpochMilli());
        }
    }

    /**
     * A maintainer's comment, review or label on an item with an open incident acknowledges it: no
     * further level is told, and the levels told hear it (PagerDuty acknowledge, the Slack message
     * edited).
     */
    private void maybeAcknowledge(
            SlaState state,
            GitHubEvent event,
            JsonNode user,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out)
            throws Exception {
        SlaIncident incident = incidents.value();
        if (incident == null || incident.acknowledgedBy() != null) {
            return;
        }
        String login = user.path("login").asText("").toLowerCase(Locale.ROOT);
        RepoPolicy policy = policy(ctx, state.repo());
        if (login.isEmpty() || Accounts.isBot(user) || Accounts.ignored(policy, login)) {
            return;
        }
        cancel(ctx, incident.nextAt(), state);
        follow(
                state,
                policy,
                incident,
                "acknowledge",
                "acknowledged by @" + login,
                event.occurredAt(),
                out);
        incidents.update(incident.acknowledged(login, event.occurredAt()));
    }

    /** The item got its response or ended: the incident resolves at every level told. */
    private void resolve(
            SlaState state,
            String why,
            Instant at,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out)
            throws Exception {
        SlaIncident incident = incidents.value();
        if (incident == null) {
            return;
        }
        cancel(ctx, incident.nextAt(), state);
        RepoPolicy policy = policy(ctx, state.repo());
        follow(state, policy, incident, "resolve", "resolved (" + why + ")", at, out);
        incidents.clear();
        report(
                state,
                policy,
                new IncidentReport(
                        state.ref(), incident, at, why, policy.sla().escalationLevels().size()),
                ctx,
                out);
    }

    /** Metric of a resolved incident's report on {@code github.metrics.v1}, for dashboards. */
    public static final String INCIDENT_REPORT_METRIC = "sla_incident_report";

    /**
     * A resolved incident's report: always on the metrics topic (metric {@link
     * #INCIDENT_REPORT_METRIC}, the Markdown in label {@code report}, the value the seconds to
     * resolve), and as a comment on the item when the policy's {@code incident_report_comment} says
     * so.
     */
    private void report(
            SlaState state,
            RepoPolicy policy,
            IncidentReport report,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out) {
        String markdown = report.markdown();
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("item", state.ref());
        labels.put("kind", report.incident().kind());
        labels.put("priority", report.incident().priority());
        labels.put("resolved", report.resolvedBecause());
        labels.put("time_to_resolve_s", String.valueOf(report.timeToResolve().getSeconds()));
        if (report.timeToAcknowledge() != null) {
            labels.put("acknowledged_by", report.incident().acknowledgedBy());
            labels.put(
                    "time_to_acknowledge_s",
                    String.valueOf(report.timeToAcknowledge().getSeconds()));
        }
        labels.put("report", markdown);
        Instant opened = report.incident().openedAt();
        Instant resolved = report.resolvedAt().isBefore(opened) ? opened : report.resolvedAt();
        ctx.output(
                SIGNALS,
                new RepoMetrics(
                        state.repo(),
                        INCIDENT_REPORT_METRIC,
                        labels,
                        report.timeToResolve().getSeconds(),
                        opened,
                        resolved));
        if (policy.sla().incidentReportComment()) {
            ObjectNode comment = JsonNodeFactory.instance.objectNode();
            comment.put("body", markdown);
            out.collect(
                    action(
                            life(state) + ":" + report.incident().kind() + "-incident:report",
                            state,
                            ActionType.CREATE_COMMENT,
                            comment,
                            state.ref()
                                    + " "
                                    + report.incident().kind()
                                    + " incident resolved ("
                                    + report.resolvedBecause()
                                    + "): its report",
                            report.resolvedAt(),
                            policy));
        }
    }

    /** Tells every level told so far what became of the incident. */
    private void follow(
            SlaState state,
            RepoPolicy policy,
            SlaIncident incident,
            String eventAction,
            String what,
            Instant at,
            Collector<ActionRecord> out) {
        List<RepoPolicy.EscalationLevel> levels = policy.sla().escalationLevels();
        String reason = state.ref() + " " + incident.kind() + " incident " + what;
        String text =
                String.format(
                        Locale.ROOT,
                        "[%s] %s missed its %s target (due %s): %s at %s.",
                        incident.priority(),
                        state.ref(),
                        incident.kind(),
                        incident.openedAt(),
                        what,
                        at);
        for (int i = 0; i <= incident.level() && i < levels.size(); i++) {
            RepoPolicy.EscalationLevel told = levels.get(i);
            String stem =
                    life(state) + ":" + incident.kind() + "-incident:L" + i + ":" + eventAction;
            if (told.slackChannel() != null) {
                out.collect(
                        slack(stem + ":slack", state, incident, i, told, text, reason, at, policy));
            }
            if (told.pagerdutyRoutingKey() != null) {
                ObjectNode params = JsonNodeFactory.instance.objectNode();
                params.put("routing_key", told.pagerdutyRoutingKey())
                        .put("event_action", eventAction);
                out.collect(
                        action(
                                        stem + ":pagerduty",
                                        state,
                                        ActionType.PAGERDUTY_EVENT,
                                        params,
                                        reason,
                                        at,
                                        policy)
                                .withTypedTarget(
                                        TypedTarget.notification(incidentKey(state, incident))));
            }
        }
    }

    /**
     * A Slack message of a level; its dedup key is the incident's and the level's, so that what
     * follows (acknowledged, resolved) edits the message the level was told with.
     */
    private static ActionRecord slack(
            String id,
            SlaState state,
            SlaIncident incident,
            int level,
            RepoPolicy.EscalationLevel told,
            String text,
            String reason,
            Instant at,
            RepoPolicy policy) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("channel", told.slackChannel()).put("text", text);
        return action(id, state, ActionType.NOTIFY_SLACK, params, reason, at, policy)
                .withTypedTarget(
                        TypedTarget.notification(incidentKey(state, incident) + "/L" + level));
    }

    /**
     * The incident's dedup key: the item, its life and the breach, e.g. {@code
     * sla:octo/widgets#7@2026-03-02T09:00:00Z:response}; PagerDuty folds every trigger of one
     * routing key with it into one alert.
     */
    static String incidentKey(SlaState state, SlaIncident incident) {
        return "sla:"
                + state.ref()
                + "@"
                + state.openedAt().truncatedTo(ChronoUnit.MILLIS)
                + ":"
                + incident.kind();
    }

    /** The item's deadlines under {@code policy}, with the repository's cached business clock. */
    private SlaDeadlines deadlines(RepoPolicy policy, SlaState state) {
        return SlaDeadlines.of(policy, clocks, state.openedAt(), state.priority());
    }

    /** The rule, the item and which of its lives: the stem of every action id. */
    private static String life(SlaState state) {
        return RULE + ":" + state.ref() + "@" + state.openedAt().truncatedTo(ChronoUnit.MILLIS);
    }

    private static ActionRecord action(
            String id,
            SlaState state,
            ActionType type,
            ObjectNode params,
            String reason,
            Instant due,
            RepoPolicy policy) {
        return new ActionRecord(
                id,
                state.repo(),
                state.number(),
                type,
                params,
                reason,
                List.of("opened " + state.openedAt() + ", priority " + state.priority()),
                1.0,
                RULE,
                List.of(state.openedBy()),
                state.installationId(),
                due,
                null,
                null,
                policy.dryRun());
    }

    /**
     * The warning of {@code kind} that fell due at {@code at}, as an internal event of the item's
     * repository and installation; its id names the item's life, so a replay repeats it.
     */
    static GitHubEvent warning(SlaState state, String kind, Instant at, Instant due) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.putObject(WARNING_FIELD)
                .put("kind", kind)
                .put("priority", state.priority())
                .put("due", due.toString());
        payload.putObject(state.pullRequest() ? "pull_request" : "issue")
                .put("number", state.number());
        return new GitHubEvent(
                life(state) + ":" + kind + "-warning",
                EventSource.ENRICHMENT,
                WARNING_TYPE,
                kind,
                state.repo(),
                null,
                state.installationId(),
                at,
                at,
                payload);
    }

    private static RepoMetrics signal(SlaState state, String metric, String kind, Instant at) {
        return new RepoMetrics(
                state.repo(),
                metric,
                Map.of("kind", kind, "priority", state.priority()),
                1,
                at,
                at);
    }

    /** A change of the number of open items of the item's priority, for {@link OpenItemsGauge}. */
    private static RepoMetrics openItems(SlaState state, int delta, Instant at) {
        return new RepoMetrics(
                state.repo(),
                OpenItemsGauge.DELTA_METRIC,
                Map.of("priority", state.priority()),
                delta,
                at,
                at);
    }

    private static boolean reached(Instant deadline, Instant now) {
        return deadline != null && !now.isBefore(deadline);
    }

    /** Whether {@code at} is past {@code deadline}; nothing is late for a deadline never due. */
    private static boolean late(Instant at, Instant deadline) {
        return deadline != null && at.isAfter(deadline);
    }

    private static void add(TreeSet<Long> timers, Instant at) {
        if (at != null) {
            timers.add(at.toEpochMilli());
        }
    }
}
