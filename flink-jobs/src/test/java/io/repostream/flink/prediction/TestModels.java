package io.repostream.flink.prediction;

import io.repostream.ml.train.SuccessNetwork;
import io.repostream.model.ModelArtifact;
import io.repostream.model.ModelScorer;
import io.repostream.schemas.ModelVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Published models of the online feature set, built with the trainer's own network. */
final class TestModels {
    /** The trainer's standard network has its output (sigmoid) layer last. */
    private static final int OUTPUT_LAYER = 4;

    private TestModels() {}

    /** A model with random weights: its scores depend on every feature. */
    static ModelVersion random(String version, Instant createdAt, long seed) {
        return publish(network(seed), version, createdAt, CiFeatures.FEATURE_SET, seed);
    }

    /** A model that scores every build {@code sigmoid(bias)}, whatever its features. */
    static ModelVersion constant(String version, Instant createdAt, double bias) {
        MultiLayerNetwork net = network(1);
        net.getLayer(OUTPUT_LAYER).getParam("W").assign(0);
        net.getLayer(OUTPUT_LAYER).getParam("b").assign(bias);
        return publish(net, version, createdAt, CiFeatures.FEATURE_SET, 1);
    }

    /** A random model trained on another feature set. */
    static ModelVersion ofFeatureSet(String featureSet, String version, Instant createdAt) {
        return publish(network(3), version, createdAt, featureSet, 3);
    }

    /** {@code model} with an artifact that is not the one its SHA-256 names. */
    static ModelVersion tampered(ModelVersion model) {
        byte[] artifact = Base64.getDecoder().decode(model.artifactBase64());
        artifact[artifact.length / 2] ^= 0x5a;
        return new ModelVersion(
                model.modelName(),
                model.version(),
                model.createdAt(),
                model.format(),
                model.featureSet(),
                model.featureNames(),
                model.means(),
                model.stds(),
                Base64.getEncoder().encodeToString(artifact),
                model.artifactSha256(),
                model.metrics(),
                model.trainedOn(),
                model.forced());
    }

    /** {@code model} carrying {@code calibration}, as the trainer publishes it. */
    static ModelVersion calibrated(ModelVersion model, ModelVersion.Calibration calibration) {
        return new ModelVersion(
                model.modelName(),
                model.version(),
                model.createdAt(),
                model.format(),
                model.featureSet(),
                model.featureNames(),
                model.means(),
                model.stds(),
                model.artifactBase64(),
                model.artifactSha256(),
                model.metrics(),
                model.trainedOn(),
                model.forced(),
                calibration);
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static MultiLayerNetwork network(long seed) {
        return SuccessNetwork.create(CiFeatures.NAMES.size(), seed, 1e-3, 0);
    }

    private static ModelVersion publish(
            MultiLayerNetwork net,
            String version,
            Instant createdAt,
            String featureSet,
            long seed) {
        Random random = new Random(seed);
        List<Double> means = new ArrayList<>();
        List<Double> stds = new ArrayList<>();
        for (int i = 0; i < CiFeatures.NAMES.size(); i++) {
            means.add(random.nextDouble() * 3);
            stds.add(0.5 + random.nextDouble() * 2);
        }
        byte[] artifact = ModelArtifact.zip(net);
        return new ModelVersion(
                CiSuccessPredictor.DEFAULT_MODEL_NAME,
                version,
                createdAt,
                ModelScorer.FORMAT,
                featureSet,
                CiFeatures.NAMES,
                means,
                stds,
                Base64.getEncoder().encodeToString(artifact),
                ModelArtifact.sha256(artifact),
                Map.of("roc_auc", 0.7),
                "test network, seed " + seed,
                false);
    }
}
