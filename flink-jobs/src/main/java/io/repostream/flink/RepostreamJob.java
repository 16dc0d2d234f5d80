package io.repostream.flink;

import io.repostream.flink.governors.ActionDrops;
import io.repostream.flink.governors.ActionRateGovernor;
import io.repostream.flink.governors.GovernorInput;
import io.repostream.flink.governors.GovernorInputSerializer;
import io.repostream.flink.governors.GovernorSignals;
import io.repostream.flink.governors.InstallationRateGovernor;
import io.repostream.flink.governors.InstallationRateLimitsOperator;
import io.repostream.flink.kafka.DeadLetterRouter;
import io.repostream.flink.kafka.KafkaConnectors;
import io.repostream.flink.metrics.EventCountCombiner;
import io.repostream.flink.metrics.MetricSignals;
import io.repostream.flink.metrics.MetricWindowAccSerializer;
import io.repostream.flink.metrics.MetricWindowAggregate;
import io.repostream.flink.metrics.MetricWindows;
import io.repostream.flink.metrics.OpenItemsGauge;
import io.repostream.flink.metrics.SignalCounters;
import io.repostream.flink.prediction.PredictionPipeline;
import io.repostream.flink.prediction.PredictionStreams;
import io.repostream.flink.rules.AuditFeedback;
import io.repostream.flink.rules.Policies;
import io.repostream.flink.rules.Rule;
import io.repostream.flink.rules.RuleFields;
import io.repostream.flink.rules.RuleGraph;
import io.repostream.flink.rules.Rules;
import io.repostream.flink.rules.config.RepoConfigFunction;
import io.repostream.flink.rules.merge.MergeQueueFunction;
import io.repostream.flink.serialization.EventOrDeadLetter;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.MergeQueueState;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TrainingExample;
import io.repostream.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The repostream Flink application. It takes its sources and sinks in the constructor, so tests
 * build exactly the production graph over finite sources and collecting sinks; {@link
 * #fromKafka(JobConfig)} plugs in Kafka.
 */
public final class RepostreamJob {
    public static final String JOB_NAME = "repostream";

    /** Width of the analytics windows on {@code github.metrics.v1}. */
    public static final Duration METRICS_WINDOW = Duration.ofMinutes(1);

    // the sources and sinks every job has; the settings below them are changed only on a copy
    // (the with... methods), so a built job is never changed
    private final Source<?, ?, ?> events;
    private final Source<RepoPolicy, ?, ?> policies;
    private final Source<AuditRecord, ?, ?> audits;
    private final Sink<ActionRecord> actions;
    private final Sink<RepoMetrics> metrics;
    private Duration maxOutOfOrderness;
    private Duration sourceIdleness;
    private PredictionIo prediction;
    private int eventCountBuckets;
    private Sink<DeadLetter> deadLetters;
    private Sink<AuditRecord> dropAudits;
    private Sink<RepoPolicy> policyWrites;
    private Sink<MergeQueueState> mergeQueueStates;
    private Duration writeSpacing = InstallationRateGovernor.DEFAULT_WRITE_SPACING;
    private Duration writeHorizon = InstallationRateGovernor.DEFAULT_HORIZON;

    /**
     * Where the CI success predictor reads models and writes predictions and training examples.
     *
     * @param models published models ({@code github.models.v1})
     * @param predictions one per workflow run attempt or pull request head
     * @param trainingExamples the prediction's feature vector joined with the outcome
     */
    public record PredictionIo(
            Source<ModelVersion, ?, ?> models,
            Sink<Prediction> predictions,
            Sink<TrainingExample> trainingExamples) {
        public PredictionIo {
            Objects.requireNonNull(models, "models");
            Objects.requireNonNull(predictions, "predictions");
            Objects.requireNonNull(trainingExamples, "trainingExamples");
        }
    }

    /**
     * The rules over events and policies, writing actions; no rate-limit feedback from audit
     * records and no metrics.
     */
    public RepostreamJob(
            Source<?, ?, ?> events, Source<RepoPolicy, ?, ?> policies, Sink<ActionRecord> actions) {
        this(events, policies, null, actions, null);
    }

    /**
     * The whole application.
     *
     * @param events GitHub events; from Kafka also dead letters for records that could not be read
     *     ({@link KafkaConnectors#eventSource}), which go to {@link #withDeadLetters}
     * @param audits audit records, whose rate-limit headers the governor learns from and which the
     *     rules that learn from their own actions read ({@link AuditFeedback}); may be null
     * @param metrics windowed analytics; may be null to leave them out
     */
    public RepostreamJob(
            Source<?, ?, ?> events,
            Source<RepoPolicy, ?, ?> policies,
            Source<AuditRecord, ?, ?> audits,
            Sink<ActionRecord> actions,
            Sink<RepoMetrics> metrics) {
        this(
                events,
                policies,
                audits,
                actions,
                metrics,
                JobConfig.DEFAULT_MAX_OUT_OF_ORDERNESS,
                JobConfig.DEFAULT_SOURCE_IDLENESS,
                null,
                EventCountCombiner.DEFAULT_MAX_BUCKETS,
                null,
                null);
    }

    private RepostreamJob(
            Source<?, ?, ?> events,
            Source<RepoPolicy, ?, ?> policies,
            Source<AuditRecord, ?, ?> audits,
            Sink<ActionRecord> actions,
            Sink<RepoMetrics> metrics,
            Duration maxOutOfOrderness,
            Duration sourceIdleness,
            PredictionIo prediction,
            int eventCountBuckets,
            Sink<DeadLetter> deadLetters,
            Sink<AuditRecord> dropAudits) {
        this.events = Objects.requireNonNull(events, "events");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.audits = audits;
        this.actions = Objects.requireNonNull(actions, "actions");
        this.metrics = metrics;
        this.maxOutOfOrderness = maxOutOfOrderness;
        this.sourceIdleness = sourceIdleness;
        this.prediction = prediction;
        this.eventCountBuckets = eventCountBuckets;
        this.deadLetters = deadLetters;
        this.dropAudits = dropAudits;
    }

    /** This job as a new object, for the with... methods to change one setting of. */
    private RepostreamJob copy() {
        RepostreamJob job =
                new RepostreamJob(
                        events,
                        policies,
                        audits,
                        actions,
                        metrics,
                        maxOutOfOrderness,
                        sourceIdleness,
                        prediction,
                        eventCountBuckets,
                        deadLetters,
                        dropAudits);
        job.writeSpacing = writeSpacing;
        job.writeHorizon = writeHorizon;
        job.policyWrites = policyWrites;
        job.mergeQueueStates = mergeQueueStates;
        return job;
    }

    /**
     * The same job writing the policies it makes from repositories' {@code .github/repostream.yml}
     * ({@link Rules#REPO_CONFIG}) to {@code sink}, exactly once; without it they are not written.
     */
    public RepostreamJob withPolicyWrites(Sink<RepoPolicy> sink) {
        RepostreamJob job = copy();
        job.policyWrites = Objects.requireNonNull(sink, "sink");
        return job;
    }

    /**
     * The same job giving each installation a write slot every {@code spacing}, released {@code
     * horizon} ahead (see {@link InstallationRateGovernor}; defaults 1.1 s and 3 s).
     */
    public RepostreamJob withWriteSlots(Duration spacing, Duration horizon) {
        RepostreamJob job = copy();
        job.writeSpacing = Objects.requireNonNull(spacing, "spacing");
        job.writeHorizon = Objects.requireNonNull(horizon, "horizon");
        return job;
    }

    /** The same job with other event-time settings. */
    public RepostreamJob withEventTime(Duration outOfOrderness, Duration idleness) {
        RepostreamJob job = copy();
        job.maxOutOfOrderness = outOfOrderness;
        job.sourceIdleness = idleness;
        return job;
    }

    /** The same job with the CI success predictor (see {@link PredictionPipeline}). */
    public RepostreamJob withPredictions(PredictionIo io) {
        RepostreamJob job = copy();
        job.prediction = Objects.requireNonNull(io, "io");
        return job;
    }

    /**
     * The same job with at most {@code maxBuckets} open event counts per subtask (see {@link
     * EventCountCombiner}); 0 sends one sample per event to the windows, as the job did before it
     * counted ahead (tests compare the two).
     */
    RepostreamJob withEventCountBuckets(int maxBuckets) {
        RepostreamJob job = copy();
        job.eventCountBuckets = maxBuckets;
        return job;
    }

    /**
     * The same job writing the events source's dead letters (records it could not read) to {@code
     * sink}, exactly once like every other output.
     */
    public RepostreamJob withDeadLetters(Sink<DeadLetter> sink) {
        RepostreamJob job = copy();
        job.deadLetters = Objects.requireNonNull(sink, "sink");
        return job;
    }

    /**
     * The same job writing an audit record with outcome {@code dropped} for every action a governor
     * drops ({@link ActionDrops}) to {@code sink}, exactly once.
     */
    public RepostreamJob withDropAudits(Sink<AuditRecord> sink) {
        RepostreamJob job = copy();
        job.dropAudits = Objects.requireNonNull(sink, "sink");
        return job;
    }

    /**
     * The same job writing each merge queue's state after every change ({@link
     * MergeQueueFunction#STATES}) to {@code sink}, exactly once.
     */
    public RepostreamJob withMergeQueueStates(Sink<MergeQueueState> sink) {
        RepostreamJob job = copy();
        job.mergeQueueStates = Objects.requireNonNull(sink, "sink");
        return job;
    }

    /** Reads and writes the repostream topics: {@code read_committed} in, exactly once out. */
    public static RepostreamJob fromKafka(JobConfig config) {
        return new RepostreamJob(
                        KafkaConnectors.eventSource(config),
                        KafkaConnectors.latestValuesSource(config, Topics.CONFIG),
                        KafkaConnectors.source(config, Topics.AUDIT),
                        KafkaConnectors.exactlyOnceSink(config, Topics.ACTIONS, ActionRecord::repo),
                        KafkaConnectors.exactlyOnceSink(config, Topics.METRICS, RepoMetrics::repo))
                .withEventTime(config.maxOutOfOrderness(), config.sourceIdleness())
                .withDeadLetters(
                        KafkaConnectors.exactlyOnceSink(
                                config, Topics.EVENTS_DLQ, KafkaConnectors::deadLetterKey))
                .withDropAudits(
                        KafkaConnectors.exactlyOnceSink(config, Topics.AUDIT, AuditRecord::repo))
                .withPolicyWrites(
                        KafkaConnectors.exactlyOnceSink(config, Topics.CONFIG, RepoPolicy::repo))
                .withPredictions(
                        new PredictionIo(
                                PredictionPipeline.modelSource(config),
                                KafkaConnectors.exactlyOnceSink(
                                        config, Topics.PREDICTIONS, Prediction::repo),
                                KafkaConnectors.exactlyOnceSink(
                                        config, Topics.TRAINING_EXAMPLES, TrainingExample::repo)));
    }

    /**
     * Reads {@code events} (GitHub events, and from Kafka dead letters too) with the job's event
     * time; the dead letters come out on the result's {@link DeadLetterRouter#DEAD_LETTERS} side
     * output.
     */
    public static SingleOutputStreamOperator<GitHubEvent> readEvents(
            StreamExecutionEnvironment env,
            Source<?, ?, ?> events,
            Duration outOfOrderness,
            Duration idleness) {
        // a source of events alone is a source of "event or dead letter" too
        @SuppressWarnings("unchecked")
        Source<Object, ?, ?> source = (Source<Object, ?, ?>) events;
        return env.fromSource(
                        source,
                        EventTime.eventsOrDeadLetters(outOfOrderness, idleness),
                        "github-events",
                        EventOrDeadLetter.TYPE)
                .uid("github-events-source")
                .process(new DeadLetterRouter(), WireTypes.GITHUB_EVENT)
                .name("dead-letter-router");
    }

    /** Adds the pipeline to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        SingleOutputStreamOperator<GitHubEvent> sourceEvents =
                readEvents(env, events, maxOutOfOrderness, sourceIdleness);
        if (deadLetters != null) {
            sourceEvents
                    .getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                    .sinkTo(deadLetters)
                    .uid("github-events-dlq-sink")
                    .name("github-events-dlq");
        }
        // the rules read a few fields; the prediction features read a few more (from Kafka the
        // source already keeps only these, see KafkaConnectors.eventSource)
        DataStream<GitHubEvent> githubEvents =
                sourceEvents.map(new RuleFields(), WireTypes.GITHUB_EVENT).name("rule-fields");

        DataStream<RepoPolicy> policyStream =
                env.fromSource(
                                policies,
                                EventTime.policies(),
                                "repo-policies",
                                JsonTypeInfo.of(RepoPolicy.class))
                        .uid("repo-policies-source");
        BroadcastStream<RepoPolicy> repoPolicies = policyStream.broadcast(Policies.DESCRIPTOR);

        // the one audit stream: the governors learn GitHub's rate limits from it, and the rules
        // that learn from their own actions' audits get theirs (AuditFeedback)
        DataStream<AuditRecord> auditRecords = null;
        AuditFeedback feedback = null;
        if (audits != null) {
            auditRecords =
                    env.fromSource(
                                    audits,
                                    EventTime.audits(),
                                    "github-audit",
                                    JsonTypeInfo.of(AuditRecord.class))
                            .uid("github-audit-source");
            feedback = AuditFeedback.route(auditRecords, Rules.REGISTERED);
        }
        RuleGraph rules = new RuleGraph(githubEvents, repoPolicies, feedback);
        for (Rule<?> rule : Rules.REGISTERED) {
            rules.add(rule);
        }
        if (policyWrites != null) {
            rules.sideOutput(Rules.REPO_CONFIG.uid(), RepoConfigFunction.POLICIES)
                    .sinkTo(policyWrites)
                    .uid("github-config-sink")
                    .name("github-config");
        }

        if (mergeQueueStates != null) {
            rules.sideOutput(Rules.MERGE_QUEUE, MergeQueueFunction.STATES)
                    .sinkTo(mergeQueueStates)
                    .uid("github-mergequeue-sink")
                    .name("github-mergequeue");
        }

        DataStream<ActionRecord> proposed = rules.actions();
        if (prediction != null) {
            proposed = proposed.union(predict(env, sourceEvents, policyStream));
        }

        Governed governed = govern(proposed, auditRecords, repoPolicies);
        governed.actions().sinkTo(actions).uid("github-actions-sink").name("github-actions");
        if (dropAudits != null) {
            governed.perRepo()
                    .getSideOutput(ActionDrops.AUDITS)
                    .union(governed.actions().getSideOutput(ActionDrops.AUDITS))
                    .sinkTo(dropAudits)
                    .uid("github-audit-sink")
                    .name("github-audit-dropped");
        }

        if (metrics != null) {
            analytics(
                    githubEvents,
                    rules.signals()
                            .union(
                                    governed.perRepo().getSideOutput(GovernorSignals.TAG),
                                    governed.actions().getSideOutput(GovernorSignals.TAG)));
        }
    }

    /** The two governors' outputs: repo-governed inputs and the final, governed actions. */
    private record Governed(
            SingleOutputStreamOperator<GovernorInput> perRepo,
            SingleOutputStreamOperator<ActionRecord> actions) {}

    /**
     * Every proposed action passes the per-repo budget, then GitHub's limits per installation;
     * audit records feed the rate limits GitHub reported back.
     */
    private Governed govern(
            DataStream<ActionRecord> proposedActions,
            DataStream<AuditRecord> auditRecords,
            BroadcastStream<RepoPolicy> repoPolicies) {
        TypeInformation<GovernorInput> governorInput = GovernorInputSerializer.TYPE;
        DataStream<GovernorInput> proposed =
                proposedActions.map(GovernorInput::of, governorInput).name("proposed-actions");
        if (auditRecords != null) {
            DataStream<GovernorInput> feedback =
                    auditRecords.map(GovernorInput::of, governorInput).name("rate-limit-feedback");
            proposed = proposed.union(feedback);
        }

        SingleOutputStreamOperator<GovernorInput> perRepo =
                proposed.keyBy(GovernorInput::repo, Types.STRING)
                        .connect(repoPolicies)
                        .process(new ActionRateGovernor(), governorInput)
                        .uid("action-rate-governor")
                        .name("repo-action-budget");

        SingleOutputStreamOperator<ActionRecord> governed =
                perRepo.keyBy(GovernorInput::installationKey, Types.STRING)
                        .transform(
                                "installation-rate-limits",
                                WireTypes.ACTION_RECORD,
                                new InstallationRateLimitsOperator(
                                        new InstallationRateGovernor(writeSpacing, writeHorizon)))
                        .uid("installation-rate-governor")
                        .name("installation-rate-limits");
        return new Governed(perRepo, governed);
    }

    /** Per-repo windowed metrics for dashboards, from the events and the rules' signals. */
    private void analytics(
            DataStream<GitHubEvent> githubEvents, DataStream<RepoMetrics> ruleSignals) {
        TypeInformation<RepoMetrics> metricType = WireTypes.REPO_METRICS;
        // counted per series and window ahead, chained to the source, and never an open-item
        // change: the counts go straight to the windows, the one network hop they need
        DataStream<RepoMetrics> eventCounts =
                githubEvents.transform(
                        "event-counts",
                        metricType,
                        new EventCountCombiner(METRICS_WINDOW, eventCountBuckets));
        SingleOutputStreamOperator<RepoMetrics> ruleCounts =
                ruleSignals
                        .process(new SignalCounters(), metricType)
                        .uid("rule-signal-counters")
                        .name("rule-signal-counters");
        DataStream<RepoMetrics> openItems =
                ruleCounts
                        .filter(m -> m.metric().equals(OpenItemsGauge.DELTA_METRIC))
                        .name("open-item-changes")
                        .keyBy(new MetricSignals.SeriesKey(), Types.STRING)
                        .process(new OpenItemsGauge(), metricType)
                        .uid("open-items-gauge")
                        .name("open-items-gauge");
        eventCounts
                .union(
                        ruleCounts
                                .filter(m -> !m.metric().equals(OpenItemsGauge.DELTA_METRIC))
                                .name("window-signals"),
                        openItems)
                .keyBy(new MetricSignals.SeriesKey(), Types.STRING)
                .window(MetricWindows.of(METRICS_WINDOW))
                .aggregate(
                        new MetricWindowAggregate(),
                        new MetricWindowAggregate.ToMetric(),
                        MetricWindowAccSerializer.TYPE,
                        MetricWindowAccSerializer.TYPE,
                        metricType)
                .uid("repo-metrics-windows")
                .name("repo-metrics-windows")
                .sinkTo(metrics)
                .uid("github-metrics-sink")
                .name("github-metrics");
    }

    /**
     * CI success predictions and training examples.
     *
     * @return the predictor's {@code ci/high-risk} label actions (only for repos whose policy asks
     *     for them), to go through the rate governor like every other action
     */
    private DataStream<ActionRecord> predict(
            StreamExecutionEnvironment env,
            DataStream<GitHubEvent> sourceEvents,
            DataStream<RepoPolicy> policyStream) {
        PredictionStreams streams =
                PredictionPipeline.attach(
                        sourceEvents,
                        PredictionPipeline.models(env, prediction.models()),
                        policyStream);
        streams.predictions()
                .sinkTo(prediction.predictions())
                .uid("github-predictions-sink")
                .name("github-predictions");
        streams.trainingExamples()
                .sinkTo(prediction.trainingExamples())
                .uid("github-training-examples-sink")
                .name("github-training-examples");
        return streams.highRiskLabels();
    }

    /**
     * Settings for running locally (tests, the demo): RocksDB with incremental checkpoints into
     * {@code checkpointDir}, exactly-once checkpoints every {@code checkpointInterval}, checkpoints
     * kept on cancellation (to restart from), and a bounded restart strategy — with checkpointing
     * on, Flink would otherwise restart a failing job forever.
     */
    public static Configuration localConfiguration(
            Path checkpointDir, Duration checkpointInterval) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        // every record type has explicit type information; a Kryo fallback would be a bug
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /** {@link #localConfiguration(Path, Duration)} with the default 2 s checkpoint interval. */
    public static Configuration localConfiguration(Path checkpointDir) {
        return localConfiguration(checkpointDir, JobConfig.DEFAULT_CHECKPOINT_INTERVAL);
    }
}
