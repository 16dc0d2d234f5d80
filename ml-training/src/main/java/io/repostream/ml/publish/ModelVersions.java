package io.repostream.ml.publish;

import io.repostream.ml.train.TrainedModel;
import io.repostream.model.ModelArtifact;
import io.repostream.model.ModelScorer;
import io.repostream.schemas.ModelVersion;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;

/** Turns a trained model into the {@link ModelVersion} record that carries it. */
public final class ModelVersions {
    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private ModelVersions() {}

    /** A sortable, unique version: creation time, then the artifact's hash prefix. */
    public static String version(Instant createdAt, String artifactSha256) {
        return VERSION_TIME.format(createdAt) + "-" + artifactSha256.substring(0, 8);
    }

    public static ModelVersion of(
            TrainedModel model,
            String modelName,
            String featureSet,
            Map<String, Double> metrics,
            String trainedOn,
            boolean forced,
            Instant createdAt) {
        return of(model, modelName, featureSet, metrics, trainedOn, forced, createdAt, null);
    }

    /**
     * @param calibration stored with the model and applied by every reader; null = none
     */
    public static ModelVersion of(
            TrainedModel model,
            String modelName,
            String featureSet,
            Map<String, Double> metrics,
            String trainedOn,
            boolean forced,
            Instant createdAt,
            ModelVersion.Calibration calibration) {
        byte[] artifact = ModelArtifact.zip(model.network());
        String sha = ModelArtifact.sha256(artifact);
        return new ModelVersion(
                modelName,
                version(createdAt, sha),
                createdAt,
                ModelScorer.FORMAT,
                featureSet,
                model.featureNames(),
                model.standardizer().meanList(),
                model.standardizer().stdList(),
                Base64.getEncoder().encodeToString(artifact),
                sha,
                metrics,
                trainedOn,
                forced,
                calibration);
    }
}
