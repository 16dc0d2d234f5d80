package io.repostream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The format on its own: an untrained network written as ml-training writes it (a {@code
 * ModelSerializer} zip, base64 and its SHA-256 in a {@link ModelVersion}) loads and scores as the
 * network does, and a record that is not that format is refused with the model named. The round
 * trip with a trained model is ml-training's {@code ModelScorerTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelScorerTest {
    private static final List<String> FEATURES = List.of("hour_of_day", "run_attempt", "churn");
    private static final Standardizer STANDARDIZER =
            new Standardizer(new double[] {12, 1, 40}, new double[] {6, 0.5, 30});
    private static final MultiLayerNetwork NETWORK = network();
    private static final double[][] ROWS = {{10, 1, 12}, {23, 3, 400}, {0, 1, 0}};

    private static MultiLayerNetwork network() {
        MultiLayerNetwork net =
                new MultiLayerNetwork(
                        new NeuralNetConfiguration.Builder()
                                .seed(7)
                                .dataType(DataType.FLOAT)
                                .weightInit(WeightInit.XAVIER)
                                .list()
                                .layer(
                                        new DenseLayer.Builder()
                                                .nIn(FEATURES.size())
                                                .nOut(4)
                                                .activation(Activation.RELU)
                                                .build())
                                .layer(
                                        new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                                                .nIn(4)
                                                .nOut(1)
                                                .activation(Activation.SIGMOID)
                                                .build())
                                .build());
        net.init();
        return net;
    }

    private static ModelVersion published() {
        byte[] artifact = ModelArtifact.zip(NETWORK);
        return new ModelVersion(
                "ci-success",
                "20261207T070000Z-test",
                Instant.parse("2026-12-07T07:00:00Z"),
                ModelScorer.FORMAT,
                "ci-features@1",
                FEATURES,
                STANDARDIZER.meanList(),
                STANDARDIZER.stdList(),
                Base64.getEncoder().encodeToString(artifact),
                ModelArtifact.sha256(artifact),
                Map.of(),
                "an untrained network",
                false);
    }

    /** Through JSON exactly as a consumer of github.models.v1 receives it. */
    private static ModelVersion overTheWire(ModelVersion v) {
        return Topics.MODELS.valueCodec().decode(Topics.MODELS.valueCodec().encode(v));
    }

    @Test
    void aPublishedModelScoresAsTheNetworkItWasWrittenFrom() {
        ModelScorer loaded = ModelScorer.load(overTheWire(published()));
        double[] expected =
                new ModelScorer(NETWORK, STANDARDIZER, FEATURES, "in memory")
                        .successProbabilities(ROWS);

        double[] actual = loaded.successProbabilities(ROWS);

        assertThat(loaded.featureNames()).isEqualTo(FEATURES);
        assertThat(loaded.standardizer().means()).isEqualTo(STANDARDIZER.means());
        assertThat(loaded.standardizer().stds()).isEqualTo(STANDARDIZER.stds());
        assertThat(loaded.version()).isEqualTo("20261207T070000Z-test");
        for (int i = 0; i < ROWS.length; i++) {
            assertThat(actual[i]).isBetween(0.0, 1.0).isCloseTo(expected[i], within(1e-6));
        }
        assertThat(loaded.copy().successProbabilities(ROWS)).containsExactly(actual);
    }

    private static ModelVersion withCalibration(ModelVersion v, ModelVersion.Calibration c) {
        return new ModelVersion(
                v.modelName(),
                v.version(),
                v.createdAt(),
                v.format(),
                v.featureSet(),
                v.featureNames(),
                v.means(),
                v.stds(),
                v.artifactBase64(),
                v.artifactSha256(),
                v.metrics(),
                v.trainedOn(),
                v.forced(),
                c);
    }

    @Test
    void aStoredPlattCalibrationMapsTheNetworksFailureProbability() {
        double a = 0.5;
        double b = -1.2;
        ModelScorer raw = ModelScorer.load(published());
        ModelScorer calibrated =
                ModelScorer.load(
                        overTheWire(
                                withCalibration(
                                        published(), ModelVersion.Calibration.platt(a, b))));

        double[] pRaw = raw.successProbabilities(ROWS);
        double[] pCal = calibrated.successProbabilities(ROWS);

        for (int i = 0; i < ROWS.length; i++) {
            double failure = 1 - pRaw[i];
            double expectedFailure =
                    1 / (1 + Math.exp(-(a * Math.log(failure / (1 - failure)) + b)));
            assertThat(1 - pCal[i]).isCloseTo(expectedFailure, within(1e-6));
        }
        assertThat(calibrated.copy().successProbabilities(ROWS)).containsExactly(pCal);
    }

    @Test
    void aStoredIsotonicCalibrationInterpolatesBetweenItsPoints() {
        ModelVersion.Calibration steps =
                ModelVersion.Calibration.isotonic(List.of(0.2, 0.6), List.of(0.1, 0.3));
        ProbabilityCalibration c = ProbabilityCalibration.of(steps);

        assertThat(c.failureProbability(0.0)).isEqualTo(0.1);
        assertThat(c.failureProbability(0.4)).isCloseTo(0.2, within(1e-12));
        assertThat(c.failureProbability(0.9)).isEqualTo(0.3);
        ModelScorer loaded = ModelScorer.load(overTheWire(withCalibration(published(), steps)));
        double[] pRaw = ModelScorer.load(published()).successProbabilities(ROWS);
        double[] pCal = loaded.successProbabilities(ROWS);
        for (int i = 0; i < ROWS.length; i++) {
            assertThat(1 - pCal[i]).isCloseTo(c.failureProbability(1 - pRaw[i]), within(1e-9));
        }
    }

    @Test
    void aModelPublishedBeforeCalibrationExistedStillLoadsAndScoresAsBefore() throws Exception {
        var json = Json.mapper().readTree(Topics.MODELS.valueCodec().encode(published()));
        assertThat(json.has("calibration")).isFalse();

        ModelVersion old = Topics.MODELS.valueCodec().decode(Json.mapper().writeValueAsBytes(json));

        assertThat(old.calibration()).isNull();
        assertThat(ModelScorer.load(old).successProbabilities(ROWS))
                .containsExactly(
                        new ModelScorer(NETWORK, STANDARDIZER, FEATURES, "in memory")
                                .successProbabilities(ROWS));
    }

    @Test
    void aCalibrationThatIsNotMonotoneIsRefused() {
        assertThatThrownBy(
                        () ->
                                ModelVersion.Calibration.isotonic(
                                        List.of(0.2, 0.6), List.of(0.3, 0.1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-decreasing");
        assertThatThrownBy(() -> new ModelVersion.Calibration("beta", 1.0, 0.0, null, null))
                .hasMessageContaining("unknown calibration method 'beta'");
    }

    @Test
    void anAbsentFeatureCountsAsItsTrainingMean() {
        ModelScorer scorer = ModelScorer.load(published());
        double[] withMean = {10, STANDARDIZER.means()[1], 12};

        double p =
                scorer.successProbabilitiesOf(List.of(Map.of("hour_of_day", 10.0, "churn", 12.0)))[
                        0];

        assertThat(p)
                .isCloseTo(scorer.successProbabilities(new double[][] {withMean})[0], within(1e-9));
    }

    private static ModelVersion with(
            ModelVersion v, String format, String artifact, String sha, List<String> names) {
        return new ModelVersion(
                v.modelName(),
                v.version(),
                v.createdAt(),
                format,
                v.featureSet(),
                names,
                names.size() == v.means().size() ? v.means() : List.of(0.0, 0.0),
                names.size() == v.stds().size() ? v.stds() : List.of(1.0, 1.0),
                artifact,
                sha,
                v.metrics(),
                v.trainedOn(),
                v.forced());
    }

    static Stream<Arguments> recordsNotInTheFormat() {
        UnaryOperator<ModelVersion> otherFormat =
                v -> with(v, "onnx", v.artifactBase64(), v.artifactSha256(), v.featureNames());
        UnaryOperator<ModelVersion> notBase64 =
                v -> with(v, v.format(), "not base64!", v.artifactSha256(), v.featureNames());
        UnaryOperator<ModelVersion> otherSha =
                v -> with(v, v.format(), v.artifactBase64(), "0".repeat(64), v.featureNames());
        UnaryOperator<ModelVersion> twoFeatures =
                v ->
                        with(
                                v,
                                v.format(),
                                v.artifactBase64(),
                                v.artifactSha256(),
                                List.of("hour_of_day", "run_attempt"));
        return Stream.of(
                Arguments.of("another format", otherFormat, "has format 'onnx'"),
                Arguments.of("an artifact not in base64", notBase64, "artifact is not base64"),
                Arguments.of("an artifact its SHA-256 does not name", otherSha, "SHA-256"),
                Arguments.of("fewer features than the network's inputs", twoFeatures, "3 inputs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsNotInTheFormat")
    void aRecordNotInTheFormatIsRefusedWithTheModelNamed(
            String what, UnaryOperator<ModelVersion> change, String reason) {
        ModelVersion bad = change.apply(published());

        assertThatThrownBy(() -> ModelScorer.load(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("20261207T070000Z-test")
                .hasMessageContaining(reason);
    }

    @Test
    void refusesRowsOfTheWrongWidth() {
        ModelScorer scorer = ModelScorer.load(published());

        assertThatThrownBy(() -> scorer.successProbabilities(new double[][] {{1, 2}}))
                .hasMessageContaining("row has 2 features, expected 3");
    }
}
