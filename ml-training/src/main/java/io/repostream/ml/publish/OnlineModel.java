package io.repostream.ml.publish;

/**
 * The model the Flink job scores with: it follows one name on {@code github.models.v1} and loads
 * only models of the feature set it computes. Flink's {@code CiSuccessPredictor.DEFAULT_MODEL_NAME}
 * and {@code CiFeatures.FEATURE_SET} are the same values (a flink-jobs test holds them together).
 *
 * <p>The topic keeps one model per name, so a model of another feature set published under this
 * name is refused by the job, and once compacted it has replaced the one the job could load.
 */
public final class OnlineModel {
    /** The model name the Flink job follows (and the trainer's default {@code --model-name}). */
    public static final String NAME = "ci-success";

    /** The feature set the Flink job computes (its {@code CiFeatures}). */
    public static final String FEATURE_SET = "ci-online-v1";

    private OnlineModel() {}

    /** Whether the Flink job would load a model of {@code featureSet} published as {@code name}. */
    public static boolean rejects(String name, String featureSet) {
        return NAME.equals(name) && !FEATURE_SET.equals(featureSet);
    }

    /**
     * Refuses to publish under {@link #NAME} a model the Flink job would not load.
     *
     * @throws IllegalArgumentException saying why and what to do instead
     */
    public static void requireLoadable(String name, String featureSet) {
        if (rejects(name, featureSet)) {
            throw new IllegalArgumentException(
                    "refusing to publish a model of feature set '"
                            + featureSet
                            + "' as '"
                            + NAME
                            + "': the Flink job follows that name and loads only feature set '"
                            + FEATURE_SET
                            + "', so it would refuse this model, and later retrains from"
                            + " github.training-examples.v1 could not be compared with it. Publish"
                            + " it under another --model-name, or pass"
                            + " --allow-offline-feature-set to publish it as '"
                            + NAME
                            + "' anyway");
        }
    }
}
