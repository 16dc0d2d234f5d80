package io.repostream.flink.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.EventTime;
import io.repostream.flink.JobConfig;
import io.repostream.flink.RepostreamJob;
import io.repostream.flink.kafka.KafkaConnectors;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RiskLevel;
import io.repostream.schemas.TrainingExample;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events and models from Kafka → the prediction pipeline on a MiniCluster (RocksDB, exactly-once
 * checkpoints) → predictions and training examples read {@code read_committed}, keyed by repo.
 */
class PredictionKafkaTest {
    private static final String REPO = "octo-org/widgets";
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir Path checkpoints;

    private EmbeddedKafkaBroker broker;
    private KafkaProducer<String, String> producer;
    private JobClient job;
    private final long transactionalSuffix = System.nanoTime();

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(Topics.all());
        producer = new KafkaProducer<>(broker.producerProps());
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (job != null) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        producer.close();
        broker.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void swapsInAModelPublishedOnKafkaWithoutRestartAndTeachesFromTheOutcome() throws Exception {
        send(Topics.EVENTS, REPO, BuildEvents.started(REPO, 1, "s1", "mona", 0, T0));
        job = startJob();

        Prediction blind =
                broker.consume(Topics.PREDICTIONS, 1, Duration.ofSeconds(60)).get(0).value();
        assertThat(blind.risk()).isEqualTo(RiskLevel.UNKNOWN);
        assertThat(blind.modelVersion()).isNull();

        ModelVersion model = TestModels.constant("v1", T0, -3);
        send(Topics.MODELS, model.modelName(), model);
        Prediction scored = null;
        // the model and the events travel on different topics: start builds until one is
        // scored by the new model, a bounded number of times
        for (int run = 2; run < 30 && scored == null; run++) {
            send(
                    Topics.EVENTS,
                    REPO,
                    BuildEvents.started(REPO, run, "s" + run, "mona", 0, T0.plusSeconds(run)));
            scored =
                    broker.consume(Topics.PREDICTIONS, run, Duration.ofSeconds(30)).stream()
                            .map(ConsumerRecord::value)
                            .filter(p -> "v1".equals(p.modelVersion()))
                            .findFirst()
                            .orElse(null);
        }
        assertThat(scored).as("a prediction by the published model").isNotNull();
        assertThat(scored.risk()).isEqualTo(RiskLevel.CRITICAL);

        send(
                Topics.EVENTS,
                REPO,
                BuildEvents.completed(REPO, 1, "s1", "mona", 0, "failure", T0.plusSeconds(600)));
        ConsumerRecord<String, TrainingExample> example =
                broker.consume(Topics.TRAINING_EXAMPLES, 1, Duration.ofSeconds(60)).get(0);
        assertThat(example.key()).isEqualTo(REPO);
        assertThat(example.value().subjectId()).isEqualTo(1);
        assertThat(example.value().success()).isFalse();
        assertThat(example.value().features()).isEqualTo(blind.features());
        assertThat(broker.consume(Topics.PREDICTIONS, 1, Duration.ofSeconds(5)))
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(REPO));
    }

    /**
     * A job started without state (a new deployment, or a restart after its checkpoints were lost)
     * whose consumer group already committed offsets past the only model: the compacted models
     * topic is still read from its beginning, so the model scores the first build.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aJobStartedWithoutStateLoadsTheModelPublishedBeforeItsGroupsCommittedOffset()
            throws Exception {
        ModelVersion model = TestModels.constant("v1", T0, -3);
        send(Topics.MODELS, model.modelName(), model);
        commitGroupOffsetsAtTheEnd(Topics.MODELS);

        job = startJob();
        Prediction first = null;
        // the model and the events travel on different topics: start builds until one is
        // scored, a bounded number of times
        for (int run = 1; run < 30 && first == null; run++) {
            send(
                    Topics.EVENTS,
                    REPO,
                    BuildEvents.started(REPO, run, "s" + run, "mona", 0, T0.plusSeconds(run)));
            first =
                    broker.consume(Topics.PREDICTIONS, run, Duration.ofSeconds(30)).stream()
                            .map(ConsumerRecord::value)
                            .filter(p -> "v1".equals(p.modelVersion()))
                            .findFirst()
                            .orElse(null);
        }
        assertThat(first).as("a prediction by the model published before the start").isNotNull();
        assertThat(first.risk()).isEqualTo(RiskLevel.CRITICAL);
    }

    /** What an earlier run of the job left behind: its group's offsets at the topic's end. */
    private void commitGroupOffsetsAtTheEnd(Topic<String, ?> topic) {
        String group = jobConfig().groupId() + "." + topic.name();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        broker.consumerProps(group),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            Map<TopicPartition, OffsetAndMetadata> end = new HashMap<>();
            consumer.endOffsets(partitions)
                    .forEach((tp, o) -> end.put(tp, new OffsetAndMetadata(o)));
            assertThat(end.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
                    .as("the model is on the topic")
                    .isPositive();
            consumer.commitSync(end);
        }
    }

    private JobConfig jobConfig() {
        return JobConfig.defaults(broker.bootstrapServers())
                .withTransactionalIdPrefix("prediction-e2e-" + transactionalSuffix);
    }

    /** The pipeline wired to Kafka the way the Javadoc of {@link PredictionPipeline} says. */
    private JobClient startJob() throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        RepostreamJob.localConfiguration(checkpoints, Duration.ofMillis(500)));
        env.setParallelism(2);
        JobConfig config = jobConfig();
        DataStream<GitHubEvent> events =
                RepostreamJob.readEvents(
                        env,
                        KafkaConnectors.eventSource(config),
                        config.maxOutOfOrderness(),
                        config.sourceIdleness());
        DataStream<RepoPolicy> policies =
                env.fromSource(
                                KafkaConnectors.source(config, Topics.CONFIG),
                                EventTime.policies(),
                                "repo-policies",
                                JsonTypeInfo.of(RepoPolicy.class))
                        .uid("repo-policies-source");
        PredictionStreams streams =
                PredictionPipeline.attach(
                        events,
                        PredictionPipeline.models(env, PredictionPipeline.modelSource(config)),
                        policies);
        streams.predictions()
                .sinkTo(
                        KafkaConnectors.exactlyOnceSink(
                                config, Topics.PREDICTIONS, Prediction::repo))
                .uid("github-predictions-sink")
                .name("github-predictions");
        streams.trainingExamples()
                .sinkTo(
                        KafkaConnectors.exactlyOnceSink(
                                config, Topics.TRAINING_EXAMPLES, TrainingExample::repo))
                .uid("github-training-examples-sink")
                .name("github-training-examples");
        return env.executeAsync("prediction-e2e");
    }

    private <V> void send(Topic<String, V> topic, String key, V value) throws Exception {
        String json = new String(topic.valueCodec().encode(value), StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic.name(), key, json)).get();
    }
}
