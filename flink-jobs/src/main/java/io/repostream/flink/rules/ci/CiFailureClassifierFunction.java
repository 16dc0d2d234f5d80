package io.repostream.flink.rules.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

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

    /** CI runs, failures by class, flakes and flake rate, for the analytics windows. */
    public static final OutputTag<RepoMetrics> SIGNALS =
            new OutputTag<>("ci-signals", WireTypes.REPO_METRICS);

    private final FailureClassifier classifier = new FailureClassifier();
    private transient ValueState<CiWorkflowState> state;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        // the name, serializer and TTL of the retry planner's state before the split
        ValueStateDescriptor<CiWorkflowState> descriptor =
                new ValueStateDescriptor<>("ci-workflow", CiWorkflowStateSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(30)).build());
        state = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        CiWorkflowState stored = state.value();
        CiWorkflowState current =
                stored == null ? new CiWorkflowState(null, null, null, null) : stored;
        CiWorkflowState next =
                switch (event.type()) {
                    case "workflow_job" -> onJob(current, event);
                    case "workflow_run" -> onRun(current, event, ctx, out);
                    case "check_run" -> onCheck(current, event, ctx);
                    default -> current;
                };
        // the handlers return the state they were given when nothing changed
        if (next != current) {
            state.update(next);
        }
    }

    private CiWorkflowState onJob(CiWorkflowState s, GitHubEvent event) {
        JsonNode job = event.payload().path("workflow_job");
        String conclusion = job.path("conclusion").asText("");
        if (!failed(conclusion)) {
            return s;
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
        String text = "conclusion " + conclusion + (jobText == null ? "" : "\n" + jobText);
        RepoPolicy policy = policy(ctx, event.repo());
        FailureClass cls =
                classifier.classify(event.repo(), conclusion, text, policy.ci().failurePatterns());
        if (cls == FailureClass.UNKNOWN && flakyWorkflow(next)) {
            cls = FailureClass.FLAKY;
        }
        ctx.output(SIGNALS, metric(event, "ci_success_ratio", Map.of("workflow", workflow), 0));
        ctx.output(
                SIGNALS,
                metric(
                        event,
                        "ci_failures",
                        Map.of("workflow", workflow, "class", cls.wireName()),
                        1));
        ctx.output(
                CiFailure.TAG,
                new CiFailure(
                        event.repo(),
                        workflow,
                        runId,
                        attempt,
                        cls,
                        text,
                        event.eventId(),
                        event.installationId(),
                        event.occurredAt()));
        if (cls == FailureClass.PERMANENT && pr > 0) {
            out.collect(explain(event, policy, runId, pr, workflow, text));
        }
        return next;
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
            GitHubEvent event,
            RepoPolicy policy,
            long runId,
            long pr,
            String workflow,
            String text) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put(
                "body",
                "Workflow **"
                        + workflow
                        + "** (run "
                        + runId
                        + ") failed in a way a re-run will not fix:\n\n```\n"
                        + firstLines(text)
                        + "\n```");
        return new ActionRecord(
                RULE + ":" + event.repo() + "#" + pr + ":run-" + runId,
                event.repo(),
                pr,
                ActionType.CREATE_COMMENT,
                params,
                "run " + runId + " of " + event.repo() + "#" + pr + " failed permanently",
                List.of(firstLines(text)),
                0.8,
                RULE,
                List.of(event.eventId()),
                event.installationId(),
                event.occurredAt(),
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
        return new RepoMetrics(
                event.repo(), name, labels, value, event.occurredAt(), event.occurredAt());
    }
}
