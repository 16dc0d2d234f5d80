package io.repostream.ml.data;

import java.time.Instant;
import java.util.List;

/**
 * One CI build whose outcome is known, with features that were computable before it started.
 *
 * @param ref where it came from, for error messages ({@code builds.csv line 12}, an example id)
 * @param startedAt when the build started: features must not use anything later. Null when the
 *     input has no times: builds are then in input order, one after another, and a build's outcome
 *     is known to every later build
 * @param finishedAt when its outcome became known; later builds may use the outcome only after this
 *     instant (null: assume at {@code startedAt})
 * @param success the outcome
 * @param features values in {@link BuildTable#featureNames()} order; NaN means missing
 * @param groups one key per {@link BuildTable#historyGroupings()} entry (e.g. the project, or
 *     project and branch), the history each build belongs to
 */
public record LabeledBuild(
        String ref,
        Instant startedAt,
        Instant finishedAt,
        boolean success,
        double[] features,
        List<String> groups) {

    public LabeledBuild {
        if (startedAt == null && finishedAt != null) {
            throw new IllegalArgumentException(
                    ref + ": finished at " + finishedAt + " but has no start time");
        }
        if (finishedAt != null && finishedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException(
                    ref + ": finished " + finishedAt + " before it started " + startedAt);
        }
        features = features.clone();
        groups = List.copyOf(groups);
    }

    /**
     * The instant from which later builds may know this build's outcome; null without times (known
     * to every later build).
     */
    public Instant outcomeKnownAt() {
        return finishedAt == null ? startedAt : finishedAt;
    }

    @Override
    public double[] features() {
        return features.clone();
    }

    /** The features without copying; callers must not modify the array. */
    double[] featuresView() {
        return features;
    }

    public double feature(int index) {
        return features[index];
    }

    public LabeledBuild withFeatures(double[] newFeatures) {
        return new LabeledBuild(ref, startedAt, finishedAt, success, newFeatures, groups);
    }

    public LabeledBuild withSuccess(boolean newSuccess) {
        return new LabeledBuild(ref, startedAt, finishedAt, newSuccess, features, groups);
    }
}
