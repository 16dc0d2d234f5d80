package io.repostream.flink.rules.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.GitHubPayloads;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.flink.rules.lifecycle.LifecycleState.Step;
import io.repostream.flink.rules.sla.BusinessClocks;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.Lifecycle;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.BusinessCalendar;
import io.repostream.schemas.RepoPolicy.Mode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule {@code lifecycle@1} (policy section {@code lifecycle:}), keyed by item ({@code
 * owner/repo#12}): what Prow's lifecycle plugin and actions/stale do, on event time.
 *
 * <ul>
 *   <li>An open item without activity for {@code stale_after} gets the stale label; {@code
 *       rotten_after} later the rotten label (the stale one goes); {@code close_after} after that
 *       it is closed as {@code not_planned}, with a comment saying how to reopen it. Periods count
 *       working days of the section's calendar when {@code business_days} is set ({@link
 *       BusinessClocks}, the SLA monitor's clock, over whole days).
 *   <li>Activity is anything a person does on the item (comments, reviews, pushes, edits, label and
 *       assignee changes). A bot's activity (an account of type {@code Bot}, a login ending in
 *       {@code [bot]}, one listed in {@code bots} or {@code ignore_users}) neither counts nor
 *       resets the clock, so our own labels do not either. A person's activity removes the stale
 *       and rotten labels and starts the clock over; so does adding or removing them, but for
 *       adding one, which marks the item by hand.
 *   <li>Awaiting response: while the item has {@code awaiting_response.label}, its author's comment
 *       or review removes the label; without one within {@code awaiting_response.close_after} of
 *       the label being seen, the item is closed with the policy's comment.
 *   <li>Exempt items (labels, milestones, assignees, drafts) are left alone: their timers go and
 *       their lifecycle labels are removed; they are counted when they become exempt.
 * </ul>
 *
 * <p>An item is followed from the first event the job sees of it while open (the rule reads events;
 * it does not list a repository's items). Action ids derive from the step's due time or the causing
 * event's time, so a replay from a checkpoint proposes the same ids. When an item closes (by
 * anyone, or by this rule) its state and timers go; only the close's event time stays, for {@link
 * #END_MEMORY}, so a late redelivery of an older event does not start following (and close) it
 * again. A reopened item starts over.
 */
