package io.repostream.flink.rules.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule {@code ci-classifier@1}, keyed by repository and workflow.
 *
 * <p>Collects the failed jobs of a run; when the run completes, classifies the failure ({@link
 * FailureClassifier}) and hands every failed workflow run to the re-run rule ({@code
 * CiRetryPlanner}) on the typed side output {@link CiFailure#TAG}. Permanent failures get one
 * explanatory comment on the pull request. A run that passes on a head SHA that failed before is a
 * flake; a workflow whose recent runs flake repeatedly gets its pull request labelled {@link
 * #FLAKY_LABEL}, and its failures that match no pattern count as flaky. The flake rate is flaky
 * runs over completed runs, counting each run once whatever its attempts, over the workflow's last
 * {@link #FLAKE_WINDOW} runs; it is emitted ({@code flake_rate_ratio}) at every completed run, so
 * it falls as well as rises.
 *
 * <p>With the policy's {@code ci.read_logs}, each failed job's log is asked for ({@link #LOG_READ},
 * a read action the executor answers with the failing step's error lines, secrets masked, on {@code
 * github.events.v1}); a failed run waits for its jobs' logs until {@code ci.log_wait} after it
 * completed (an event-time timer), then is classified on its jobs, steps and error lines. A test
 * named failing in the logs that fails again on another SHA of the same branch after the workflow
 * passed there, {@link #FLAKY_TEST_MIN_FLIPS} times, is a flaky test; a failure whose failed tests
 * are all flaky is flaky. An unknown failure whose logs were read joins a cluster of like failures
 * ({@link FailureClusters}).
 *
 * <p>Its state is the one the CI retry planner kept before the two rules were split (same uid,
 * state name and serializer), so a savepoint of that layout restores into it; the re-runs of the
 * last hour it also kept then are the re-run rule's now, and are dropped here at the next update.
 */
public final class CiFailureClassifierFunction
        extends PolicyAwareFunction<GitHubEvent, ActionRecord> {
    private static final long serialVersionUID = 1L;

    public static final String RULE = "ci-classifier@1";
    public static final String FLAKY_LABEL = "ci/flaky";

    /** Recent runs the flake rate is measured over. */
    public static final int FLAKE_WINDOW = 50;

    /** A workflow counts as flaky from this many flakes and this share within the window. */
    public static final int FLAKE_MIN_COUNT = 3;

    public static final double FLAKE_MIN_RATE = 0.1;

    private static final int MAX_TRACKED = 100;

    /** The read the rule asks for a failed job's log. */
    public static final ActionType LOG_READ = ActionType.READ_JOB_LOG;

    /** A test is flaky once it failed again on another SHA after a pass this many times. */
    public static final int FLAKY_TEST_MIN_FLIPS = 2;

    /** A log read not done by then is of no use to the run it was asked for. */
    static final Duration LOG_READ_EXPIRY = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(CiFailureClassifierFunction.class);

    /** CI runs, failures by class, flakes and flake rate, for the analytics windows. */
    public static final OutputTag<RepoMetrics> SIGNALS =
            new OutputTag<>("ci-signals", WireTypes.REPO_METRICS);

    private final FailureClassifier classifier = new FailureClassifier();
    private transient ValueState<CiWorkflowState> state;
    private transient ValueState<CiLogState> logs;

    /** Logs that came back after their run was classified (or were never asked for). */
    private transient Counter lateLogs;

    /** Logs a run was classified without, as they had not come back by {@code ci.log_wait}. */
    private transient Counter missingLogs;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        // the name, serializer and TTL of the retry planner's state before the split
        ValueStateDescriptor<CiWorkflowState> descriptor =
                new ValueStateDescriptor<>("ci-workflow", CiWorkflowStateSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(30)).build());
        state = getRuntimeContext().getState(descriptor);
        ValueStateDescriptor<CiLogState> logDescriptor =
                new ValueStateDescriptor<>("ci-logs", JsonTypeInfo.of(CiLogState.class));
        logDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(30)).build());
        logs = getRuntimeContext().getState(logDescriptor);
        lateLogs = getRuntimeContext().getMetricGroup().counter("jobLogsLate");
        missingLogs = getRuntimeContext().getMetricGroup().counter("jobLogsMissing");
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        CiWorkflowState stored = state.value();
        CiWorkflowState current =
                stored == null ? new CiWorkflowState(null, null, null, null) : stored;
        if (event.source() == EventSource.ENRICHMENT) {
            if (LOG_READ.wireName().equals(event.type())) {
                onLog(event, ctx, out);
            }
            return;
        }
        CiWorkflowState next =
                switch (event.type()) {
                    case "workflow_job" -> onJob(current, event, ctx, out);
                    case "workflow_run" -> onRun(current, event, ctx, out);
                    case "check_run" -> onCheck(current, event, ctx);
                    default -> current;
                };
        // the handlers return the state they were given when nothing changed
        if (next != current) {
            state.update(next);
        }
    }

    private CiWorkflowState onJob(
            CiWorkflowState s, GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode job = event.payload().path("workflow_job");
        String conclusion = job.path("conclusion").asText("");
        if (!failed(conclusion)) {
            return s;
        }
        long jobId = job.path("id").asLong(0);
        long runOfJob = job.path("run_id").asLong(0);
        RepoPolicy policy = policy(ctx, event.repo());
        if (policy.ci().readLogs() && jobId > 0 && runOfJob > 0) {
            askForLog(event, runOfJob, jobId, out);
        }
        StringBuilder text = new StringBuilder();
        text.append("job ").append(job.path("name").asText()).append(": ").append(conclusion);
        for (JsonNode step : job.path("steps")) {
            if (failed(step.path("conclusion").asText(""))) {
                text.append("\nstep ").append(step.path("name").asText()).append(" failed");
            }
        }
        String runId = job.path("run_id").asText();
        Map<String, String> jobs = new LinkedHashMap<>(s.failedJobs());
        jobs.merge(runId, text.toString(), (a, b) -> a + "\n" + b);
        return new CiWorkflowState(bounded(jobs), s.failedShas(), s.recentRuns(), null);
    }

    private CiWorkflowState onRun(
            CiWorkflowState s, GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode run = event.payload().path("workflow_run");
        long runId = run.path("id").asLong();
        String sha = run.path("head_sha").asText();
        String conclusion = run.path("conclusion").asText("");
        int attempt = Math.max(1, run.path("run_attempt").asInt(1));
        Map<String, String> jobs = new LinkedHashMap<>(s.failedJobs());
        String jobText = jobs.remove(String.valueOf(runId));
        Map<String, Integer> shas = new LinkedHashMap<>(s.failedShas());
        String runKey = "run:" + runId;
        String workflow = CiEvents.workflow(event);
        long pr = firstPullRequest(run);

        if ("success".equals(conclusion)) {
            CiLogState l = logs.value();
            if (l != null && !l.tests().isEmpty()) {
                logs.update(l.withTests(passed(l.tests(), run.path("head_branch").asText(""))));
            }
            boolean flaky = shas.remove(sha) != null;
            CiWorkflowState next =
                    new CiWorkflowState(
                            jobs, shas, completed(s, runKey, flaky ? "flaky" : "ok"), null);
            ctx.output(SIGNALS, metric(event, "ci_success_ratio", Map.of("workflow", workflow), 1));
            if (flaky) {
                ctx.output(
                        SIGNALS, metric(event, "ci_flaky_runs", Map.of("workflow", workflow), 1));
                if (pr > 0 && flakyWorkflow(next)) {
                    out.collect(flakyLabel(event, policy(ctx, event.repo()), workflow, pr, next));
                }
            }
            ctx.output(SIGNALS, flakeRate(event, workflow, next));
            return next;
        }
        if (!failed(conclusion)) { // cancelled, skipped: no outcome
            return jobText == null && s.reruns().isEmpty()
                    ? s
                    : new CiWorkflowState(jobs, shas, s.recentRuns(), null);
        }

        shas.put(sha, attempt);
        CiWorkflowState next =
                new CiWorkflowState(jobs, bounded(shas), completed(s, runKey, "fail"), null);
        ctx.output(SIGNALS, flakeRate(event, workflow, next));
        ctx.output(SIGNALS, metric(event, "ci_success_ratio", Map.of("workflow", workflow), 0));
        RepoPolicy policy = policy(ctx, event.repo());
        CiLogState.PendingRun failedRun =
                new CiLogState.PendingRun(
                        runId,
                        sha,
                        run.path("head_branch").asText(""),
                        conclusion,
                        attempt,
                        pr,
                        jobText,
                        event.eventId(),
                        event.installationId(),
                        event.occurredAt(),
                        event.occurredAt().plus(policy.ci().logWait()).toEpochMilli());
        CiLogState l = logState();
        CiLogState.RunLogs runLogs = l.run(runId);
        if (!runLogs.awaiting().isEmpty()) {
            // the logs asked for have not all come back: wait for them, at most log_wait
            logs.update(
                    l.withRun(
                            runId,
                            new CiLogState.RunLogs(
                                    runLogs.awaiting(),
                                    runLogs.excerpts(),
                                    runLogs.failedTests(),
                                    failedRun)));
            ctx.timerService().registerEventTimeTimer(failedRun.deadline());
            return next;
        }
        classify(event.repo(), workflow, failedRun, runLogs, next, policy, ctx, out);
        return next;
    }

    /**
     * Classifies a failed run on its jobs and steps and the error lines of the logs that came back,
     * emits its signals and hands it to the re-run rule; a permanent failure of a pull request is
     * explained there.
     */
    private void classify(
            String repo,
            String workflow,
            CiLogState.PendingRun run,
            CiLogState.RunLogs runLogs,
            CiWorkflowState workflowState,
            RepoPolicy policy,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out)
            throws Exception {
        CiLogState l = logState().withRun(run.runId(), null);
        StringBuilder text = new StringBuilder("conclusion ").append(run.conclusion());
        if (run.jobText() != null) {
            text.append('\n').append(run.jobText());
        }
        for (String excerpt : runLogs.excerpts()) {
            text.append('\n').append(excerpt);
        }
        FailureClassifier.Verdict verdict =
                classifier.explain(
                        repo, run.conclusion(), text.toString(), policy.ci().failurePatterns());
        FailureClass cls = verdict.failureClass();
        String signature = verdict.signature();
        Map<String, CiLogState.TestHistory> tests =
                failedTests(l.tests(), run.branch(), run.sha(), runLogs.failedTests());
        l = l.withTests(tests);
        if ((cls == FailureClass.UNKNOWN || cls == FailureClass.PERMANENT)
                && !runLogs.failedTests().isEmpty()
                && runLogs.failedTests().stream()
                        .allMatch(t -> flakyTest(tests.get(run.branch() + " " + t)))) {
            cls = FailureClass.FLAKY;
            signature = "flaky-tests";
        }
        if (cls == FailureClass.UNKNOWN && flakyWorkflow(workflowState)) {
            cls = FailureClass.FLAKY;
            signature = "flaky-workflow";
        }
        String cluster = null;
        if (cls == FailureClass.UNKNOWN && !runLogs.excerpts().isEmpty()) {
            FailureClusters.Assigned assigned =
                    FailureClusters.assign(l.clusters(), String.join("\n", runLogs.excerpts()));
            l = l.withClusters(assigned.clusters());
            cluster = assigned.cluster().id();
            ctx.output(
                    SIGNALS,
                    metric(
                            repo,
                            run.occurredAt(),
                            "ci_unknown_failure_clusters",
                            Map.of("workflow", workflow),
                            assigned.clusters().size()));
        }
        logs.update(l.isEmpty() ? null : l);
        ctx.output(
                SIGNALS,
                metric(
                        repo,
                        run.occurredAt(),
                        "ci_failures",
                        Map.of("workflow", workflow, "class", cls.wireName()),
                        1));
        String described = text.toString();
        ctx.output(
                CiFailure.TAG,
                new CiFailure(
                        repo,
                        workflow,
                        run.runId(),
                        run.attempt(),
                        cls,
                        described,
                        run.eventId(),
                        run.installationId(),
                        run.occurredAt(),
                        signature,
                        cluster));
        if (cls == FailureClass.PERMANENT && run.pullRequest() > 0) {
            out.collect(explain(repo, run, policy, workflow, described, runLogs.failedTests()));
        }
    }

    /** A failed job's log, asked for once per job (a re-run's job has another id). */
    private void askForLog(GitHubEvent event, long runId, long jobId, Collector<ActionRecord> out)
            throws Exception {
        CiLogState l = logState();
        CiLogState.RunLogs r = l.run(runId);
        if (r.awaiting().contains(jobId)) {
            return; // the same completion delivered twice
        }
        List<Long> awaiting = new ArrayList<>(r.awaiting());
        awaiting.add(jobId);
        logs.update(
                l.withRun(
                        runId,
                        new CiLogState.RunLogs(
                                awaiting, r.excerpts(), r.failedTests(), r.pending())));
        out.collect(logRead(event, runId, jobId));
    }

    private static ActionRecord logRead(GitHubEvent event, long runId, long jobId) {
        JsonNode job = event.payload().path("workflow_job");
        ObjectNode params =
                JsonNodeFactory.instance
                        .objectNode()
                        .put("job_id", jobId)
                        .put("run_id", runId)
                        .put("workflow", CiEvents.workflow(event));
        return new ActionRecord(
                        RULE + ":" + event.repo() + ":job-" + jobId + ":log",
                        event.repo(),
                        runId,
                        LOG_READ,
                        params,
                        "job "
                                + job.path("name").asText()
                                + " of run "
                                + runId
                                + " of "
                                + event.repo()
                                + " failed: read its log to classify the failure",
                        List.of("event " + event.eventId() + ": " + event.qualifiedType()),
                        1.0,
                        RULE,
                        List.of(event.eventId()),
                        event.installationId(),
                        event.occurredAt(),
                        null,
                        event.occurredAt().plus(LOG_READ_EXPIRY),
                        false)
                .withTypedTarget(TypedTarget.workflowRun(runId));
    }

    /** A job's log came back (or its read failed): the run may now be classified. */
    private void onLog(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode e = event.payload().path("enrichment");
        if (!RULE.equals(e.path("requested_by").asText())) {
            return;
        }
        long runId = e.path("params").path("run_id").asLong(0);
        long jobId = e.path("params").path("job_id").asLong(0);
        CiLogState l = logState();
        CiLogState.RunLogs r = l.run(runId);
        if (!r.awaiting().contains(jobId)) {
            lateLogs.inc();
            LOG.info(
                    "{}: {}: the log of job {} of run {} came back unasked or late",
                    RULE,
                    event.repo(),
                    jobId,
                    runId);
            return;
        }
        List<Long> awaiting = new ArrayList<>(r.awaiting());
        awaiting.remove(Long.valueOf(jobId));
        List<String> excerpts = new ArrayList<>(r.excerpts());
        LinkedHashSet<String> tests = new LinkedHashSet<>(r.failedTests());
        JsonNode result = e.path("result");
        if ("read".equals(e.path("outcome").asText()) && result.path("excerpt").isTextual()) {
            excerpts.add(result.path("excerpt").asText());
            result.path("failed_tests").forEach(t -> tests.add(t.asText()));
        } else {
            LOG.info(
                    "{}: {}: the log of job {} of run {} was not read ({}: {}); classified"
                            + " without it",
                    RULE,
                    event.repo(),
                    jobId,
                    runId,
                    e.path("outcome").asText(),
                    e.path("error").asText(""));
        }
        CiLogState.RunLogs updated =
                new CiLogState.RunLogs(awaiting, excerpts, List.copyOf(tests), r.pending());
        if (r.pending() == null || !awaiting.isEmpty()) {
            logs.update(l.withRun(runId, updated));
            return;
        }
        logs.update(l.withRun(runId, updated));
        ctx.timerService().deleteEventTimeTimer(r.pending().deadline());
        String key = ctx.getCurrentKey();
        String workflow = key.substring(key.indexOf('|') + 1);
        CiWorkflowState w = state.value();
        classify(
                event.repo(),
                workflow,
                r.pending(),
                updated,
                w == null ? new CiWorkflowState(null, null, null, null) : w,
                policy(ctx, event.repo()),
                ctx,
                out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRecord> out)
            throws Exception {
        CiLogState l = logState();
        String key = ctx.getCurrentKey();
        String repo = key.substring(0, key.indexOf('|'));
        String workflow = key.substring(key.indexOf('|') + 1);
        for (Map.Entry<String, CiLogState.RunLogs> entry : l.runs().entrySet()) {
            CiLogState.PendingRun pending = entry.getValue().pending();
            if (pending != null && pending.deadline() <= timestamp) {
                missingLogs.inc(entry.getValue().awaiting().size());
                LOG.info(
                        "{}: {}: run {} classified without the logs of jobs {}, which did not"
                                + " come back in time",
                        RULE,
                        repo,
                        pending.runId(),
                        entry.getValue().awaiting());
                CiWorkflowState w = state.value();
                classify(
                        repo,
                        workflow,
                        pending,
                        entry.getValue(),
                        w == null ? new CiWorkflowState(null, null, null, null) : w,
                        policy(ctx, repo),
                        ctx,
                        out);
            }
        }
    }

    private CiLogState logState() throws Exception {
        CiLogState l = logs.value();
        return l == null ? CiLogState.empty() : l;
    }

    /** The test histories after a failed run of {@code branch} at {@code sha}. */
    private static Map<String, CiLogState.TestHistory> failedTests(
            Map<String, CiLogState.TestHistory> tests,
            String branch,
            String sha,
            List<String> failed) {
        Map<String, CiLogState.TestHistory> next = new LinkedHashMap<>(tests);
        for (String test : failed) {
            String key = branch + " " + test;
            CiLogState.TestHistory h = next.remove(key);
            if (h == null) {
                next.put(key, new CiLogState.TestHistory(List.of(sha), false, 0));
                continue;
            }
            boolean flip = h.passedSince() && !h.shas().contains(sha);
            List<String> shas = new ArrayList<>(h.shas());
            shas.remove(sha);
            shas.add(sha);
            while (shas.size() > 5) {
                shas.remove(0);
            }
            next.put(key, new CiLogState.TestHistory(shas, false, h.flips() + (flip ? 1 : 0)));
        }
        return next;
    }

    /** The test histories after the workflow passed on {@code branch}. */
    private static Map<String, CiLogState.TestHistory> passed(
            Map<String, CiLogState.TestHistory> tests, String branch) {
        Map<String, CiLogState.TestHistory> next = new LinkedHashMap<>();
        String prefix = branch + " ";
        tests.forEach(
                (k, h) ->
                        next.put(
                                k,
                                k.startsWith(prefix) && !h.passedSince()
                                        ? new CiLogState.TestHistory(h.shas(), true, h.flips())
                                        : h));
        return next;
    }

    private static boolean flakyTest(CiLogState.TestHistory h) {
        return h != null && h.flips() >= FLAKY_TEST_MIN_FLIPS;
    }

    private CiWorkflowState onCheck(CiWorkflowState s, GitHubEvent event, ReadOnlyContext ctx)
            throws Exception {
        JsonNode check = event.payload().path("check_run");
        String sha = check.path("head_sha").asText();
        String conclusion = check.path("conclusion").asText("");
        String workflow = CiEvents.workflow(event);
        Map<String, Integer> shas = new LinkedHashMap<>(s.failedShas());
        // another CI app re-runs a check as a new check run on the same commit
        String run = "sha:" + sha;
        if ("success".equals(conclusion)) {
            boolean flaky = shas.remove(sha) != null;
            CiWorkflowState next =
                    new CiWorkflowState(
                            s.failedJobs(), shas, completed(s, run, flaky ? "flaky" : "ok"), null);
            ctx.output(SIGNALS, metric(event, "ci_success_ratio", Map.of("workflow", workflow), 1));
            if (flaky) {
                ctx.output(
                        SIGNALS, metric(event, "ci_flaky_runs", Map.of("workflow", workflow), 1));
            }
            ctx.output(SIGNALS, flakeRate(event, workflow, next));
            return next;
        }
        if (!failed(conclusion)) {
            return s;
        }
        JsonNode output = check.path("output");
        String text =
                "conclusion "
                        + conclusion
                        + "\n"
                        + output.path("title").asText("")
                        + "\n"
                        + output.path("summary").asText("")
                        + "\n"
                        + output.path("text").asText("");
        FailureClass cls =
                classifier.classify(
                        event.repo(),
                        conclusion,
                        text,
                        policy(ctx, event.repo()).ci().failurePatterns());
        shas.put(sha, 1);
        CiWorkflowState next =
                new CiWorkflowState(s.failedJobs(), bounded(shas), completed(s, run, "fail"), null);
        ctx.output(SIGNALS, flakeRate(event, workflow, next));
        ctx.output(SIGNALS, metric(event, "ci_success_ratio", Map.of("workflow", workflow), 0));
        ctx.output(
                SIGNALS,
                metric(
                        event,
                        "ci_failures",
                        Map.of("workflow", workflow, "class", cls.wireName()),
                        1));
        return next;
    }

    private static ActionRecord explain(
            String repo,
            CiLogState.PendingRun run,
            RepoPolicy policy,
            String workflow,
            String text,
            List<String> failedTests) {
        long runId = run.runId();
        long pr = run.pullRequest();
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        String tests =
                failedTests.isEmpty()
                        ? ""
                        : "Failed tests: "
                                + String.join(", ", failedTests.stream().limit(10).toList())
                                + "\n\n";
        params.put(
                "body",
                "Workflow **"
                        + workflow
                        + "** (run "
                        + runId
                        + ") failed in a way a re-run will not fix:\n\n"
                        + tests
                        + "```\n"
                        + firstLines(text)
                        + "\n```");
        return new ActionRecord(
                RULE + ":" + repo + "#" + pr + ":run-" + runId,
                repo,
                pr,
                ActionType.CREATE_COMMENT,
                params,
                "run " + runId + " of " + repo + "#" + pr + " failed permanently",
                List.of(firstLines(text)),
                0.8,
                RULE,
                List.of(run.eventId()),
                run.installationId(),
                run.occurredAt(),
                null,
                null,
                policy.dryRun());
    }

    private static ActionRecord flakyLabel(
            GitHubEvent event, RepoPolicy policy, String workflow, long pr, CiWorkflowState s) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putArray("labels").add(FLAKY_LABEL);
        return new ActionRecord(
                RULE + ":" + event.repo() + "#" + pr + ":flaky:" + workflow,
                event.repo(),
                pr,
                ActionType.ADD_LABELS,
                params,
                String.format(
                        Locale.ROOT,
                        "workflow %s of %s#%d flaked in %d of its last %d runs",
                        workflow,
                        event.repo(),
                        pr,
                        s.flakyCount(),
                        s.recentRuns().size()),
                List.of("flake rate " + s.flakeRate()),
                0.7,
                RULE,
                List.of(event.eventId()),
                event.installationId(),
                event.occurredAt(),
                null,
                null,
                policy.dryRun());
    }

    private static boolean flakyWorkflow(CiWorkflowState s) {
        return s.flakyCount() >= FLAKE_MIN_COUNT && s.flakeRate() >= FLAKE_MIN_RATE;
    }

    private static boolean failed(String conclusion) {
        return switch (conclusion) {
            case "failure", "timed_out", "startup_failure" -> true;
            default -> false;
        };
    }

    private static long firstPullRequest(JsonNode run) {
        JsonNode prs = run.path("pull_requests");
        return prs.isArray() && !prs.isEmpty() ? prs.get(0).path("number").asLong(0) : 0;
    }

    /**
     * The recent runs with {@code run}'s outcome so far; a re-run's attempt updates its run. Only
     * the latest {@link #FLAKE_WINDOW} runs stay.
     */
    private static Map<String, String> completed(CiWorkflowState s, String run, String outcome) {
        Map<String, String> runs = new LinkedHashMap<>(s.recentRuns());
        runs.put(run, outcome);
        var oldest = runs.keySet().iterator();
        while (runs.size() > FLAKE_WINDOW) {
            oldest.next();
            oldest.remove();
        }
        return runs;
    }

    /** Flaky runs of the workflow's recent completed runs, after each completion. */
    private static RepoMetrics flakeRate(GitHubEvent event, String workflow, CiWorkflowState s) {
        return metric(event, "flake_rate_ratio", Map.of("workflow", workflow), s.flakeRate());
    }

    private static <V> Map<String, V> bounded(Map<String, V> map) {
        if (map.size() <= MAX_TRACKED) {
            return map;
        }
        // insertion order: drop the oldest
        Map<String, V> kept = new LinkedHashMap<>();
        map.entrySet().stream()
                .skip(map.size() - MAX_TRACKED)
                .forEach(e -> kept.put(e.getKey(), e.getValue()));
        return kept;
    }

    private static String firstLines(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    private static RepoMetrics metric(
            GitHubEvent event, String name, Map<String, String> labels, double value) {
        return metric(event.repo(), event.occurredAt(), name, labels, value);
    }

    private static RepoMetrics metric(
            String repo, Instant at, String name, Map<String, String> labels, double value) {
        return new RepoMetrics(repo, name, labels, value, at, at);
    }
}
