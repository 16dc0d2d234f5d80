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
 * @param calibration how to map the model's failure probability to a calibrated one; null (absent,
 *     as in models published before it existed) = use the model's probability as it is
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
        boolean forced,
        Calibration calibration) {

    /** A model without calibration (its probabilities are used as the network gives them). */
    public ModelVersion(
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
        this(
                modelName,
                version,
                createdAt,
                format,
                featureSet,
                featureNames,
                means,
                stds,
                artifactBase64,
                artifactSha256,
                metrics,
                trainedOn,
                forced,
                null);
    }

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

    /**
     * A map from the model's failure probability (1 − P(success)) to a calibrated one, fitted on
     * held-out builds.
     *
     * @param method {@link #PLATT} ({@code 1 / (1 + exp(-(a · logit(p) + b)))}) or {@link
     *     #ISOTONIC} (linear interpolation through the points {@code (x[i], y[i])}, constant beyond
     *     the first and last)
     * @param a Platt's slope (Platt only)
     * @param b Platt's offset (Platt only)
     * @param x isotonic: ascending failure probabilities of the model (isotonic only)
     * @param y isotonic: the calibrated failure probability at each {@code x}, non-decreasing
     */
    public record Calibration(String method, Double a, Double b, List<Double> x, List<Double> y) {
        public static final String PLATT = "platt";
        public static final String ISOTONIC = "isotonic";

        public Calibration {
            Require.text(method, "calibration.method");
            x = x == null ? List.of() : List.copyOf(x);
            y = y == null ? List.of() : List.copyOf(y);
            switch (method) {
                case PLATT -> {
                    if (a == null || b == null || !Double.isFinite(a) || !Double.isFinite(b)) {
                        throw new IllegalArgumentException(
                                "platt calibration needs finite a and b, got " + a + ", " + b);
                    }
                }
                case ISOTONIC -> {
                    if (x.isEmpty() || x.size() != y.size()) {
                        throw new IllegalArgumentException(
                                "isotonic calibration needs x and y of equal, non-zero length, got "
                                        + x.size()
                                        + ", "
                                        + y.size());
                    }
                    for (int i = 0; i < x.size(); i++) {
                        boolean inRange = x.get(i) >= 0 && x.get(i) <= 1;
                        inRange &= y.get(i) >= 0 && y.get(i) <= 1;
                        if (!inRange
                                || (i > 0
                                        && (x.get(i) < x.get(i - 1) || y.get(i) < y.get(i - 1)))) {
                            throw new IllegalArgumentException(
                                    "isotonic calibration needs ascending x and non-decreasing y"
                                            + " in [0, 1]; point "
                                            + i
                                            + " breaks it");
                        }
                    }
                }
                default ->
                        throw new IllegalArgumentException(
                                "unknown calibration method '"
                                        + method
                                        + "', expected platt or isotonic");
            }
        }

        public static Calibration platt(double a, double b) {
            return new Calibration(PLATT, a, b, null, null);
        }

        public static Calibration isotonic(List<Double> x, List<Double> y) {
            return new Calibration(ISOTONIC, null, null, x, y);
        }
    }
}
