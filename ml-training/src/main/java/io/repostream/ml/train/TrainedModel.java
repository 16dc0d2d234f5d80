package io.repostream.ml.train;

import io.repostream.model.ModelScorer;
import io.repostream.model.ProbabilityCalibration;
import io.repostream.model.Standardizer;
import io.repostream.schemas.ModelVersion;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained network with the standardisation it expects.
 *
 * @param network the weights of the best validation epoch
 * @param standardizer fitted on the training rows
 * @param featureNames input order
 * @param bestEpoch the epoch whose weights were kept
 * @param epochsRun epochs trained before early stopping
 * @param bestValidationAuc validation ROC-AUC of the kept weights
 */
public record TrainedModel(
        MultiLayerNetwork network,
        Standardizer standardizer,
        List<String> featureNames,
        int bestEpoch,
        int epochsRun,
        double bestValidationAuc) {

    public ModelScorer scorer(String version) {
        return new ModelScorer(network, standardizer, featureNames, version);
    }

    /** A scorer that applies {@code calibration} (null = none), as the published model will. */
    public ModelScorer scorer(String version, ModelVersion.Calibration calibration) {
        return new ModelScorer(
                network,
                standardizer,
                featureNames,
                version,
                ProbabilityCalibration.of(calibration));
    }
}
