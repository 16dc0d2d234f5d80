package io.repostream.flink.prediction;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.TrainingExample;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What {@link PredictionPipeline#attach} adds to a job.
 *
 * @param predictions one per trigger, for {@code github.predictions.v1}
 * @param trainingExamples one per labelled outcome of a prediction, for {@code
 *     github.training-examples.v1}
 * @param highRiskLabels proposed {@code ci/high-risk} labels, for the action rate governor
 */
public record PredictionStreams(
        DataStream<Prediction> predictions,
        DataStream<TrainingExample> trainingExamples,
        DataStream<ActionRecord> highRiskLabels) {}
