package io.repostream.flink.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.repostream.flink.CollectingSink;
import io.repostream.flink.EventTime;
import io.repostream.flink.FiniteSource;
import io.repostream.flink.RepostreamJob;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.ml.data.TrainingExampleLoader;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RiskLevel;
import io.repostream.schemas.TrainingExample;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The prediction pipeline on a MiniCluster (RocksDB) at parallelism 2, over finite sources. */
class PredictionPipelineTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final int REPOS = 4;
    private static final int BUILDS_PER_REPO = 24;

    @TempDir Path checkpoints;
    @TempDir Path exports;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void predictsEveryBuildOnceAndTurnsEveryLabelledOutcomeIntoATrainingExampleWithTheSameVector()
            throws Exception {
        List<GitHubEvent> events = new ArrayList<>();
        Set<Long> labelled = new HashSet<>();
        // Repos interleaved, so every repo's last build comes at the end of the stream, seconds
        // after the model (on its own source) has had time to arrive.
        for (int b = 0; b < BUILDS_PER_REPO; b++) {
            for (int r = 0; r < REPOS; r++) {
                String repo = "octo-org/repo-" + r;
                long run = 1000L * r + b + 1;
                Instant at = T0.plus(Duration.ofMinutes(30L * b + r));
                String actor = b % 3 == 0 ? "hubot" : "mona";
                events.add(BuildEvents.started(repo, run, "sha-" + run, actor, 0, at));
                String conclusion =
                        b % 5 == 4 ? "cancelled" : (b + r) % 3 == 0 ? "failure" : "success";
                if (!"cancelled".equals(conclusion)) {
                    labelled.add(run);
                }
                events.add(
                        BuildEvents.completed(
                                repo,
                                run,
                                "sha-" + run,
                                actor,
                                0,
                                conclusion,
                                at.plusSeconds(600)));
            }
        }
        ModelVersion published = TestModels.random("v1", T0, 21);
        SuccessModel model = SuccessModel.compile(published);

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        RepostreamJob.localConfiguration(checkpoints, Duration.ofMillis(500)));
        env.setParallelism(2);
        // one reader keeps each repo's events in order, as a Kafka partition does
        DataStream<GitHubEvent> githubEvents =
                env.fromSource(
                                paced(events),
                                EventTime.events(Duration.ofSeconds(30), Duration.ofSeconds(10)),
                                "github-events",
                                JsonTypeInfo.of(GitHubEvent.class))
                        .setParallelism(1);
        DataStream<RepoPolicy> policies =
                env.fromSource(
                        FiniteSource.of(
                                RepoPolicy.class, List.of(RepoPolicy.defaults("octo-org/repo-0"))),
                        PredictionPipeline.idle(),
                        "repo-policies",
                        JsonTypeInfo.of(RepoPolicy.class));
        DataStream<ModelVersion> models =
                PredictionPipeline.models(
                        env, FiniteSource.of(ModelVersion.class, List.of(published)));
        PredictionStreams streams = PredictionPipeline.attach(githubEvents, models, policies);
        CollectingSink<Prediction> predictions = new CollectingSink<>();
        CollectingSink<TrainingExample> examples = new CollectingSink<>();
        CollectingSink<ActionRecord> labels = new CollectingSink<>();
        streams.predictions().sinkTo(predictions);
        streams.trainingExamples().sinkTo(examples);
        streams.highRiskLabels().sinkTo(labels);
        env.execute("prediction-minicluster-test");

        List<Prediction> predicted = predictions.collected();
        assertThat(predicted).hasSize(REPOS * BUILDS_PER_REPO);
        assertThat(predicted).extracting(Prediction::predictionId).doesNotHaveDuplicates();
        for (Prediction p : predicted) {
            assertThat(p.features().keySet())
                    .as("features in feature-set order")
                    .containsExactlyElementsOf(
                            CiFeatures.NAMES.stream().filter(p.features()::containsKey).toList());
            // the model arrives on its own stream: before it, predictions say so
            if (p.risk() == RiskLevel.UNKNOWN) {
                assertThat(p.successProbability()).isNull();
                assertThat(p.modelVersion()).isNull();
                continue;
            }
            assertThat(p.modelVersion()).isEqualTo("v1");
            assertThat(p.successProbability())
                    .isCloseTo(model.successProbability(p.features()), within(1e-9));
        }

        Map<String, Prediction> byId =
                predicted.stream()
                        .collect(Collectors.toMap(Prediction::predictionId, Function.identity()));
        List<TrainingExample> learned = examples.collected();
        assertThat(learned)
                .extracting(TrainingExample::subjectId)
                .containsExactlyInAnyOrderElementsOf(labelled);
        for (TrainingExample e : learned) {
            Prediction p = byId.get(e.exampleId().substring("example:".length()));
            assertThat(p).as("prediction of %s", e.exampleId()).isNotNull();
            assertThat(e.features()).isEqualTo(p.features());
            assertThat(e.featuresAt()).isEqualTo(p.eventTime());
            assertThat(e.completedAt()).isAfter(e.featuresAt());
        }
        // the model was loaded while events kept coming: the last builds were scored
        for (int r = 0; r < REPOS; r++) {
            long last = 1000L * r + BUILDS_PER_REPO;
            assertThat(predicted)
                    .filteredOn(p -> p.subjectId() == last)
                    .singleElement()
                    .extracting(Prediction::modelVersion)
                    .isEqualTo("v1");
        }
        // history reached later builds: some vectors know earlier failures
        assertThat(predicted)
                .anySatisfy(
                        p ->
                                assertThat(p.features())
                                        .containsEntry(CiFeatures.PREVIOUS_BUILD_FAILED, 1.0));
        assertThat(labels.collected())
                .allSatisfy(
                        a -> assertThat(a.producedBy()).isEqualTo(CiSuccessPredictor.PRODUCED_BY));

        // the trainer reads exactly these records (JSONL export of the topic)
        Path jsonl = exports.resolve("training-examples.jsonl");
        List<String> lines = new ArrayList<>();
        for (TrainingExample e : learned) {
            lines.add(
                    new String(
                            Topics.TRAINING_EXAMPLES.valueCodec().encode(e),
                            StandardCharsets.UTF_8));
        }
        Files.write(jsonl, lines, StandardCharsets.UTF_8);
        TrainingExampleLoader.Result loaded = TrainingExampleLoader.load(jsonl);
        assertThat(loaded.featureSet()).isEqualTo(CiFeatures.FEATURE_SET);
        assertThat(loaded.table().size()).isEqualTo(learned.size());
        assertThat(CiFeatures.NAMES).containsAll(loaded.table().featureNames());
        // predictions are valid records of their topic too
        for (Prediction p : predicted) {
            assertThat(
                            Topics.PREDICTIONS
                                    .valueCodec()
                                    .decode(Topics.PREDICTIONS.valueCodec().encode(p)))
                    .isEqualTo(p);
        }
    }

    /**
     * The events at {@value #EVENTS_PER_SECOND} per second, so the job runs long enough for the
     * model (on its own source) to arrive in the middle of them.
     */
    static DataGeneratorSource<GitHubEvent> paced(List<GitHubEvent> events) throws Exception {
        List<String> json = new ArrayList<>();
        for (GitHubEvent e : events) {
            json.add(Json.mapper().writeValueAsString(e));
        }
        return new DataGeneratorSource<>(
                new FromJson(json),
                json.size(),
                RateLimiterStrategy.perSecond(EVENTS_PER_SECOND),
                JsonTypeInfo.of(GitHubEvent.class));
    }

    private static final int EVENTS_PER_SECOND = 100;

    private record FromJson(List<String> json) implements GeneratorFunction<Long, GitHubEvent> {
        @Override
        public GitHubEvent map(Long index) throws Exception {
            return Json.mapper().readValue(json.get(index.intValue()), GitHubEvent.class);
        }
    }
}
