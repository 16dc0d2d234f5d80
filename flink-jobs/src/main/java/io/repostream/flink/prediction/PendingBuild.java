package io.repostream.flink.prediction;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A prediction waiting for its outcome: the feature vector exactly as computed at the trigger, so
 * the training example carries the same vector the model saw.
 *
 * @param predictionId the prediction's id
 * @param subjectType {@code workflow_run} or {@code pull_request}
 * @param subjectId run id or PR number
 * @param headSha the commit being built
 * @param runAttempt the run's attempt (runs only)
 * @param features the vector, in feature-set order
 * @param featuresAt event time of the trigger
 * @param expiresAt event time at which it is dropped if no outcome came
 * @param causedBy the trigger's event id
 */
public record PendingBuild(
        String predictionId,
        String subjectType,
        long subjectId,
        String headSha,
        Integer runAttempt,
        Map<String, Double> features,
        Instant featuresAt,
        Instant expiresAt,
        List<String> causedBy) {}
