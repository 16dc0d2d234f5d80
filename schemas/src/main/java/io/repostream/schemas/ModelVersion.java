package io.repostream.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A published model, on {@code github.models.v1} (compacted by model name: the latest wins).
 *
 * @param modelName e.g. {@code ci-success}
 * @param version unique, sortable (e.g. {@code 20261121T220000Z-3f2a})
 * @param createdAt when training finished
 * @param format how {@link #artifactBase64} is encoded (e.g. {@code dl4j-multilayer-zip})
 * @param featureSet the feature definitions the model expects
 * @param featureNames input order
 * @param means standardisation means, one per feature
 * @param stds standardisation deviations, one per feature
 * @param artifactBase64 the serialised network
 * @param artifactSha256 hex SHA-256 of the decoded artifact
 * @param metrics evaluation figures on held-out data (roc_auc, recall_failed, ...)
 * @param trainedOn a description of the training data
 * @param forced published without beating the champion
 */
public record ModelVersion(
        String modelName,
        String version,
        Instant createdAt,
        String format,
        String featureSet,
        List<String> featureNames,
        List<Double> means,
        List<Double> stds,
        String artifactBase64,
        String artifactSha256,
        Map<String, Double> metrics,
        String trainedOn,
        boolean forced) {

    public ModelVersion {
        Require.text(modelName, "model_name");
        Require.text(version, "version");
        Require.present(createdAt, "created_at");
        Require.text(format, "format");
        Require.text(featureSet, "feature_set");
        featureNames = Require.list(featureNames);
        means = Require.list(means);
        stds = Require.list(stds);
        if (featureNames.isEmpty()
                || means.size() != featureNames.size()
                || stds.size() != featureNames.size()) {
            throw new IllegalArgumentException(
                    "feature_names, means and stds must be non-empty and of equal length, got "
                            + featureNames.size()
                            + ", "
                            + means.size()
                            + ", "
                            + stds.size());
        }
        Require.text(artifactBase64, "artifact_base64");
        Require.text(artifactSha256, "artifact_sha256");
        metrics = Require.map(metrics);
    }
}
