package io.repostream.flink.prediction;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.prediction.PredictorStateSerializers.OutcomeStatsSerializer;
import io.repostream.flink.prediction.PredictorStateSerializers.PendingBuildSerializer;
import io.repostream.flink.prediction.PredictorStateSerializers.PullRequestInfoSerializer;
import io.repostream.flink.prediction.PredictorStateSerializers.RepoHistorySerializer;
import io.repostream.flink.rules.Policies;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RiskLevel;
import io.repostream.schemas.TrainingExample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Predicts whether CI will pass, per repository (keyed by {@code owner/repo}).
 *
 * <ul>
 *   <li>On a trigger ({@code workflow_run} requested/in_progress, {@code pull_request}
 *       opened/reopened/synchronize) it computes {@link CiFeatures} from the trigger and the repo's
 *       history, emits a {@link Prediction} (UNKNOWN risk and no probability while no model is
 *       loaded), and keeps the vector as a {@link PendingBuild}. A repeated trigger of the same run
 *       attempt or head commit is not predicted twice.
 *   <li>On the outcome ({@code workflow_run} completed) it emits a {@link TrainingExample} with the
 *       pending vector to {@link #TRAINING_EXAMPLES}, drops the pending entry, and only then adds
 *       the outcome to the history. {@code success}/{@code neutral} count as success, {@code
 *       failure}/{@code timed_out}/{@code startup_failure} as failure; other conclusions ({@code
 *       cancelled}, {@code skipped}, ...) say nothing about the build and teach nothing.
 *   <li>A pending build whose outcome never comes is dropped by an event-time timer after {@code
 *       pendingTtl}; histories and pull request state expire by TTL (garbage collection only).
 *   <li>Models ({@link ModelVersion} named {@code modelName}, on {@link #MODELS}) and policies
 *       arrive as broadcast state: a new model replaces the running one between two events, with no
 *       restart. A model of another feature set, an older one (compacted topics replay), or one
 *       that fails to load is refused with a log line and the current one kept.
 *   <li>Risk levels come from the repo policy's {@code ci_risk} thresholds. For HIGH and CRITICAL
 *       predictions about a pull request it proposes the {@value #HIGH_RISK_LABEL} label on {@link
 *       #HIGH_RISK_ACTIONS}, when the policy asks for it ({@code ci_risk.label_high_risk}), dry-run
 *       as the policy says; the repo governor drops it, on record, unless the policy enables {@code
 *       add_labels}.
 * </ul>
 */
public final class CiSuccessPredictor
        extends KeyedBroadcastProcessFunction<String, BuildSignal, PredictionControl, Prediction> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CiSuccessPredictor.class);

    public static final String PRODUCED_BY = "ci-success-predictor@1";
    public static final String DEFAULT_MODEL_NAME = "ci-success";
    public static final String HIGH_RISK_LABEL = "ci/high-risk";

    /** How long a prediction waits for its outcome (GitHub stops a job after 6 h; runs queue). */
    public static final Duration DEFAULT_PENDING_TTL = Duration.ofHours(24);

    /** A high-risk label is only useful while CI runs. */
    static final Duration LABEL_EXPIRY = Duration.ofHours(6);

    /** Garbage collection of histories and pull requests never closed; not a business rule. */
    static final Duration HISTORY_RETENTION = Duration.ofDays(180);

    static final Duration PULL_REQUEST_RETENTION = Duration.ofDays(30);

    static final Set<String> SUCCESS = Set.of("success", "neutral");
    static final Set<String> FAILURE = Set.of("failure", "timed_out", "startup_failure");

    /** Model name to the latest accepted {@link ModelVersion}. */
    public static final MapStateDescriptor<String, ModelVersion> MODELS =
            new MapStateDescriptor<>(
                    "prediction-models", Types.STRING, JsonTypeInfo.of(ModelVersion.class));

    public static final OutputTag<TrainingExample> TRAINING_EXAMPLES =
            new OutputTag<>("training-examples", JsonTypeInfo.of(TrainingExample.class));

    public static final OutputTag<ActionRecord> HIGH_RISK_ACTIONS =
            new OutputTag<>("high-risk-actions", WireTypes.ACTION_RECORD);

    /** Keyed state names (tests count their entries). */
    static final String PENDING_STATE = "pending-builds";

    static final String REPO_STATE = "repo-history";
    static final String AUTHOR_STATE = "author-history";
    static final String WORKFLOW_STATE = "workflow-history";
    static final String PULL_REQUEST_STATE = "pull-requests";

    private final String modelName;
    private final Duration pendingTtl;

    private transient MapState<String, PendingBuild> pending;
    private transient ValueState<RepoHistory> repoHistory;
    private transient MapState<String, OutcomeStats> authors;
    private transient MapState<Long, OutcomeStats> workflows;
    private transient MapState<Long, PullRequestInfo> pullRequests;

    /** The compiled form of the model in broadcast state; rebuilt after a restore. */
    private transient SuccessModel model;

    /** A model version that failed to compile here, so the error is logged once. */
    private transient String failedVersion;

    public CiSuccessPredictor() {
        this(DEFAULT_MODEL_NAME, DEFAULT_PENDING_TTL);
    }

    public CiSuccessPredictor(String modelName, Duration pendingTtl) {
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        if (pendingTtl == null || pendingTtl.isNegative() || pendingTtl.isZero()) {
            throw new IllegalArgumentException("pending TTL must be positive, got " + pendingTtl);
        }
        this.pendingTtl = pendingTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        PENDING_STATE,
                                        StringSerializer.INSTANCE,
                                        PendingBuildSerializer.INSTANCE));
        ValueStateDescriptor<RepoHistory> repo =
                new ValueStateDescriptor<>(REPO_STATE, RepoHistorySerializer.INSTANCE);
        repo.enableTimeToLive(ttl(HISTORY_RETENTION));
        repoHistory = getRuntimeContext().getState(repo);
        MapStateDescriptor<String, OutcomeStats> author =
                new MapStateDescriptor<>(
                        AUTHOR_STATE, StringSerializer.INSTANCE, OutcomeStatsSerializer.INSTANCE);
        author.enableTimeToLive(ttl(HISTORY_RETENTION));
        authors = getRuntimeContext().getMapState(author);
        MapStateDescriptor<Long, OutcomeStats> workflow =
                new MapStateDescriptor<>(
                        WORKFLOW_STATE, LongSerializer.INSTANCE, OutcomeStatsSerializer.INSTANCE);
        workflow.enableTimeToLive(ttl(HISTORY_RETENTION));
        workflows = getRuntimeContext().getMapState(workflow);
        MapStateDescriptor<Long, PullRequestInfo> prs =
                new MapStateDescriptor<>(
                        PULL_REQUEST_STATE,
                        LongSerializer.INSTANCE,
                        PullRequestInfoSerializer.INSTANCE);
        prs.enableTimeToLive(ttl(PULL_REQUEST_RETENTION));
        pullRequests = getRuntimeContext().getMapState(prs);
    }

    private static StateTtlConfig ttl(Duration retention) {
        return StateTtlConfig.newBuilder(retention).build();
    }

    @Override
    public void processElement(BuildSignal signal, ReadOnlyContext ctx, Collector<Prediction> out)
            throws Exception {
        switch (signal.kind()) {
            case RUN_STARTED -> predict(signal, null, ctx, out);
            case PR_UPDATED -> {
                long number = signal.pullRequest();
                PullRequestInfo pr = orNone(pullRequests.get(number)).withPush(signal);
                pullRequests.put(number, pr);
                predict(signal, pr, ctx, out);
            }
            case PR_REVIEWED -> {
                long number = signal.pullRequest();
                pullRequests.put(number, orNone(pullRequests.get(number)).withReview(signal));
            }
            case PR_CLOSED -> pullRequests.remove(signal.pullRequest());
            case RUN_COMPLETED -> onOutcome(signal, ctx);
        }
    }

    private void predict(
            BuildSignal trigger, PullRequestInfo pr, ReadOnlyContext ctx, Collector<Prediction> out)
            throws Exception {
        boolean isRun = trigger.runId() != null;
        String subjectType = isRun ? "workflow_run" : "pull_request";
        long subjectId = isRun ? trigger.runId() : trigger.pullRequest();
        String predictionId =
                "ci-success:"
                        + trigger.repo()
                        + ":"
                        + subjectType
                        + ":"
                        + subjectId
                        + ":"
                        + (isRun ? "attempt-" + trigger.runAttempt() : trigger.headSha());
        String pendingKey = pendingKey(subjectType, subjectId);
        PendingBuild previous = pending.get(pendingKey);
        if (previous != null && previous.predictionId().equals(predictionId)) {
            return; // requested, then in_progress (or a redelivery): one prediction per build
        }
        if (isRun && pr == null && trigger.pullRequest() != null) {
            pr = pullRequests.get(trigger.pullRequest());
        }
        CiFeatures.Known known =
                new CiFeatures.Known(
                        orNone(repoHistory.value()),
                        authorStats(trigger.actor()),
                        trigger.workflowId() == null
                                ? OutcomeStats.NONE
                                : orNone(workflows.get(trigger.workflowId())),
                        pr);
        Map<String, Double> features = CiFeatures.of(trigger, known);
        SuccessModel current = currentModel(ctx);
        Double probability = current == null ? null : score(current, features, trigger);
        RepoPolicy policy = Policies.of(ctx.getBroadcastState(Policies.DESCRIPTOR), trigger.repo());
        RiskLevel risk = RiskThresholds.of(policy.ci().risk()).of(probability);
        out.collect(
                new Prediction(
                        predictionId,
                        trigger.repo(),
                        subjectType,
                        subjectId,
                        trigger.headSha(),
                        probability,
                        risk,
                        probability == null ? null : current.version(),
                        features,
                        trigger.at(),
                        Instant.ofEpochMilli(ctx.currentProcessingTime()),
                        List.of(trigger.eventId())));

        Instant expiresAt = trigger.at().plus(pendingTtl);
        pending.put(
                pendingKey,
                new PendingBuild(
                        predictionId,
                        subjectType,
                        subjectId,
                        trigger.headSha(),
                        trigger.runAttempt(),
                        features,
                        trigger.at(),
                        expiresAt,
                        List.of(trigger.eventId())));
        ctx.timerService().registerEventTimeTimer(expiresAt.toEpochMilli());
        if (previous != null) {
            dropTimerIfUnused(previous.expiresAt(), ctx);
        }
        // the label is the ci section's: off with it (predictions are still written)
        if ((risk == RiskLevel.HIGH || risk == RiskLevel.CRITICAL)
                && policy.ci().risk().labelHighRisk()
                && policy.ci().mode() != RepoPolicy.Mode.OFF) {
            proposeLabel(trigger, predictionId, probability, risk, current.version(), policy, ctx);
        }
    }

    private Double score(SuccessModel current, Map<String, Double> features, BuildSignal trigger) {
        double p = current.successProbability(features);
        if (!(p >= 0 && p <= 1)) {
            LOG.warn(
                    "{}: model {} scored {}; predicting UNKNOWN instead",
                    trigger.ref(),
                    current.version(),
                    p);
            return null;
        }
        return p;
    }

    private void proposeLabel(
            BuildSignal trigger,
            String predictionId,
            double probability,
            RiskLevel risk,
            String version,
            RepoPolicy policy,
            ReadOnlyContext ctx) {
        Long number = trigger.pullRequest();
        // proposed whatever the policy enables: the repo governor drops, on record, what it does
        // not
        if (number == null) {
            return;
        }
        double failure = 1 - probability;
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putArray("labels").add(HIGH_RISK_LABEL);
        String sha = trigger.headSha() == null ? "unknown" : trigger.headSha();
        ctx.output(
                HIGH_RISK_ACTIONS,
                new ActionRecord(
                        "ci-high-risk:" + trigger.repo() + "#" + number + "@" + sha,
                        trigger.repo(),
                        number,
                        ActionType.ADD_LABELS,
                        params,
                        String.format(
                                Locale.ROOT,
                                "CI of %s#%d at %s is predicted to fail with probability %.2f"
                                        + " (%s risk, model %s)",
                                trigger.repo(),
                                number,
                                sha.substring(0, Math.min(7, sha.length())),
                                failure,
                                risk.wireName(),
                                version),
                        List.of(predictionId),
                        failure,
                        PRODUCED_BY,
                        List.of(trigger.eventId()),
                        trigger.installationId(),
                        trigger.at(),
                        null,
                        trigger.at().plus(LABEL_EXPIRY),
                        policy.dryRun() || policy.ci().mode() == RepoPolicy.Mode.SHADOW));
    }

    private void onOutcome(BuildSignal outcome, ReadOnlyContext ctx) throws Exception {
        String conclusion = outcome.conclusion().toLowerCase(Locale.ROOT);
        Boolean success =
                SUCCESS.contains(conclusion)
                        ? Boolean.TRUE
                        : FAILURE.contains(conclusion) ? false : null;
        List<String> resolved = new ArrayList<>();
        for (Map.Entry<String, PendingBuild> e : pending.entries()) {
            PendingBuild p = e.getValue();
            boolean sameRun =
                    "workflow_run".equals(p.subjectType())
                            && p.subjectId() == outcome.runId()
                            && Objects.equals(p.runAttempt(), outcome.runAttempt());
            // a pull request's CI outcome is the first labelled run of its head commit
            boolean samePush =
                    "pull_request".equals(p.subjectType())
                            && success != null
                            && p.headSha() != null
                            && p.headSha().equals(outcome.headSha());
            if (!sameRun && !samePush) {
                continue;
            }
            if (success != null) {
                ctx.output(TRAINING_EXAMPLES, example(p, outcome, success, conclusion));
            }
            resolved.add(e.getKey());
        }
        for (String key : resolved) {
            PendingBuild p = pending.get(key);
            pending.remove(key);
            dropTimerIfUnused(p.expiresAt(), ctx);
        }
        if (success == null) {
            return;
        }
        // history learns the outcome only after the examples that must not see it were written
        repoHistory.update(
                orNone(repoHistory.value()).plus(success, outcome.at(), outcome.actor()));
        if (!outcome.actor().isEmpty()) {
            authors.put(outcome.actor(), authorStats(outcome.actor()).plus(success));
        }
        if (outcome.workflowId() != null) {
            workflows.put(
                    outcome.workflowId(),
                    orNone(workflows.get(outcome.workflowId())).plus(success));
        }
    }

    private static TrainingExample example(
            PendingBuild p, BuildSignal outcome, boolean success, String conclusion) {
        Instant completedAt = outcome.at().isBefore(p.featuresAt()) ? p.featuresAt() : outcome.at();
        return new TrainingExample(
                "example:" + p.predictionId(),
                outcome.repo(),
                p.subjectType(),
                p.subjectId(),
                CiFeatures.FEATURE_SET,
                p.features(),
                success,
                conclusion,
                p.featuresAt(),
                completedAt);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out)
            throws Exception {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, PendingBuild> e : pending.entries()) {
            if (e.getValue().expiresAt().toEpochMilli() <= timestamp) {
                expired.add(e.getKey());
            }
        }
        for (String key : expired) {
            LOG.debug("{}: no outcome for {} within {}", ctx.getCurrentKey(), key, pendingTtl);
            pending.remove(key);
        }
    }

    @Override
    public void processBroadcastElement(
            PredictionControl control, Context ctx, Collector<Prediction> out) throws Exception {
        if (control.policy() != null) {
            RepoPolicy policy = control.policy();
            var policies = ctx.getBroadcastState(Policies.DESCRIPTOR);
            if (Policies.supersedes(policy, policies.get(policy.repo()))) {
                policies.put(policy.repo(), policy);
            }
            return;
        }
        ModelVersion incoming = control.model();
        if (!modelName.equals(incoming.modelName())) {
            return;
        }
        boolean logs = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        if (!CiFeatures.FEATURE_SET.equals(incoming.featureSet())) {
            if (logs) {
                LOG.warn(
                        "model {} {} was trained on feature set '{}' but this job computes '{}';"
                                + " keeping the current model",
                        incoming.modelName(),
                        incoming.version(),
                        incoming.featureSet(),
                        CiFeatures.FEATURE_SET);
            }
            return;
        }
        var models = ctx.getBroadcastState(MODELS);
        ModelVersion current = models.get(modelName);
        if (current != null && incoming.createdAt().isBefore(current.createdAt())) {
            return; // a compacted topic replaying an older version after a newer one
        }
        SuccessModel compiled;
        try {
            compiled = SuccessModel.compile(incoming);
        } catch (RuntimeException e) {
            // every subtask compiles the same bytes the same way, so all refuse it alike
            if (logs) {
                LOG.error(
                        "model {} {} refused, keeping {}: {}",
                        incoming.modelName(),
                        incoming.version(),
                        current == null ? "no model" : current.version(),
                        e.getMessage());
            }
            return;
        }
        models.put(modelName, incoming);
        model = compiled;
        if (logs) {
            LOG.info(
                    "model {} {} now scores predictions, calibration {} (was {})",
                    incoming.modelName(),
                    incoming.version(),
                    incoming.calibration() == null ? "none" : incoming.calibration().method(),
                    current == null ? "none" : current.version());
        }
    }

    /** The model in broadcast state, compiled; null without one. */
    private SuccessModel currentModel(ReadOnlyContext ctx) throws Exception {
        ModelVersion published = ctx.getBroadcastState(MODELS).get(modelName);
        if (published == null) {
            return null;
        }
        if (model != null && model.version().equals(published.version())) {
            return model;
        }
        if (published.version().equals(failedVersion)) {
            return null;
        }
        try {
            model = SuccessModel.compile(published); // after a restore from a checkpoint
            return model;
        } catch (RuntimeException e) {
            failedVersion = published.version();
            LOG.error(
                    "model {} {} from the checkpoint cannot be loaded; predicting UNKNOWN: {}",
                    published.modelName(),
                    published.version(),
                    e.getMessage());
            return null;
        }
    }

    private OutcomeStats authorStats(String actor) throws Exception {
        return actor.isEmpty() ? OutcomeStats.NONE : orNone(authors.get(actor));
    }

    private void dropTimerIfUnused(Instant expiresAt, ReadOnlyContext ctx) throws Exception {
        for (PendingBuild p : pending.values()) {
            if (p.expiresAt().equals(expiresAt)) {
                return;
            }
        }
        ctx.timerService().deleteEventTimeTimer(expiresAt.toEpochMilli());
    }

    static String pendingKey(String subjectType, long subjectId) {
        return ("workflow_run".equals(subjectType) ? "run:" : "pr:") + subjectId;
    }

    private static OutcomeStats orNone(OutcomeStats stats) {
        return stats == null ? OutcomeStats.NONE : stats;
    }

    private static RepoHistory orNone(RepoHistory history) {
        return history == null ? RepoHistory.NONE : history;
    }

    private static PullRequestInfo orNone(PullRequestInfo pr) {
        return pr == null ? PullRequestInfo.NONE : pr;
    }
}
