package io.repostream.ml.train;

/**
 * One finished epoch, for progress display.
 *
 * @param epoch 1-based
 * @param maxEpochs the configured upper bound
 * @param trainLoss mean loss of the epoch's minibatches
 * @param validationAuc ROC-AUC on the validation rows (NaN if they hold one class only)
 * @param validationLogLoss cross-entropy on the validation rows
 * @param improved whether this epoch is the best so far (its weights are kept)
 */
public record EpochProgress(
        int epoch,
        int maxEpochs,
        double trainLoss,
        double validationAuc,
        double validationLogLoss,
        boolean improved) {}