public final class LifecycleFunction extends PolicyAwareFunction<GitHubEvent, ActionRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleFunction.class);

    public static final String RULE = "lifecycle@1";

    /** Signals for the per-repo metric windows and {@code SignalCounters}. */
    public static final OutputTag<RepoMetrics> SIGNALS =
            new OutputTag<>("lifecycle-signals", WireTypes.REPO_METRICS);

    /** Items marked stale or rotten, or closed, with label {@code step}. */
    public static final String ITEMS_METRIC = "lifecycle_items";

    /** Items that became exempt, with label {@code reason}. */
    public static final String EXEMPTIONS_METRIC = "lifecycle_exemptions";

    /** How long (event time) the close of an item is remembered against late redeliveries. */
    static final Duration END_MEMORY = Duration.ofDays(7);

    /** Garbage collection for items whose close we never see; not a business rule. */
    private static final Duration STATE_RETENTION = Duration.ofDays(400);

    private transient ValueState<String> items;
    private transient ValueState<Long> ended;
    private transient BusinessClocks clocks;
    private transient Counter markedStale;
    private transient Counter markedRotten;
    private transient Counter closed;
    private transient Counter exemptions;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        items = getRuntimeContext().getState(retained("lifecycle-item", Types.STRING));
        ended = getRuntimeContext().getState(retained("lifecycle-ended", Types.LONG));
        clocks = new BusinessClocks();
        var metrics = getRuntimeContext().getMetricGroup();
        markedStale = metrics.counter("lifecycleMarkedStale");
        markedRotten = metrics.counter("lifecycleMarkedRotten");
        closed = metrics.counter("lifecycleClosed");
        exemptions = metrics.counter("lifecycleExemptions");
    }

    private static <T> ValueStateDescriptor<T> retained(String name, TypeInformation<T> type) {
        ValueStateDescriptor<T> d = new ValueStateDescriptor<>(name, type);
        d.enableTimeToLive(StateTtlConfig.newBuilder(STATE_RETENTION).build());
        return d;
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode item = GitHubPayloads.item(event);
        long at = event.occurredAt().toEpochMilli();
        if ("closed".equals(event.action())) {
            end(ctx, at);
            return;
        }
        Long end = ended.value();
        if (end != null && at <= end) {
            return; // a late redelivery from before the close
        }
        if (!"open".equals(item.path("state").asText("open"))) {
            return;
        }
        Optional<List<String>> known = labelsOrSkip(event, RULE);
        if (known.isEmpty()) {
            return;
        }
        List<String> labels = known.get();
        RepoPolicy policy = policy(ctx, event.repo());
        Lifecycle lc = policy.lifecycle();
        LifecycleState state = load();
        boolean restart = state == null;
        if (state == null) {
            if (end != null) { // a new life: the end of the last one is no longer needed
                ctx.timerService().deleteEventTimeTimer(end + END_MEMORY.toMillis());
                ended.clear();
            }
            state = first(event, item, labels, lc, at);
        }

        String exemption = exemption(lc, item, labels);
        if (exemption != null) {
            if (!state.exempt()) {
                exemptions.inc();
                ctx.output(
                        SIGNALS, signal(event.repo(), EXEMPTIONS_METRIC, "reason", exemption, at));
                LOG.info("{}: {} is exempt ({}): left alone", RULE, state.ref(), exemption);
                for (String label : lifecycleLabels(lc, labels)) {
                    out.collect(
                            removal(state, label, at, "it is exempt (" + exemption + ")", policy));
                }
            }
            cancel(ctx, state.due());
            cancel(ctx, state.awaitingDue());
            save(state.withExempt(true).withStep(Step.ACTIVE, null).withAwaitingDue(null));
            return;
        }
        if (state.exempt()) { // no longer exempt: the clock starts now
            state = state.withExempt(false).withActivity(at);
            restart = true;
        }

        JsonNode actor = actor(event);
        String login = actor.path("login").asText("").toLowerCase(Locale.ROOT);
        boolean person =
                !login.isEmpty()
                        && !lc.isBot(login, actor.path("type").asText(""))
                        && !policy.ignores(login);

        state = awaiting(event, ctx, out, state, lc, labels, login, person, policy, at);

        if (person && countsAsActivity(event, lc) && at >= state.activity()) {
            state = state.withActivity(at);
            if (state.step() != Step.ACTIVE) {
                for (String label : lifecycleLabels(lc, labels)) {
                    out.collect(removal(state, label, at, "@" + login + " was active", policy));
                }
            }
            state = state.withStep(Step.ACTIVE, state.due());
            restart = true;
        }
        if (restart || state.due() == null) {
            schedule(ctx, state, lc, at);
        } else {
            save(state);
        }
    }

    /** A new item: followed from this event, at the step its labels say (marked by hand, Prow). */
    private static LifecycleState first(
            GitHubEvent event, JsonNode item, List<String> labels, Lifecycle lc, long at) {
        Step step =
                has(labels, lc.rottenLabel())
                        ? Step.ROTTEN
                        : has(labels, lc.staleLabel()) ? Step.STALE : Step.ACTIVE;
        return new LifecycleState(
                event.repo(),
                GitHubPayloads.itemNumber(event).orElseThrow(),
                item.path("user").path("login").asText("").toLowerCase(Locale.ROOT),
                event.installationId(),
                at,
                step,
                null,
                null,
                false);
    }

    /** Starts, keeps or ends the wait for the author's answer; the author's reply ends it. */
    private LifecycleState awaiting(
            GitHubEvent event,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out,
            LifecycleState state,
            Lifecycle lc,
            List<String> labels,
            String login,
            boolean person,
            RepoPolicy policy,
            long at)
            throws Exception {
        String label = lc.awaitingResponse().label();
        if (!has(labels, label)) {
            cancel(ctx, state.awaitingDue());
            return state.withAwaitingDue(null);
        }
        if (person && isReply(event) && login.equals(state.author())) {
            cancel(ctx, state.awaitingDue());
            out.collect(removal(state, label, at, "@" + login + " answered", policy));
            return state.withAwaitingDue(null);
        }
        boolean labelledNow =
                "labeled".equals(event.action())
                        && label.equalsIgnoreCase(
                                event.payload().path("label").path("name").asText());
        if (state.awaitingDue() != null && !labelledNow) {
            return state;
        }
        Instant due =
                plus(
                        state.repo(),
                        lc,
                        Instant.ofEpochMilli(at),
                        lc.awaitingResponse().closeAfter());
        cancel(ctx, state.awaitingDue());
        if (due == null) {
            return state.withAwaitingDue(null);
        }
        ctx.timerService().registerEventTimeTimer(due.toEpochMilli());
        return state.withAwaitingDue(due.toEpochMilli());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRecord> out)
            throws Exception {
        Long end = ended.value();
        if (end != null && timestamp == end + END_MEMORY.toMillis()) {
            ended.clear();
        }
        LifecycleState state = load();
        if (state == null) {
            return;
        }
        RepoPolicy policy = policy(ctx, state.repo());
        Lifecycle lc = policy.lifecycle();
        if (lc.mode() == Mode.OFF) { // the section was turned off: forget the item
            cancel(ctx, state.due());
            cancel(ctx, state.awaitingDue());
            items.clear();
            return;
        }
        Instant now = Instant.ofEpochMilli(timestamp);
        if (state.awaitingDue() != null && state.awaitingDue() == timestamp) {
            close(
                    ctx,
                    out,
                    state,
                    policy,
                    now,
                    "awaiting",
                    lc.awaitingResponse().comment(),
                    "no answer from @"
                            + state.author()
                            + " within "
                            + days(lc.awaitingResponse().closeAfter()));
            return;
        }
        if (state.due() == null || state.due() != timestamp) {
            return; // a timer of an earlier schedule
        }
        String idle = "no activity since " + Instant.ofEpochMilli(state.activity());
        switch (state.step()) {
            case ACTIVE -> {
                markedStale.inc();
                ctx.output(SIGNALS, signal(state.repo(), ITEMS_METRIC, "step", "stale", timestamp));
                out.collect(labelling(state, lc.staleLabel(), "stale", now, idle, policy));
                schedule(ctx, state.withStep(Step.STALE, timestamp), lc, timestamp);
            }
            case STALE -> {
                markedRotten.inc();
                ctx.output(
                        SIGNALS, signal(state.repo(), ITEMS_METRIC, "step", "rotten", timestamp));
                out.collect(labelling(state, lc.rottenLabel(), "rotten", now, idle, policy));
                out.collect(removal(state, lc.staleLabel(), timestamp, "it is rotten", policy));
                schedule(ctx, state.withStep(Step.ROTTEN, timestamp), lc, timestamp);
            }
            case ROTTEN -> {
                close(
                        ctx,
                        out,
                        state,
                        policy,
                        now,
                        "rotten",
                        "Closed after "
                                + days(lc.staleAfter().plus(lc.rottenAfter()).plus(lc.closeAfter()))
                                + " without activity (stale, then rotten, then closed).",
                        idle);
            }
        }
    }

    private void close(
            OnTimerContext ctx,
            Collector<ActionRecord> out,
            LifecycleState state,
            RepoPolicy policy,
            Instant now,
            String why,
            String comment,
            String reason)
            throws Exception {
        closed.inc();
        ctx.output(
                SIGNALS,
                signal(state.repo(), ITEMS_METRIC, "step", "closed-" + why, now.toEpochMilli()));
        String body =
                comment
                        + "\n\n@"
                        + state.author()
                        + " or a maintainer can reopen it by commenting `/reopen`"
                        + " (or reopen it on GitHub); the clock then starts over.";
        String base = RULE + ":" + state.ref() + ":" + why + "@" + now;
        out.collect(
                action(
                        base + ":comment",
                        state,
                        ActionType.CREATE_COMMENT,
                        JsonNodeFactory.instance.objectNode().put("body", body),
                        reason,
                        now,
                        policy));
        out.collect(
                action(
                        base + ":close",
                        state,
                        ActionType.CLOSE_ISSUE,
                        JsonNodeFactory.instance.objectNode().put("state_reason", "not_planned"),
                        reason,
                        now,
                        policy));
        cancel(ctx, state.due());
        cancel(ctx, state.awaitingDue());
        items.clear();
        end(ctx, now.toEpochMilli());
    }

    /** The item's life ends: its state and timers go, the end's time stays a while. */
    private void end(ReadOnlyContext ctx, long at) throws Exception {
        LifecycleState state = load();
        if (state != null) {
            cancel(ctx, state.due());
            cancel(ctx, state.awaitingDue());
            items.clear();
        }
        Long end = ended.value();
        if (end != null && end >= at) {
            return;
        }
        cancel(ctx, end == null ? null : end + END_MEMORY.toMillis());
        ended.update(at);
        ctx.timerService().registerEventTimeTimer(at + END_MEMORY.toMillis());
    }

    /**
     * Sets the timer of the item's next step, {@code from} plus the period of its current step
     * (replacing the one set before), and saves the state.
     */
    private void schedule(ReadOnlyContext ctx, LifecycleState state, Lifecycle lc, long from)
            throws Exception {
        Duration period =
                switch (state.step()) {
                    case ACTIVE -> lc.staleAfter();
                    case STALE -> lc.rottenAfter();
                    case ROTTEN -> lc.closeAfter();
                };
        Instant due = plus(state.repo(), lc, Instant.ofEpochMilli(from), period);
        Long next = due == null ? null : due.toEpochMilli();
        if (state.due() != null && !state.due().equals(next)) {
            cancel(ctx, state.due());
        }
        if (next != null) {
            ctx.timerService().registerEventTimeTimer(next);
        } else {
            LOG.info("{}: {}'s calendar never reaches its next step", RULE, state.ref());
        }
        save(state.withStep(state.step(), next));
    }

    /**
     * {@code from} plus {@code period}: in working days of the section's calendar when it counts
     * business days (a working day counts whole, whatever its working hours), with the SLA
     * monitor's clock; null when the calendar never reaches it.
     */
    private Instant plus(String repo, Lifecycle lc, Instant from, Duration period) {
        if (!lc.businessDays()) {
            return from.plus(period);
        }
        BusinessCalendar c = lc.calendar();
        BusinessCalendar wholeDays =
                new BusinessCalendar(c.timeZone(), c.workingDays(), null, null, c.holidays());
        return clocks.of(repo, wholeDays).plus(from, period);
    }

    /** Why the item is exempt, or null. */
    static String exemption(Lifecycle lc, JsonNode item, List<String> labels) {
        for (String label : labels) {
            if (io.repostream.schemas.Accounts.named(lc.exemptLabels(), label)) {
                return "label";
            }
        }
        JsonNode milestone = item.path("milestone");
        if (milestone.isObject()) {
            if (lc.exemptAllMilestones()
                    || lc.exemptMilestones().contains(milestone.path("title").asText())) {
                return "milestone";
            }
        }
        if (lc.exemptAssigned() && item.path("assignees").size() > 0) {
            return "assigned";
        }
        if (lc.exemptDrafts() && item.path("draft").asBoolean(false)) {
            return "draft";
        }
        return null;
    }

    /** Who acted: the comment's or review's author, else the event's sender. */
    private static JsonNode actor(GitHubEvent event) {
        JsonNode payload = event.payload();
        for (String field : List.of("comment", "review")) {
            JsonNode user = payload.path(field).path("user");
            if (user.isObject()) {
                return user;
            }
        }
        return payload.path("sender");
    }

    private static boolean isReply(GitHubEvent event) {
        return switch (event.type()) {
            case "issue_comment", "pull_request_review_comment" -> "created".equals(event.action());
            case "pull_request_review" -> "submitted".equals(event.action());
            default -> false;
        };
    }

    /** Adding a lifecycle label marks the item by hand: not activity. */
    private static boolean countsAsActivity(GitHubEvent event, Lifecycle lc) {
        if (!"labeled".equals(event.action())) {
            return true;
        }
        String name = event.payload().path("label").path("name").asText("");
        return !name.equalsIgnoreCase(lc.staleLabel()) && !name.equalsIgnoreCase(lc.rottenLabel());
    }

    private static List<String> lifecycleLabels(Lifecycle lc, List<String> labels) {
        List<String> present = new ArrayList<>();
        for (String label : labels) {
            if (label.equalsIgnoreCase(lc.staleLabel())
                    || label.equalsIgnoreCase(lc.rottenLabel())) {
                present.add(label);
            }
        }
        return present;
    }

    private static boolean has(List<String> labels, String name) {
        return labels.stream().anyMatch(name::equalsIgnoreCase);
    }

    private static ActionRecord labelling(
            LifecycleState state,
            String label,
            String step,
            Instant now,
            String reason,
            RepoPolicy policy) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putArray("labels").add(label);
        return action(
                RULE + ":" + state.ref() + ":" + step + "@" + now,
                state,
                ActionType.ADD_LABELS,
                params,
                state.ref() + " is " + step + ": " + reason,
                now,
                policy);
    }

    private static ActionRecord removal(
            LifecycleState state, String label, long at, String why, RepoPolicy policy) {
        Instant when = Instant.ofEpochMilli(at);
        return action(
                RULE + ":" + state.ref() + ":remove:" + label + "@" + when,
                state,
                ActionType.REMOVE_LABEL,
                JsonNodeFactory.instance.objectNode().put("label", label),
                "remove " + label + " from " + state.ref() + ": " + why,
                when,
                policy);
    }

    private static ActionRecord action(
            String id,
            LifecycleState state,
            ActionType type,
            ObjectNode params,
            String reason,
            Instant at,
            RepoPolicy policy) {
        return new ActionRecord(
                id,
                state.repo(),
                state.number(),
                type,
                params,
                reason,
                List.of("last activity " + Instant.ofEpochMilli(state.activity())),
                1.0,
                RULE,
                List.of(),
                state.installationId(),
                at,
                null,
                null,
                policy.dryRun());
    }

    private static RepoMetrics signal(
            String repo, String metric, String label, String value, long at) {
        Instant when = Instant.ofEpochMilli(at);
        return new RepoMetrics(repo, metric, Map.of(label, value), 1, when, when);
    }

    private static String days(Duration d) {
        long days = d.toDays();
        return days >= 1 && d.equals(Duration.ofDays(days)) ? days + " days" : d.toString();
    }

    private void cancel(ReadOnlyContext ctx, Long timer) {
        if (timer != null) {
            ctx.timerService().deleteEventTimeTimer(timer);
        }
    }

    private LifecycleState load() throws Exception {
        String json = items.value();
        return json == null ? null : LifecycleState.fromJson(json);
    }

    private void save(LifecycleState state) throws Exception {
        items.update(state.toJson());
    }
}
