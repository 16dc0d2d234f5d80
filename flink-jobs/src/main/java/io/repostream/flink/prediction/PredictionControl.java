package io.repostream.flink.prediction;

import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.RepoPolicy;

/**
 * One element of the predictor's broadcast input: a published model or a repo policy (a keyed
 * broadcast function has one broadcast input, and the predictor needs both). Exactly one is set.
 */
public record PredictionControl(ModelVersion model, RepoPolicy policy) {
    public PredictionControl {
        if ((model == null) == (policy == null)) {
            throw new IllegalArgumentException("a control element is a model or a policy");
        }
    }

    public static PredictionControl of(ModelVersion model) {
        return new PredictionControl(model, null);
    }

    public static PredictionControl of(RepoPolicy policy) {
        return new PredictionControl(null, policy);
    }
}
