package io.repostream.ml.train;

/**
 * How to train.
 *
 * @param seed makes initial weights, shuffling and resampling repeatable
 * @param maxEpochs upper bound on passes over the training rows
 * @param patience stop after this many epochs without a better validation ROC-AUC
 * @param batchSize rows per gradient step
 * @param learningRate Adam's step size
 * @param l2 weight decay
 */
public record TrainingConfig(
        long seed, int maxEpochs, int patience, int batchSize, double learningRate, double l2) {

    public TrainingConfig {
        if (maxEpochs < 1 || patience < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "max epochs, patience and batch size must be >= 1, got "
                            + maxEpochs
                            + ", "
                            + patience
                            + ", "
                            + batchSize);
        }
        if (!(learningRate > 0) || !(l2 >= 0)) {
            throw new IllegalArgumentException(
                    "learning rate must be > 0 and l2 >= 0, got " + learningRate + ", " + l2);
        }
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(42, 200, 15, 64, 1e-3, 1e-4);
    }
}
