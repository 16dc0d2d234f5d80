package io.repostream.flink.rules.maintenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.rules.Accounts;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.flink.rules.maintenance.WindowPlanner.Window;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.Maintenance;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.TypedTarget;
import io.repostream.schemas.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule {@code maintenance@1} (policy section {@code maintenance:}), keyed by repository: learns the
 * repository's impact per local hour of the week from its own events ({@link ImpactProfile}) and
 * runs the enabled maintenance tasks in the lowest-impact hour of each day or week, or in the
 * policy's fixed window ({@link WindowPlanner}).
 *
 * <p>One event-time timer per repository: the next window's start (or, while the profile is still
 * learning, the next period's start, to look again). At a window the rule folds in the activity up
 * to it, publishes the profile ({@code maintenance_impact_ratio} per hour of the week on {@code
 * github.metrics.v1}), proposes the tasks' actions with {@code not_before} the window's start and
 * {@code expires_at} its end (so the governors send them within the window or drop them on record,
 * never later), each carrying the window and its score against the week's in its evidence, and
 * plans the next window. With the section off, the timer's firing clears the repository's state and
 * sets no other.
 *
 * <p>Task {@code delete_merged_branches}: a branch of this repository whose pull request was merged
 * at least {@code after} before the window ({@code delete_ref}, undone by recreating it at the SHA
 * the executor's snapshot recorded). Never the default branch, a branch an open pull request is
 * from or into (deleting a base closes its pull requests), one pushed to after the merge, one
 * created again (by a person, or by the undo), nor one {@code keep} names.
 */
public final class MaintenanceFunction extends PolicyAwareFunction<GitHubEvent, ActionRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceFunction.class);

    public static final String RULE = "maintenance@1";

    /** The per-hour profile and window counts, for the metric windows. */
    public static final OutputTag<RepoMetrics> SIGNALS =
            new OutputTag<>("maintenance-signals", WireTypes.REPO_METRICS);

    /** The impact of each hour of the week, label {@code hour_of_week} ({@code sun-03}). */
    public static final String IMPACT_METRIC = "maintenance_impact_ratio";

    /** Windows run, label {@code choice} ({@code learned}, {@code fixed}). */
    public static final String WINDOWS_METRIC = "maintenance_windows";

    /** Garbage collection for branches and pull requests whose end we never see. */
    private static final Duration STATE_RETENTION = Duration.ofDays(90);

    /** Garbage collection for a profile whose section stays on without events or windows. */
    private static final Duration PROFILE_RETENTION = Duration.ofDays(400);

    private transient ValueState<String> profile;
    private transient ValueState<String> plan;
    private transient ValueState<String> defaultBranch;
    private transient ValueState<Long> installation;
    private transient MapState<String, String> merged;
    private transient MapState<Long, String> openPulls;

    private transient Counter windowsRun;
    private transient Counter windowsPlanned;
    private transient Counter learning;
    private transient Counter lateEvents;
    private transient Counter branchDeletes;
    private transient Counter branchesLeft;

    /** Planned window start per repository of this subtask, for the overdue gauge. */
    private transient Map<String, Long> due;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        profile = value("maintenance-profile", PROFILE_RETENTION);
        plan = value("maintenance-plan", PROFILE_RETENTION);
        defaultBranch = value("maintenance-default-branch", PROFILE_RETENTION);
        ValueStateDescriptor<Long> i =
                new ValueStateDescriptor<>("maintenance-installation", Types.LONG);
        i.enableTimeToLive(StateTtlConfig.newBuilder(PROFILE_RETENTION).build());
        installation = getRuntimeContext().getState(i);
        MapStateDescriptor<String, String> m =
                new MapStateDescriptor<>("maintenance-merged-branches", Types.STRING, Types.STRING);
        m.enableTimeToLive(StateTtlConfig.newBuilder(STATE_RETENTION).build());
        merged = getRuntimeContext().getMapState(m);
        MapStateDescriptor<Long, String> o =
                new MapStateDescriptor<>("maintenance-open-pulls", Types.LONG, Types.STRING);
        o.enableTimeToLive(StateTtlConfig.newBuilder(STATE_RETENTION).build());
        openPulls = getRuntimeContext().getMapState(o);
        var metrics = getRuntimeContext().getMetricGroup();
        windowsRun = metrics.counter("maintenanceWindowsRun");
        windowsPlanned = metrics.counter("maintenanceWindowsPlanned");
        learning = metrics.counter("maintenanceStillLearning");
        lateEvents = metrics.counter("maintenanceLateEvents");
        branchDeletes = metrics.counter("maintenanceBranchDeletesProposed");
        branchesLeft = metrics.counter("maintenanceBranchesLeft");
        due = new ConcurrentHashMap<>();
        metrics.gauge("maintenanceWindowOverdueSeconds", (Gauge<Long>) this::overdueSeconds);
    }

    private ValueState<String> value(String name, Duration ttl) {
        ValueStateDescriptor<String> d = new ValueStateDescriptor<>(name, Types.STRING);
        d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
        return getRuntimeContext().getState(d);
    }

    /**
     * How long the most overdue planned window of this subtask has been due on the wall clock
     * without running: it runs when event time (the watermark) passes its start, so a stalled
     * watermark lets windows pass without their tasks.
     */
    private long overdueSeconds() {
        long now = System.currentTimeMillis();
        long oldest = due.values().stream().mapToLong(Long::longValue).min().orElse(now);
        return Math.max(0, (now - oldest) / 1000);
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        RepoPolicy policy = policy(ctx, event.repo());
        Maintenance m = policy.maintenance();
        long at = event.occurredAt().toEpochMilli();
        JsonNode p = event.payload();
        String branch = p.path("repository").path("default_branch").asText("");
        if (!branch.isEmpty()) {
            defaultBranch.update(branch);
        }
        if (event.installationId() != null) {
            installation.update(event.installationId());
        }
        ImpactProfile prof = loadProfile();
        String person = person(event, policy);
        // a bot's comment disturbs nobody; a run or a merge loads CI and the branch, whoever did it
        boolean counted =
                prof.add(
                        at,
                        person,
                        "workflow_run".equals(event.type()) && "completed".equals(event.action()),
                        isMerge(event),
                        person != null
                                && ("issues".equals(event.type())
                                        || "issue_comment".equals(event.type())),
                        m);
        if (!counted) {
            lateEvents.inc();
            LOG.debug(
                    "{}: {} of {} at {} is older than the hour being counted: not learned",
                    RULE,
                    event.eventId(),
                    event.repo(),
                    event.occurredAt());
        }
        profile.update(prof.toJson());
        branches(event, at);
        Plan current = loadPlan();
        if (current == null) {
            // from event time as the job knows it: a late event does not plan a past window
            plan(prof, m, Math.max(at, ctx.timerService().currentWatermark()), event.repo(), ctx);
        } else {
            due.put(event.repo(), current.start());
        }
    }

    /** A person's login, or null for a bot, an ignored account or none. */
    private static String person(GitHubEvent event, RepoPolicy policy) {
        JsonNode sender = event.payload().path("sender");
        String login = sender.path("login").asText("");
        if (login.isEmpty() || Accounts.isBot(sender) || Accounts.ignored(policy, login)) {
            return null;
        }
        return login;
    }

    private static boolean isMerge(GitHubEvent event) {
        return "pull_request".equals(event.type())
                && "closed".equals(event.action())
                && event.payload().path("pull_request").path("merged").asBoolean(false);
    }

    /** What the event says about branches that may be deleted. */
    private void branches(GitHubEvent event, long at) throws Exception {
        JsonNode p = event.payload();
        switch (event.type()) {
            case "pull_request" -> onPullRequest(event, at);
            case "push" -> {
                String ref = p.path("ref").asText("");
                if (!ref.startsWith("refs/heads/")) {
                    return;
                }
                String name = ref.substring("refs/heads/".length());
                String had = merged.get(name);
                if (had == null) {
                    return;
                }
                if (p.path("deleted").asBoolean(false)) {
                    merged.remove(name);
                } else if (!p.path("after").asText("").equals(MergedBranch.fromJson(had).sha())) {
                    merged.remove(name);
                    LOG.info(
                            "{}: {} branch {} was pushed to after its merge: not deleted",
                            RULE,
                            event.repo(),
                            name);
                }
            }
            case "create", "delete" -> {
                if ("branch".equals(p.path("ref_type").asText(""))) {
                    // deleted (by anyone, or as we asked), or created again: by a person, or by
                    // the executor's undo of our deletion; either way, not ours to delete now
                    merged.remove(p.path("ref").asText(""));
                }
            }
            default -> {}
        }
    }

    private void onPullRequest(GitHubEvent event, long at) throws Exception {
        JsonNode pr = event.payload().path("pull_request");
        long number = pr.path("number").asLong(0);
        if (number <= 0) {
            return;
        }
        String head = pr.path("head").path("ref").asText("");
        boolean sameRepo =
                event.repo()
                        .equalsIgnoreCase(
                                pr.path("head").path("repo").path("full_name").asText(""));
        String base = pr.path("base").path("ref").asText("");
        if ("closed".equals(event.action())) {
            openPulls.remove(number);
            if (sameRepo && !head.isEmpty() && pr.path("merged").asBoolean(false)) {
                merged.put(
                        head,
                        new MergedBranch(
                                        number,
                                        pr.path("head").path("sha").asText(""),
                                        at,
                                        0,
                                        List.of(event.eventId()))
                                .toJson());
            }
            return;
        }
        if (!"open".equals(pr.path("state").asText("open"))) {
            return;
        }
        openPulls.put(number, (sameRepo ? head : "") + "\n" + base);
        if (sameRepo && merged.contains(head)) {
            merged.remove(head); // a new pull request from the branch: in use again
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRecord> out)
            throws Exception {
        String repo = ctx.getCurrentKey();
        RepoPolicy policy = policy(ctx, repo);
        Maintenance m = policy.maintenance();
        Plan current = loadPlan();
        if (current == null || current.start() != timestamp) {
            return; // a timer of an earlier plan
        }
        if (m.mode() == Mode.OFF) {
            LOG.info("{}: section maintenance of {} is off: profile and plans cleared", RULE, repo);
            clear(repo);
            return;
        }
        ImpactProfile prof = loadProfile();
        prof.advanceTo(timestamp, m);
        profile.update(prof.toJson());
        plan.clear();
        due.remove(repo);
        if (current.window() == null) {
            plan(prof, m, timestamp, repo, ctx); // still learning at the last look
            return;
        }
        Window window = current.window();
        windowsRun.inc();
        publish(prof, m, repo, window, ctx);
        if (m.deleteMergedBranches().enabled()) {
            deleteMergedBranches(repo, m, policy, window, out);
        }
        LOG.info("{}: {} maintenance window {}", RULE, repo, window.evidence().get(0));
        plan(prof, m, WindowPlanner.nextPeriod(window.start(), m), repo, ctx);
    }

    /** Plans the window of the period from {@code from}, or a look at the next period. */
    private void plan(
            ImpactProfile prof, Maintenance m, long from, String repo, ReadOnlyContext ctx)
            throws Exception {
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // the end of a bounded input: every timer set now would fire at once, and set the
            // next, without end
            plan.clear();
            due.remove(repo);
            LOG.info("{}: {} end of input: no further maintenance window", RULE, repo);
            return;
        }
        Window window = WindowPlanner.choose(prof, m, from);
        Plan next;
        if (window == null) {
            learning.inc();
            long again = WindowPlanner.nextPeriod(from, m);
            LOG.info(
                    "{}: {} has {} week(s) of activity, not every hour of the week yet: no window"
                            + " before {}",
                    RULE,
                    repo,
                    prof.weeks(),
                    Instant.ofEpochMilli(again));
            next = new Plan(again, null);
        } else {
            windowsPlanned.inc();
            LOG.info("{}: {} next maintenance {}", RULE, repo, window.evidence().get(0));
            next = new Plan(window.start(), window);
        }
        plan.update(next.toJson());
        ctx.timerService().registerEventTimeTimer(next.start());
        due.put(repo, next.start());
    }

    private void publish(
            ImpactProfile prof, Maintenance m, String repo, Window window, ReadOnlyContext ctx) {
        Instant at = Instant.ofEpochMilli(window.start());
        if (prof.ready()) {
            double[] scores = prof.scores(m.weights());
            for (int h = 0; h < ImpactProfile.HOURS; h++) {
                ctx.output(
                        SIGNALS,
                        new RepoMetrics(
                                repo,
                                IMPACT_METRIC,
                                Map.of("hour_of_week", ImpactProfile.label(h)),
                                scores[h],
                                at,
                                at));
            }
        }
        ctx.output(
                SIGNALS,
                new RepoMetrics(
                        repo,
                        WINDOWS_METRIC,
                        Map.of("choice", m.fixedWindow() == null ? "learned" : "fixed"),
                        1,
                        at,
                        at));
    }

    private void deleteMergedBranches(
            String repo,
            Maintenance m,
            RepoPolicy policy,
            Window window,
            Collector<ActionRecord> out)
            throws Exception {
        Maintenance.DeleteMergedBranches task = m.deleteMergedBranches();
        String main = defaultBranch.value();
        if (main == null) {
            LOG.warn(
                    "{}: {} default branch not seen in any event yet: no branch deleted in this"
                            + " window",
                    RULE,
                    repo);
            return;
        }
        Set<String> used = new HashSet<>();
        for (String heads : openPulls.values()) {
            for (String b : heads.split("\n", -1)) {
                if (!b.isEmpty()) {
                    used.add(b);
                }
            }
        }
        List<Map.Entry<String, MergedBranch>> candidates = new ArrayList<>();
        for (Map.Entry<String, String> e : merged.entries()) {
            candidates.add(Map.entry(e.getKey(), MergedBranch.fromJson(e.getValue())));
        }
        candidates.sort(Comparator.comparingLong(e -> e.getValue().mergedAt()));
        long cutoff = window.start() - task.after().toMillis();
        int proposed = 0;
        for (Map.Entry<String, MergedBranch> e : candidates) {
            String name = e.getKey();
            MergedBranch b = e.getValue();
            String why =
                    name.equals(main)
                            ? "the default branch"
                            : used.contains(name)
                                    ? "an open pull request is from or into it"
                                    : MergedBranch.kept(task.keep(), name)
                                            ? "delete_merged_branches.keep names it"
                                            : null;
            if (why != null) {
                merged.remove(name);
                branchesLeft.inc();
                LOG.info("{}: {} branch {} is kept: {}", RULE, repo, name, why);
                continue;
            }
            if (b.mergedAt() > cutoff || proposed >= task.maxPerWindow()) {
                continue;
            }
            out.collect(deleteBranch(repo, name, b, task, policy, window, installation.value()));
            branchDeletes.inc();
            proposed++;
            MergedBranch again = b.proposedOnce();
            if (again.proposed() >= MergedBranch.MAX_PROPOSALS) {
                merged.remove(name);
                LOG.info(
                        "{}: {} branch {} proposed for deletion in {} windows: forgotten (its"
                                + " deletion was not seen; see the audit of {})",
                        RULE,
                        repo,
                        name,
                        again.proposed(),
                        actionId(repo, name, b, window));
            } else {
                merged.put(name, again.toJson());
            }
        }
    }

    /**
     * One id per branch, head and window: a replay of the window proposes the same action, and a
     * later window a new one (the executor never applies an id again once it has a decision, a dry
     * run or an expiry included, so an id without the window would stay refused for good).
     */
    private static String actionId(String repo, String branch, MergedBranch b, Window window) {
        return RULE
                + ":"
                + repo
                + ":delete-branch:"
                + branch
                + "@"
                + b.sha()
                + ":"
                + Instant.ofEpochMilli(window.start());
    }

    private static ActionRecord deleteBranch(
            String repo,
            String branch,
            MergedBranch b,
            Maintenance.DeleteMergedBranches task,
            RepoPolicy policy,
            Window window,
            Long installationId) {
        Instant mergedAt = Instant.ofEpochMilli(b.mergedAt());
        long days = Duration.ofMillis(window.start() - b.mergedAt()).toDays();
        List<String> evidence = new ArrayList<>(window.evidence());
        evidence.add(
                "branch "
                        + branch
                        + " at "
                        + b.sha()
                        + ": "
                        + repo
                        + "#"
                        + b.pullRequest()
                        + " from it merged "
                        + mergedAt
                        + " ("
                        + days
                        + " days before the window; after: "
                        + Days.of(task.after())
                        + ")");
        return new ActionRecord(
                        actionId(repo, branch, b, window),
                        repo,
                        1,
                        null,
                        ActionType.DELETE_REF,
                        JsonNodeFactory.instance.objectNode().put("sha", b.sha()),
                        "maintenance window of "
                                + repo
                                + ": delete branch "
                                + branch
                                + ", merged in #"
                                + b.pullRequest()
                                + " "
                                + days
                                + " days ago",
                        evidence,
                        1.0,
                        RULE,
                        b.causedBy(),
                        installationId,
                        Instant.ofEpochMilli(window.start()),
                        Instant.ofEpochMilli(window.start()),
                        Instant.ofEpochMilli(window.end()),
                        policy.dryRun())
                .withTypedTarget(TypedTarget.ref("refs/heads/" + branch));
    }

    private void clear(String repo) {
        profile.clear();
        plan.clear();
        defaultBranch.clear();
        installation.clear();
        merged.clear();
        openPulls.clear();
        due.remove(repo);
    }

    private ImpactProfile loadProfile() throws Exception {
        String json = profile.value();
        return json == null ? new ImpactProfile() : ImpactProfile.fromJson(json);
    }

    private Plan loadPlan() throws Exception {
        String json = plan.value();
        return json == null ? null : Plan.fromJson(json);
    }

    /**
     * The timer set: at {@code start}, a window to run, or (window null) a look at whether the
     * profile is ready.
     */
    record Plan(long start, Window window) {
        String toJson() {
            try {
                return Json.mapper().writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("maintenance plan", e);
            }
        }

        static Plan fromJson(String json) {
            try {
                return Json.mapper().readValue(json, Plan.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("maintenance plan", e);
            }
        }
    }
}
