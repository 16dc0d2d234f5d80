package io.repostream.ml.train;

import io.repostream.ml.data.BuildTable;
import io.repostream.ml.eval.Metrics;
import io.repostream.model.ModelScorer;
import io.repostream.model.Standardizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains {@link SuccessNetwork} on time-ordered training rows and stops early on the validation
 * rows' ROC-AUC, keeping the best epoch's weights.
 *
 * <p>Failed builds are usually the minority; each epoch oversamples the smaller class (drawing
 * random repeats) until both classes are equally frequent, so the network cannot win by always
 * predicting "passes". Its probabilities are therefore those of a balanced world; the evaluation's
 * calibration table shows what that means on real frequencies.
 */
public final class Trainer {
    private final TrainingConfig config;
    private final Consumer<EpochProgress> progress;

    public Trainer(TrainingConfig config, Consumer<EpochProgress> progress) {
        this.config = config;
        this.progress = progress;
    }

    public TrainedModel train(BuildTable train, BuildTable validation) {
        if (!train.featureNames().equals(validation.featureNames())) {
            throw new IllegalArgumentException("training and validation features differ");
        }
        long failures = train.failures();
        if (failures == 0 || failures == train.size()) {
            throw new IllegalArgumentException(
                    train.source()
                            + ": the training rows hold only "
                            + (failures == 0 ? "passed" : "failed")
                            + " builds; nothing to learn");
        }
        int width = train.featureNames().size();
        Standardizer standardizer = Standardizer.fit(train.featureMatrix(), width);
        float[] x = standardizer.applyFlat(train.featureMatrix());
        boolean[] failed = train.failed();

        Nd4j.getRandom().setSeed(config.seed());
        MultiLayerNetwork net =
                SuccessNetwork.create(width, config.seed(), config.learningRate(), config.l2());
        ModelScorer validator =
                new ModelScorer(net, standardizer, train.featureNames(), "training");
        double[][] validationRows = validation.featureMatrix();
        boolean[] validationFailed = validation.failed();

        Random random = new Random(config.seed());
        INDArray best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        double bestAuc = Double.NaN;
        int bestEpoch = 0;
        int epoch = 0;
        while (epoch < config.maxEpochs() && epoch - bestEpoch < config.patience()) {
            epoch++;
            double loss = fitEpoch(net, x, failed, width, random);
            double[] pFailure =
                    failureProbabilities(validator.successProbabilities(validationRows));
            double auc = Metrics.rocAuc(pFailure, validationFailed);
            double logLoss = Metrics.logLoss(pFailure, validationFailed);
            // AUC ranks builds, which is what alerts need; without both classes fall back to loss
            double score = Double.isNaN(auc) ? -logLoss : auc;
            boolean improved = score > bestScore;
            if (improved) {
                bestScore = score;
                bestAuc = auc;
                bestEpoch = epoch;
                if (best != null) {
                    best.close();
                }
                best = net.params().dup();
            }
            progress.accept(
                    new EpochProgress(epoch, config.maxEpochs(), loss, auc, logLoss, improved));
        }
        net.setParams(best);
        return new TrainedModel(net, standardizer, train.featureNames(), bestEpoch, epoch, bestAuc);
    }

    /**
     * Trains a fresh network (same seed) on {@code builds} for exactly {@code epochs} epochs, with
     * the standardisation refitted on them: the final model refit on train+validation with the
     * epoch count early stopping found on validation. Nothing is held out, so nothing is chosen.
     */
    public TrainedModel refit(BuildTable builds, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("refit needs at least one epoch, got " + epochs);
        }
        long failures = builds.failures();
        if (failures == 0 || failures == builds.size()) {
            throw new IllegalArgumentException(
                    builds.source() + ": the refit builds hold only one outcome; nothing to learn");
        }
        int width = builds.featureNames().size();
        Standardizer standardizer = Standardizer.fit(builds.featureMatrix(), width);
        float[] x = standardizer.applyFlat(builds.featureMatrix());
        boolean[] failed = builds.failed();
        Nd4j.getRandom().setSeed(config.seed());
        MultiLayerNetwork net =
                SuccessNetwork.create(width, config.seed(), config.learningRate(), config.l2());
        Random random = new Random(config.seed());
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double loss = fitEpoch(net, x, failed, width, random);
            progress.accept(new EpochProgress(epoch, epochs, loss, Double.NaN, Double.NaN, false));
        }
        return new TrainedModel(
                net, standardizer, builds.featureNames(), epochs, epochs, Double.NaN);
    }

    static double[] failureProbabilities(double[] pSuccess) {
        double[] p = new double[pSuccess.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 1 - pSuccess[i];
        }
        return p;
    }

    /** One pass over the rows with the minority class resampled up to the majority's count. */
    private double fitEpoch(
            MultiLayerNetwork net, float[] x, boolean[] failed, int width, Random random) {
        List<Integer> order = balancedOrder(failed, random);
        int batch = config.batchSize();
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start < order.size(); start += batch) {
            int size = Math.min(batch, order.size() - start);
            float[] features = new float[size * width];
            float[] labels = new float[size];
            for (int i = 0; i < size; i++) {
                int row = order.get(start + i);
                System.arraycopy(x, row * width, features, i * width, width);
                labels[i] = failed[row] ? 0f : 1f; // the network outputs P(success)
            }
            DataSet data =
                    new DataSet(
                            Nd4j.create(features, new long[] {size, width}, 'c'),
                            Nd4j.create(labels, new long[] {size, 1}, 'c'));
            net.fit(data);
            lossSum += net.score();
            batches++;
        }
        return lossSum / batches;
    }

    static List<Integer> balancedOrder(boolean[] failed, Random random) {
        List<Integer> failures = new ArrayList<>();
        List<Integer> passes = new ArrayList<>();
        for (int i = 0; i < failed.length; i++) {
            (failed[i] ? failures : passes).add(i);
        }
        List<Integer> minority = failures.size() < passes.size() ? failures : passes;
        int deficit = Math.abs(failures.size() - passes.size());
        List<Integer> order = new ArrayList<>(failed.length + deficit);
        order.addAll(failures);
        order.addAll(passes);
        for (int i = 0; i < deficit; i++) {
            order.add(minority.get(random.nextInt(minority.size())));
        }
        Collections.shuffle(order, random);
        return order;
    }
}
