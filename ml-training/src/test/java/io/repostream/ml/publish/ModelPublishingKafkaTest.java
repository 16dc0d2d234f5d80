package io.repostream.ml.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.ml.TestData;
import io.repostream.ml.TrainerMain;
import io.repostream.ml.TrainingJob;
import io.repostream.ml.eval.ChampionDecision.Outcome;
import io.repostream.ml.train.TrainingConfig;
import io.repostream.model.ModelScorer;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.TrainingExample;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Champion/challenger through a real Kafka broker: what is on github.models.v1 afterwards. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ModelPublishingKafkaTest {
    private static final String KAFKA_PASSWORD = "ml-training-kafka-password";

    private static EmbeddedKafkaBroker kafka;

    @TempDir Path dir;

    @BeforeAll
    static void startKafka() {
        // with a SASL listener too, for the run that authenticates like a secured cluster wants
        kafka = EmbeddedKafkaBroker.startWithSaslPlain("repostream", KAFKA_PASSWORD);
        kafka.createTopics(Topics.all());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ModelRegistry registry() {
        return new ModelRegistry(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), Duration.ofSeconds(30));
    }

    private static TrainingJob.Result train(TrainingConfig config, String name, boolean force)
            throws Exception {
        return new TrainingJob(config, 0.7, 0.15, p -> {}, Clock.systemUTC())
                .run(TestData.dataset(), name, Optional.of(registry()), force, 0.0);
    }

    /** One epoch at a tiny learning rate: barely better than its random start. */
    private static TrainingConfig barelyTrained(long seed) {
        return new TrainingConfig(seed, 1, 1, 64, 1e-6, 0);
    }

    private static List<ModelVersion> published(String name, int atLeast) {
        return kafka.consume(Topics.MODELS, atLeast, Duration.ofSeconds(30)).stream()
                .filter(r -> name.equals(r.key()))
                .map(ConsumerRecord::value)
                .toList();
    }

    @Test
    void publishesTheFirstModelThenOnlyChallengersThatBeatTheChampion() throws Exception {
        String name = "ci-success-cc";
        TrainingJob.Result weak = train(barelyTrained(5), name, false);
        assertThat(weak.report().champion().outcome()).isEqualTo(Outcome.FIRST_MODEL);
        assertThat(weak.published()).isTrue();
        assertThat(registry().champion(name)).contains(weak.model());

        TrainingJob.Result good = train(TestData.quickConfig(), name, false);
        assertThat(good.report().champion().outcome()).isEqualTo(Outcome.BEATS_CHAMPION);
        assertThat(good.report().champion().championVersion()).isEqualTo(weak.model().version());
        assertThat(registry().champion(name)).contains(good.model());

        TrainingJob.Result worse = train(barelyTrained(6), name, false);
        assertThat(worse.report().champion().outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(worse.published()).isFalse();
        assertThat(registry().champion(name)).contains(good.model());
        assertThat(published(name, 2))
                .extracting(ModelVersion::version)
                .containsExactly(weak.model().version(), good.model().version());

        TrainingJob.Result forced = train(barelyTrained(7), name, true);
        assertThat(forced.report().champion().outcome()).isEqualTo(Outcome.FORCED);
        ModelVersion champion = registry().champion(name).orElseThrow();
        assertThat(champion.version()).isEqualTo(forced.model().version());
        assertThat(champion.forced()).isTrue();
        // what the Flink job will load from the topic scores builds
        assertThat(
                        ModelScorer.load(champion)
                                .successProbabilities(
                                        new double[][] {
                                            new double[champion.featureNames().size()]
                                        }))
                .hasSize(1);
    }

    @Test
    void theCliPublishesAndThenKeepsTheChampionWhenTheChallengerIsNoBetter() {
        Path csv = TestData.writeCsv(dir, 700, 33, 1.0);
        String[] args = {
            "--csv", csv.toString(),
            "--preset", "travistorrent",
            "--model-name", "ci-success-cli",
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--max-epochs", "8",
            "--patience", "3",
            "--learning-rate", "0.003",
            "--out", dir.resolve("out").toString()
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(TrainerMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args))
                .as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("FIRST_MODEL");

        String[] again = java.util.Arrays.copyOf(args, args.length + 2);
        again[args.length] = "--min-gain";
        again[args.length + 1] = "0.05";
        assertThat(TrainerMain.run(new PrintWriter(out, true), new PrintWriter(err, true), again))
                .isEqualTo(3);
        assertThat(out.toString()).contains("REFUSED").contains("champion kept");
        assertThat(published("ci-success-cli", 1)).hasSize(1);

        // a scheduler that counts any non-zero exit as a failed run can ask for 0 instead
        String[] scheduled = java.util.Arrays.copyOf(again, again.length + 2);
        scheduled[again.length] = "--exit-code-when-kept";
        scheduled[again.length + 1] = "0";
        assertThat(
                        TrainerMain.run(
                                new PrintWriter(out, true), new PrintWriter(err, true), scheduled))
                .isZero();
        assertThat(published("ci-success-cli", 1)).hasSize(1);
    }

    @Test
    void trainsFromTheTrainingExamplesTopicAndPublishesThroughAnAuthenticatedListener()
            throws Exception {
        Path credentials =
                kafka.writeSaslClientProperties(dir.resolve("client.properties"), KAFKA_PASSWORD);
        List<TrainingExample> examples = TestData.trainingExamples(900);
        try (KafkaProducer<String, TrainingExample> producer =
                new KafkaProducer<>(
                        kafka.producerProps(),
                        new StringSerializer(),
                        Topics.TRAINING_EXAMPLES.valueSerde().serializer())) {
            for (TrainingExample e : examples) {
                producer.send(new ProducerRecord<>(Topics.TRAINING_EXAMPLES.name(), e.repo(), e));
            }
            producer.flush();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                TrainerMain.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "--training-topic",
                        "--bootstrap-servers",
                        kafka.saslBootstrapServers(),
                        "--kafka-properties-file",
                        credentials.toString(),
                        "--model-name",
                        "ci-success-topic",
                        "--max-epochs",
                        "8",
                        "--patience",
                        "3",
                        "--learning-rate",
                        "0.003",
                        "--out",
                        dir.resolve("out").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString() + err).contains("900 builds").doesNotContain(KAFKA_PASSWORD);
        ModelVersion model = registry().champion("ci-success-topic").orElseThrow();
        assertThat(model.featureSet()).isEqualTo("pipeline-v1");
    }

    /**
     * A CSV model under the name the Flink job follows would be refused by the job and, once the
     * topic is compacted, would have replaced the model it can load; every scheduled retrain from
     * the pipeline's examples was then REFUSED (its features differ) and, with {@code
     * --exit-code-when-kept 0}, exited 0 without a word.
     */
    @Test
    void refusesAnOfflineFeatureSetUnderTheOnlineNameAndARetrainFromThePipelineReplacesOne()
            throws Exception {
        Path csv = TestData.writeCsv(dir, 700, 34, 1.0);
        String[] csvRun = {
            "--csv", csv.toString(),
            "--preset", "travistorrent",
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--max-epochs", "4",
            "--patience", "2",
            "--learning-rate", "0.003",
            "--out", dir.resolve("csv-out").toString()
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(TrainerMain.run(new PrintWriter(out, true), new PrintWriter(err, true), csvRun))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("refusing to publish a model of feature set 'travistorrent-v1'")
                .contains("loads only feature set '" + OnlineModel.FEATURE_SET + "'");
        assertThat(dir.resolve("csv-out")).as("stopped before training").doesNotExist();
        assertThat(registry().champion(OnlineModel.NAME)).isEmpty();

        String[] allowed = java.util.Arrays.copyOf(csvRun, csvRun.length + 1);
        allowed[csvRun.length] = "--allow-offline-feature-set";
        assertThat(TrainerMain.run(new PrintWriter(out, true), new PrintWriter(err, true), allowed))
                .as(err.toString())
                .isZero();
        assertThat(registry().champion(OnlineModel.NAME).orElseThrow().featureSet())
                .isEqualTo("travistorrent-v1");

        // the scheduled retrain (helm's CronJob) on what the pipeline computed
        List<String> lines = new java.util.ArrayList<>();
        for (TrainingExample e : TestData.trainingExamples(900, OnlineModel.FEATURE_SET)) {
            lines.add(
                    new String(
                            Topics.TRAINING_EXAMPLES.valueCodec().encode(e),
                            java.nio.charset.StandardCharsets.UTF_8));
        }
        Path jsonl = java.nio.file.Files.write(dir.resolve("online.jsonl"), lines);
        int code =
                TrainerMain.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "--training-examples",
                        jsonl.toString(),
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--exit-code-when-kept",
                        "0",
                        "--max-epochs",
                        "4",
                        "--patience",
                        "2",
                        "--learning-rate",
                        "0.003",
                        "--out",
                        dir.resolve("online-out").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("REPLACES_UNLOADABLE");
        ModelVersion champion = registry().champion(OnlineModel.NAME).orElseThrow();
        assertThat(champion.featureSet()).isEqualTo(OnlineModel.FEATURE_SET);
        assertThat(champion.forced()).isFalse();
    }
}
