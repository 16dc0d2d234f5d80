package io.repostream.flink.rules.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.AuditFeedback;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.flink.rules.ci.FailureClass;
import io.repostream.flink.rules.ci.FailureClassifier;
import io.repostream.flink.rules.merge.queue.MergeQueueMachine;
import io.repostream.flink.rules.merge.queue.MergeQueueMachine.Transition;
import io.repostream.flink.rules.merge.queue.QueueInput;
import io.repostream.flink.rules.merge.queue.QueueInput.Outcome;
import io.repostream.flink.rules.merge.queue.QueueNotice;
import io.repostream.flink.rules.merge.queue.QueueSettings;
import io.repostream.flink.rules.merge.queue.QueueState;
import io.repostream.flink.rules.merge.queue.QueueState.PullStatus;
import io.repostream.flink.rules.merge.queue.QueueStateCodec;
import io.repostream.flink.rules.merge.queue.QueueStep;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.MergeQueue;
import io.repostream.schemas.MergeQueueState;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TypedTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule {@code merge-queue@1}: the merge queue of one repository and base branch ({@code
 * owner/repo|main}) whose {@code merge_queue:} entry says {@code queue: true}. It keeps the queue's
 * state ({@link QueueStateCodec}, a few hundred bytes) in keyed state, turns what it reads into
 * {@link QueueInput}s for {@link MergeQueueMachine}, and proposes the machine's steps as actions
 * (refs, merges into candidate branches, landings, reruns, comments), through the governors like
 * every rule's.
 *
 * <p>What it reads: the eligibility rule's verdicts ({@link MergeEligibilityFunction#QUEUE_EVENTS}:
 * a pull request joins or leaves), pull requests (a push to one, a close, the base's head to start
 * from), pushes to the base, what CI said on a candidate branch (classified with the repository's
 * CI failure patterns, as the CI rule classifies), and the audit records of its own steps ({@code
 * learnsFromItsAudits}): a step's outcome is the audit of its action, found by the step's key in
 * the action id. Timers (event time) look at a candidate without checks after {@code
 * check_timeout}, and at a closed merge window every {@link #CLOSED_TICK}.
 *
 * <p>Action ids are {@code merge-queue@1:<repo>|<base>:<step key>}: the machine numbers candidates
 * in its state, so a restore from a checkpoint proposes the same ids again for the same steps, and
 * the executor applies each once.
 */
public final class MergeQueueFunction extends PolicyAwareFunction<GitHubEvent, ActionRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MergeQueueFunction.class);

    public static final String RULE = "merge-queue@1";

    /** Each queue as it is after a change, with what happened, for {@code github.mergequeue.v1}. */
    public static final OutputTag<MergeQueueState> STATES =
            new OutputTag<>("merge-queue-states", JsonTypeInfo.of(MergeQueueState.class));

    /** How often a queue whose windows are closed is looked at again. */
    static final Duration CLOSED_TICK = Duration.ofMinutes(15);

    private final FailureClassifier classifier = new FailureClassifier();

    private transient ValueState<byte[]> queue;
    private transient ValueState<Long> clock;
    private transient ValueState<Long> installation;
    private transient Map<QueueNotice.Kind, Counter> notices;
    private transient Counter stepsProposed;
    private transient Counter stepsNotSent;
    private transient Counter unusableSettings;
    private transient Histogram timeToLand;
    private transient Map<String, long[]> lengths;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        queue =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "merge-queue",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        clock = getRuntimeContext().getState(new ValueStateDescriptor<>("clock", Types.LONG));
        installation =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("installation", Types.LONG));
        var metrics = getRuntimeContext().getMetricGroup();
        notices = new EnumMap<>(QueueNotice.Kind.class);
        for (QueueNotice.Kind kind : QueueNotice.Kind.values()) {
            notices.put(
                    kind,
                    metrics.addGroup("kind", kind.name().toLowerCase(Locale.ROOT))
                            .counter("mergeQueueNotices"));
        }
        stepsProposed = metrics.counter("mergeQueueStepsProposed");
        stepsNotSent = metrics.counter("mergeQueueStepsNotSent");
        unusableSettings = metrics.counter("mergeQueueUnusableSettings");
        timeToLand =
                metrics.histogram(
                        "mergeQueueTimeToLandSeconds", new DescriptiveStatisticsHistogram(1_000));
        lengths = new ConcurrentHashMap<>();
        metrics.gauge("mergeQueuePullRequests", (Gauge<Long>) this::pullRequestsQueued);
        metrics.gauge("mergeQueueStalledSeconds", (Gauge<Long>) this::stalledSeconds);
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        String key = ctx.getCurrentKey();
        String base = key.substring(key.indexOf('|') + 1);
        RepoPolicy policy = policy(ctx, event.repo());
        QueueSettings settings = settings(event.repo(), base, policy);
        if (settings == null) {
            return;
        }
        if (event.installationId() != null) {
            installation.update(event.installationId());
        }
        QueueState state = state();
        List<QueueInput> inputs = inputs(event, policy, state);
        if (inputs.isEmpty()) {
            return;
        }
        Instant now = now(event.occurredAt());
        run(event.repo(), base, settings, policy, state, inputs, now, event.eventId(), ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRecord> out)
            throws Exception {
        String key = ctx.getCurrentKey();
        String repo = key.substring(0, key.indexOf('|'));
        String base = key.substring(key.indexOf('|') + 1);
        if (queue.value() == null) {
            return;
        }
        RepoPolicy policy = policy(ctx, repo);
        QueueSettings settings = settings(repo, base, policy);
        if (settings == null) {
            return;
        }
        Instant now = now(Instant.ofEpochMilli(timestamp));
        run(
                repo,
                base,
                settings,
                policy,
                state(),
                List.of(new QueueInput.Tick()),
                now,
                null,
                ctx,
                out);
    }

    private void run(
            String repo,
            String base,
            QueueSettings settings,
            RepoPolicy policy,
            QueueState state,
            List<QueueInput> inputs,
            Instant now,
            String cause,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out)
            throws Exception {
        MergeQueueMachine machine = new MergeQueueMachine(settings, state);
        Set<String> ids = new HashSet<>();
        boolean moved = false;
        List<MergeQueueState.Change> changes = new ArrayList<>();
        for (QueueInput input : inputs) {
            Transition t = machine.apply(input, now);
            for (QueueStep step : t.steps()) {
                ActionRecord action = action(repo, base, step, policy, now, cause, ids);
                if (action != null) {
                    stepsProposed.inc();
                    out.collect(action);
                }
            }
            for (QueueNotice notice : t.notices()) {
                notices.get(notice.kind()).inc();
                moved |= notice.kind() != QueueNotice.Kind.PAUSED;
                if (notice.kind() == QueueNotice.Kind.LANDED) {
                    landedAfter(notice.detail());
                }
                LOG.info(
                        "merge queue {}@{}: {} #{} {}",
                        repo,
                        base,
                        notice.kind(),
                        notice.pull(),
                        notice.detail());
                changes.add(
                        new MergeQueueState.Change(
                                notice.kind().name().toLowerCase(Locale.ROOT),
                                notice.pull(),
                                notice.detail()));
            }
        }
        QueueState next = machine.state();
        byte[] bytes = QueueStateCodec.write(next);
        boolean changed = !Arrays.equals(bytes, QueueStateCodec.write(state));
        if (changed || !changes.isEmpty()) {
            ctx.output(STATES, published(repo, base, next, machine.waiting(), changes, now));
        }
        if (changed) {
            queue.update(bytes);
        }
        track(repo + "|" + base, next, moved);
        Instant deadline = machine.nextDeadline();
        if (deadline != null) {
            ctx.timerService().registerEventTimeTimer(deadline.toEpochMilli());
        }
        if (!next.candidates().isEmpty() && !settings.open(now)) {
            long tick = CLOSED_TICK.toMillis();
            ctx.timerService().registerEventTimeTimer((now.toEpochMilli() / tick + 1) * tick);
        }
    }

    /**
     * The queue's settings, or null when the base branch has no queue (or one that cannot work).
     */
    private QueueSettings settings(String repo, String base, RepoPolicy policy) {
        MergeQueue.Branch branch = Eligibility.branchOf(policy.mergeQueue(), base);
        if (branch == null || !branch.queue()) {
            return null;
        }
        try {
            return QueueSettings.of(base, branch);
        } catch (IllegalArgumentException e) {
            unusableSettings.inc();
            LOG.warn(
                    "merge queue {}@{}: settings unusable, queue not run: {}",
                    repo,
                    base,
                    e.getMessage());
            return null;
        }
    }

    private QueueState state() throws Exception {
        byte[] bytes = queue.value();
        return bytes == null ? QueueState.empty() : QueueStateCodec.read(bytes);
    }

    /** The queue's clock: event time, never going back (events arrive out of order). */
    private Instant now(Instant at) throws Exception {
        Long last = clock.value();
        long now = last == null ? at.toEpochMilli() : Math.max(last, at.toEpochMilli());
        clock.update(now);
        return Instant.ofEpochMilli(now);
    }

    // ---- what the queue reads -------------------------------------------------------------

    private List<QueueInput> inputs(GitHubEvent event, RepoPolicy policy, QueueState state) {
        JsonNode p = event.payload();
        List<QueueInput> inputs = new ArrayList<>();
        switch (event.type()) {
            case MergeEligibilityFunction.QUEUE_EVENT -> {
                int number = p.path("pull_request").path("number").asInt(0);
                String head = sha(p.path("head_sha").asText(""));
                if (number <= 0 || head == null) {
                    return inputs;
                }
                if (p.path("eligible").asBoolean(false)) {
                    inputs.add(
                            new QueueInput.Eligible(
                                    number, head, p.path("emergency").asBoolean(false)));
                } else {
                    List<String> reasons = new ArrayList<>();
                    p.path("reasons").forEach(r -> reasons.add(r.asText()));
                    inputs.add(new QueueInput.Ineligible(number, String.join("; ", reasons)));
                }
            }
            case "pull_request" -> {
                JsonNode pr = p.path("pull_request");
                int number = pr.path("number").asInt(0);
                String baseSha = sha(pr.path("base").path("sha").asText(""));
                if (state.baseSha() == null && state.candidates().isEmpty() && baseSha != null) {
                    // where to start from until the base's first push is seen
                    inputs.add(new QueueInput.BasePushed(baseSha));
                }
                if (number <= 0) {
                    return inputs;
                }
                if ("closed".equals(event.action())) {
                    inputs.add(
                            new QueueInput.Ineligible(
                                    number,
                                    pr.path("merged").asBoolean(false) ? "merged" : "closed"));
                } else if ("synchronize".equals(event.action())) {
                    String head = sha(pr.path("head").path("sha").asText(""));
                    if (head != null) {
                        inputs.add(new QueueInput.HeadPushed(number, head));
                    }
                }
            }
            case "push" -> {
                String after = sha(p.path("after").asText(""));
                if (after != null && !after.matches("0{40}")) {
                    inputs.add(new QueueInput.BasePushed(after));
                }
            }
            case "check_run" -> {
                JsonNode run = p.path("check_run");
                String sha = sha(run.path("head_sha").asText(""));
                if (sha == null || !"completed".equals(run.path("status").asText())) {
                    return inputs;
                }
                String conclusion = run.path("conclusion").asText("");
                String text =
                        run.path("output").path("title").asText("")
                                + "\n"
                                + run.path("output").path("summary").asText("");
                inputs.add(
                        check(
                                event,
                                policy,
                                sha,
                                run.path("name").asText(""),
                                conclusion,
                                text,
                                0));
            }
            case "workflow_run" -> {
                JsonNode run = p.path("workflow_run");
                String sha = sha(run.path("head_sha").asText(""));
                if (sha == null || !"completed".equals(run.path("status").asText())) {
                    return inputs;
                }
                String conclusion = run.path("conclusion").asText("");
                inputs.add(
                        check(
                                event,
                                policy,
                                sha,
                                run.path("name").asText(""),
                                conclusion,
                                "conclusion " + conclusion,
                                run.path("id").asLong(0)));
            }
            case "status" -> {
                String statusState = p.path("state").asText("");
                String sha = sha(p.path("sha").asText(""));
                if (sha == null || statusState.equals("pending") || statusState.isEmpty()) {
                    return inputs;
                }
                inputs.add(
                        check(
                                event,
                                policy,
                                sha,
                                p.path("context").asText(""),
                                statusState,
                                p.path("description").asText(""),
                                0));
            }
            case AuditFeedback.TYPE -> {
                QueueInput outcome = outcome(p.path(AuditFeedback.FIELD));
                if (outcome != null) {
                    inputs.add(outcome);
                }
            }
            default -> {}
        }
        return inputs;
    }

    private QueueInput check(
            GitHubEvent event,
            RepoPolicy policy,
            String sha,
            String name,
            String conclusion,
            String text,
            long runId) {
        boolean success =
                switch (conclusion) {
                    case "success", "neutral", "skipped" -> true;
                    default -> false;
                };
        FailureClass cls =
                success
                        ? null
                        : classifier.classify(
                                event.repo(), conclusion, text, policy.ci().failurePatterns());
        return new QueueInput.CheckReported(sha, name, success, cls, runId);
    }

    /** The outcome of one of the queue's steps, from the audit of its action; null for another. */
    static QueueInput.StepOutcome outcome(JsonNode audit) {
        String step = stepOf(audit.path("action_id").asText(""));
        if (step == null) {
            return null;
        }
        AuditOutcome outcome;
        try {
            outcome = AuditOutcome.of(audit.path("outcome").asText(""));
        } catch (IllegalArgumentException unknown) {
            return null;
        }
        String type = audit.path("action_type").asText("");
        int status = audit.path("github_status").asInt(0);
        // the new SHA of a ref the step moved (a merge into a candidate); a pull request's head
        // is no base
        String sha =
                type.equals(ActionType.MERGE_PULL_REQUEST.wireName())
                        ? null
                        : sha(audit.path("after").path("head_sha").asText(""));
        Outcome result =
                switch (outcome) {
                    case APPLIED, SKIPPED_DUPLICATE -> Outcome.DONE;
                    case FAILED ->
                            status == 409
                                    ? Outcome.CONFLICT
                                    : status == 422 && type.equals(ActionType.UPDATE_REF.wireName())
                                            ? Outcome.NOT_FAST_FORWARD
                                            : Outcome.FAILED;
                    // a dry run (shadow mode), a drop or a skip did not happen on GitHub
                    default -> Outcome.FAILED;
                };
        return new QueueInput.StepOutcome(step, result, result == Outcome.DONE ? sha : null);
    }

    // ---- what the queue proposes ----------------------------------------------------------

    /** {@code merge-queue@1:<repo>|<base>:<step key>}; a branch name never holds a colon. */
    static String actionId(String repo, String base, String stepKey) {
        return RULE + ":" + repo + "|" + base + ":" + stepKey;
    }

    /** The base branch in one of the queue's action ids, or null. */
    static String baseOf(String actionId) {
        if (!actionId.startsWith(RULE + ":")) {
            return null;
        }
        String rest = actionId.substring(RULE.length() + 1);
        int bar = rest.indexOf('|');
        int colon = rest.indexOf(':', bar + 1);
        return bar <= 0 || colon <= bar + 1 ? null : rest.substring(bar + 1, colon);
    }

    /** The step key in one of the queue's action ids, or null. */
    static String stepOf(String actionId) {
        if (baseOf(actionId) == null) {
            return null;
        }
        String rest = actionId.substring(RULE.length() + 1);
        String key = rest.substring(rest.indexOf(':', rest.indexOf('|')) + 1);
        int repeat = key.indexOf('#');
        return repeat < 0 ? key : key.substring(0, repeat);
    }

    private ActionRecord action(
            String repo,
            String base,
            QueueStep step,
            RepoPolicy policy,
            Instant now,
            String cause,
            Set<String> ids)
            throws Exception {
        TypedTarget target =
                switch (step.targetKind().wireName()) {
                    case "ref" -> TypedTarget.ref(step.target());
                    case "pull_request" -> TypedTarget.pullRequest(Long.parseLong(step.target()));
                    case "workflow_run" -> {
                        long run = Long.parseLong(step.target());
                        yield run > 0 ? TypedTarget.workflowRun(run) : null;
                    }
                    case "commit" -> TypedTarget.commit(step.target());
                    default -> null;
                };
        if (target == null) {
            stepsNotSent.inc();
            LOG.warn(
                    "merge queue {}@{}: step {} ({}) not sent: no {} to act on (a check that"
                            + " names no workflow run cannot be rerun)",
                    repo,
                    base,
                    step.key(),
                    step.type().wireName(),
                    step.targetKind().wireName());
            return null;
        }
        String id = actionId(repo, base, step.key());
        for (int n = 2; !ids.add(id); n++) {
            id = actionId(repo, base, step.key()) + "#" + n;
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        step.params()
                .forEach(
                        (name, value) -> {
                            if (name.equals("force")) {
                                params.put(name, Boolean.parseBoolean(value));
                            } else {
                                params.put(name, value);
                            }
                        });
        return new ActionRecord(
                        id,
                        repo,
                        1,
                        step.type(),
                        params,
                        "merge queue of " + repo + "@" + base + ": " + describe(step),
                        List.of("queue step " + step.key()),
                        1.0,
                        RULE,
                        cause == null ? List.of() : List.of(cause),
                        installation.value(),
                        now,
                        null,
                        null,
                        policy.dryRun())
                .withTypedTarget(target);
    }

    private static String describe(QueueStep step) {
        return switch (step.type()) {
            case CREATE_REF -> "create " + step.target() + " at " + step.param("sha");
            case DELETE_REF -> "delete " + step.target();
            case MERGE_BRANCH -> "merge " + step.param("head") + " into " + step.target();
            case UPDATE_REF -> "fast-forward " + step.target() + " to " + step.param("sha");
            case MERGE_PULL_REQUEST ->
                    "land #" + step.target() + " (" + step.param("merge_method") + ")";
            case RERUN_FAILED_JOBS ->
                    "rerun the failed jobs of run " + step.target() + " once (flaky or transient)";
            case CREATE_COMMENT -> "say on #" + step.target() + " why";
            default -> step.type().wireName() + " " + step.target();
        };
    }

    /** The queue as {@code github.mergequeue.v1} shows it. */
    static MergeQueueState published(
            String repo,
            String base,
            QueueState state,
            List<Integer> waiting,
            List<MergeQueueState.Change> changes,
            Instant at) {
        List<MergeQueueState.PullRequest> pulls = new ArrayList<>();
        List<QueueState.PullEntry> entries = new ArrayList<>(state.pulls());
        // waiting ones in the order they would be tested, then the others by number
        entries.sort(
                java.util.Comparator.comparingInt(
                                (QueueState.PullEntry p) ->
                                        waiting.contains(p.number())
                                                ? waiting.indexOf(p.number())
                                                : Integer.MAX_VALUE)
                        .thenComparingInt(QueueState.PullEntry::number));
        for (QueueState.PullEntry p : entries) {
            int position = waiting.indexOf(p.number()) + 1;
            pulls.add(
                    new MergeQueueState.PullRequest(
                            p.number(),
                            p.headSha(),
                            p.emergency() ? "emergency" : "normal",
                            p.status().name().toLowerCase(Locale.ROOT),
                            position,
                            p.held(),
                            Instant.ofEpochMilli(p.eligibleAt())));
        }
        List<MergeQueueState.Candidate> candidates = new ArrayList<>();
        for (QueueState.CandidateEntry c : state.candidates()) {
            candidates.add(
                    new MergeQueueState.Candidate(
                            c.number(),
                            c.phase().name().toLowerCase(Locale.ROOT),
                            c.pulls().stream().map(Integer::longValue).toList(),
                            c.queueRef() ? c.sha() : null));
        }
        return new MergeQueueState(
                repo, base, state.baseSha(), state.pauseReason(), pulls, candidates, changes, at);
    }

    // ---- metrics --------------------------------------------------------------------------

    private void landedAfter(String detail) {
        // "after 1234 s"
        String[] words = detail.split(" ");
        if (words.length >= 2) {
            try {
                timeToLand.update(Long.parseLong(words[1]));
            } catch (NumberFormatException ignored) {
                // not a time: nothing to record
            }
        }
    }

    private void track(String key, QueueState state, boolean moved) {
        long length = state.pulls().stream().filter(p -> p.status() != PullStatus.OUT).count();
        long[] held = lengths.get(key);
        long wall = System.currentTimeMillis();
        if (length == 0) {
            lengths.remove(key);
        } else if (held == null || moved) {
            lengths.put(key, new long[] {length, wall});
        } else {
            held[0] = length;
        }
    }

    private long pullRequestsQueued() {
        return lengths.values().stream().mapToLong(l -> l[0]).sum();
    }

    /** The longest time a non-empty queue of this subtask has not moved (wall clock). */
    private long stalledSeconds() {
        long wall = System.currentTimeMillis();
        return lengths.values().stream().mapToLong(l -> (wall - l[1]) / 1000).max().orElse(0);
    }

    /** A commit SHA in lowercase, or null. */
    private static String sha(String raw) {
        String s = raw.toLowerCase(Locale.ROOT);
        return s.matches("[0-9a-f]{40}") ? s : null;
    }
}
