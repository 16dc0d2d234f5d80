package io.repostream.flink.prediction;

import io.repostream.flink.JobConfig;
import io.repostream.flink.kafka.KafkaConnectors;
import io.repostream.flink.rules.Policies;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.topics.Topics;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * CI success prediction as a part of the repostream job. {@code RepostreamJob.build} wires it in
 * with a few lines:
 *
 * <pre>{@code
 * DataStream<GitHubEvent> raw = env.fromSource(events, ...).uid("github-events-source");
 * // the predictor reads fields RuleFields drops: give it the stream BEFORE .map(new RuleFields())
 * // (from Kafka, KafkaConnectors.eventSource keeps both sets of fields)
 * DataStream<RepoPolicy> policyStream = env.fromSource(policies, ...).uid("repo-policies-source");
 * DataStream<ModelVersion> models = PredictionPipeline.models(env, modelSource);
 * PredictionStreams p = PredictionPipeline.attach(raw, models, policyStream);
 * p.predictions().sinkTo(KafkaConnectors.exactlyOnceSink(config, Topics.PREDICTIONS, Prediction::repo))
 *         .uid("github-predictions-sink").name("github-predictions");
 * p.trainingExamples().sinkTo(KafkaConnectors.exactlyOnceSink(
 *                 config, Topics.TRAINING_EXAMPLES, TrainingExample::repo))
 *         .uid("github-training-examples-sink").name("github-training-examples");
 * // optional: p.highRiskLabels().map(GovernorInput::of, ...) into the governor's union
 * }</pre>
 *
 * where {@code modelSource} is {@link #modelSource(JobConfig)} in production and any finite {@code
 * Source<ModelVersion, ?, ?>} in tests. Operator uids (never to change once released): {@value
 * #MODELS_SOURCE_UID}, {@value #SIGNALS_UID} (stateless), {@value #PREDICTOR_UID} (keyed and
 * broadcast state). Both sinks are exactly-once and keyed by repo. Models and policies are
 * configuration: their streams stay idle in event time, so they neither hold back nor drive the
 * predictor's timers.
 */
public final class PredictionPipeline {
    public static final String MODELS_SOURCE_UID = "github-models-source";
    public static final String SIGNALS_UID = "build-signals";
    public static final String PREDICTOR_UID = "ci-success-predictor";

    private PredictionPipeline() {}

    /**
     * The models topic ({@code github.models.v1}, compacted), read {@code read_committed} and, on a
     * start without state, from its beginning: the predictor keeps the newest model it can load of
     * what the topic replays.
     */
    public static KafkaSource<ModelVersion> modelSource(JobConfig config) {
        return KafkaConnectors.latestValuesSource(config, Topics.MODELS);
    }

    /** The model stream of a job, from {@code source}; idle in event time. */
    public static DataStream<ModelVersion> models(
            StreamExecutionEnvironment env,
            org.apache.flink.api.connector.source.Source<ModelVersion, ?, ?> source) {
        return env.fromSource(source, idle(), "github-models", JsonTypeInfo.of(ModelVersion.class))
                .uid(MODELS_SOURCE_UID);
    }

    /** Adds the predictor with the default model name ({@code ci-success}) and thresholds. */
    public static PredictionStreams attach(
            DataStream<GitHubEvent> events,
            DataStream<ModelVersion> models,
            DataStream<RepoPolicy> policies) {
        return attach(events, models, policies, new CiSuccessPredictor());
    }

    /**
     * Adds {@code predictor} over {@code events}.
     *
     * @param events GitHub events with at least the payload fields {@link BuildSignals#FIELDS}
     *     names (whole payloads, or projected by {@code KafkaConnectors.eventSource}; not the
     *     stream after {@code RuleFields})
     * @param models published models
     * @param policies repo policies (the same stream the rules broadcast)
     */
    public static PredictionStreams attach(
            DataStream<GitHubEvent> events,
            DataStream<ModelVersion> models,
            DataStream<RepoPolicy> policies,
            CiSuccessPredictor predictor) {
        TypeInformation<PredictionControl> control = JsonTypeInfo.of(PredictionControl.class);
        DataStream<PredictionControl> controls =
                models.map(PredictionControl::of, control)
                        .name("model-updates")
                        .union(
                                policies.map(PredictionControl::of, control)
                                        .name("policy-updates-for-prediction"));
        SingleOutputStreamOperator<Prediction> predictions =
                events.flatMap(new BuildSignals(), BuildSignalSerializer.TYPE)
                        // chained to the source: no full payload on the wire, and no rebalance
                        // that could put a run's outcome before its trigger
                        .setParallelism(events.getParallelism())
                        .uid(SIGNALS_UID)
                        .name(SIGNALS_UID)
                        .keyBy(BuildSignal::repo, Types.STRING)
                        .connect(controls.broadcast(CiSuccessPredictor.MODELS, Policies.DESCRIPTOR))
                        .process(predictor, JsonTypeInfo.of(Prediction.class))
                        .uid(PREDICTOR_UID)
                        .name(PREDICTOR_UID);
        return new PredictionStreams(
                predictions,
                predictions.getSideOutput(CiSuccessPredictor.TRAINING_EXAMPLES),
                predictions.getSideOutput(CiSuccessPredictor.HIGH_RISK_ACTIONS));
    }

    /** Configuration, not events: idle in event time (see {@code EventTime.policies()}). */
    public static <T> WatermarkStrategy<T> idle() {
        return WatermarkStrategy.forGenerator(ctx -> new AlwaysIdle<>());
    }

    private static final class AlwaysIdle<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
