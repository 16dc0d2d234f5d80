package io.repostream.schemas;

import java.time.Instant;
import java.util.Map;

/**
 * A feature vector computed before a CI outcome was known, joined with that outcome, on {@code
 * github.training-examples.v1}.
 *
 * @param exampleId deterministic from the subject
 * @param repo lowercase {@code owner/repo}
 * @param subjectType {@code workflow_run} or {@code pull_request}
 * @param subjectId run id or PR number
 * @param featureSet names the feature definitions (bumped when they change)
 * @param features the vector, in order
 * @param success whether CI passed
 * @param conclusion GitHub's conclusion ({@code success}, {@code failure}, ...)
 * @param featuresAt event time at which the features were computed
 * @param completedAt event time of the outcome
 */
public record TrainingExample(
        String exampleId,
        String repo,
        String subjectType,
        long subjectId,
        String featureSet,
        Map<String, Double> features,
        boolean success,
        String conclusion,
        Instant featuresAt,
        Instant completedAt) {

    public TrainingExample {
        Require.text(exampleId, "example_id");
        repo = Require.repo(repo, "repo");
        Require.text(subjectType, "subject_type");
        Require.text(featureSet, "feature_set");
        features = Require.map(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("features must not be empty");
        }
        Require.present(featuresAt, "features_at");
        Require.present(completedAt, "completed_at");
        if (completedAt.isBefore(featuresAt)) {
            throw new IllegalArgumentException(
                    "completed_at " + completedAt + " is before features_at " + featuresAt);
        }
    }
}
