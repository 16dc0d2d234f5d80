package io.repostream.ml.train;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The standard success-prediction network: inputs → Dense 64 ReLU → Dropout 0.3 → Dense 32 ReLU →
 * Dropout 0.2 → Dense 1 sigmoid, whose output is the probability that the build succeeds.
 */
public final class SuccessNetwork {
    /** Fractions of activations dropped while training. */
    public static final double FIRST_DROPOUT = 0.3;

    public static final double SECOND_DROPOUT = 0.2;

    private SuccessNetwork() {}

    public static MultiLayerConfiguration configuration(
            int inputs, long seed, double learningRate, double l2) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER)
                .l2(l2)
                .list()
                .layer(
                        new DenseLayer.Builder()
                                .nIn(inputs)
                                .nOut(64)
                                .activation(Activation.RELU)
                                .build())
                // DL4J's dropout argument is the probability to RETAIN an activation
                .layer(new DropoutLayer.Builder(1 - FIRST_DROPOUT).build())
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build())
                .layer(new DropoutLayer.Builder(1 - SECOND_DROPOUT).build())
                .layer(
                        new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                                .nOut(1)
                                .activation(Activation.SIGMOID)
                                .build())
                .setInputType(InputType.feedForward(inputs))
                .build();
    }

    public static MultiLayerNetwork create(int inputs, long seed, double learningRate, double l2) {
        MultiLayerNetwork net =
                new MultiLayerNetwork(configuration(inputs, seed, learningRate, l2));
        net.init();
        return net;
    }
}
