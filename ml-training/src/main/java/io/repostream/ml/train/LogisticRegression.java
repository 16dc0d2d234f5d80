package io.repostream.ml.train;

import io.repostream.ml.data.BuildTable;
import io.repostream.model.Standardizer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The logistic-regression baseline: one sigmoid unit on the standardised features (DL4J, the
 * library the network uses), L2-regularised, fitted full-batch on the training builds without
 * rebalancing, so its probabilities are those of the training period's failure rate.
 */
public final class LogisticRegression {
    static final int STEPS = 300;
    static final double LEARNING_RATE = 0.05;
    static final double L2 = 1e-3;

    private final MultiLayerNetwork net;
    private final Standardizer standardizer;

    private LogisticRegression(MultiLayerNetwork net, Standardizer standardizer) {
        this.net = net;
        this.standardizer = standardizer;
    }

    public static LogisticRegression fit(BuildTable train, long seed) {
        int width = train.featureNames().size();
        Standardizer standardizer = Standardizer.fit(train.featureMatrix(), width);
        float[] x = standardizer.applyFlat(train.featureMatrix());
        boolean[] failed = train.failed();
        float[] y = new float[failed.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = failed[i] ? 1f : 0f;
        }
        MultiLayerNetwork net =
                new MultiLayerNetwork(
                        new NeuralNetConfiguration.Builder()
                                .seed(seed)
                                .dataType(DataType.FLOAT)
                                .updater(new Adam(LEARNING_RATE))
                                .weightInit(WeightInit.XAVIER)
                                .l2(L2)
                                .list()
                                .layer(
                                        new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                                                .nOut(1)
                                                .activation(Activation.SIGMOID)
                                                .build())
                                .setInputType(InputType.feedForward(width))
                                .build());
        net.init();
        DataSet data =
                new DataSet(
                        Nd4j.create(x, new long[] {failed.length, width}, 'c'),
                        Nd4j.create(y, new long[] {failed.length, 1}, 'c'));
        for (int step = 0; step < STEPS; step++) {
            net.fit(data);
        }
        return new LogisticRegression(net, standardizer);
    }

    /** The failure probability of each build. */
    public double[] failureProbabilities(BuildTable builds) {
        int width = builds.featureNames().size();
        float[] x = standardizer.applyFlat(builds.featureMatrix());
        INDArray out = net.output(Nd4j.create(x, new long[] {builds.size(), width}, 'c'));
        double[] p = new double[builds.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = out.getDouble(i, 0);
        }
        return p;
    }
}
