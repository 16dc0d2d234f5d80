package io.repostream.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A CI success prediction, on {@code github.predictions.v1}, keyed by repo.
 *
 * @param predictionId deterministic from the subject and the triggering event
 * @param repo lowercase {@code owner/repo}
 * @param subjectType {@code workflow_run} or {@code pull_request}
 * @param subjectId the run id or PR number
 * @param headSha the commit being built
 * @param successProbability 0..1, or null when no model was available
 * @param risk bucketed by policy thresholds; {@code UNKNOWN} without a model
 * @param modelVersion the model that scored it, or null
 * @param features the feature vector, in the model's order
 * @param eventTime event time of the trigger
 * @param predictedAt processing time of the prediction
 * @param causedBy the triggering event ids
 */
public record Prediction(
        String predictionId,
        String repo,
        String subjectType,
        long subjectId,
        String headSha,
        Double successProbability,
        RiskLevel risk,
        String modelVersion,
        Map<String, Double> features,
        Instant eventTime,
        Instant predictedAt,
        List<String> causedBy) {

    public Prediction {
        Require.text(predictionId, "prediction_id");
        repo = Require.repo(repo, "repo");
        Require.text(subjectType, "subject_type");
        if (successProbability != null && !(successProbability >= 0 && successProbability <= 1)) {
            throw new IllegalArgumentException(
                    "success_probability must be within 0..1, got " + successProbability);
        }
        Require.present(risk, "risk");
        if ((successProbability == null) != (risk == RiskLevel.UNKNOWN)) {
            throw new IllegalArgumentException(
                    "risk must be UNKNOWN exactly when success_probability is absent");
        }
        features = Require.map(features);
        Require.present(eventTime, "event_time");
        Require.present(predictedAt, "predicted_at");
        causedBy = Require.list(causedBy);
    }
}
