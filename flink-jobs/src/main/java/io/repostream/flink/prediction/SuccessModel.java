package io.repostream.flink.prediction;

import io.repostream.model.ModelScorer;
import io.repostream.model.ProbabilityCalibration;
import io.repostream.schemas.ModelVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A published success model, precomputed into plain Java matrices for scoring inside the Flink
 * operator. One DL4J call costs about 200 µs whatever the batch size up to hundreds of rows; the
 * same dense network in plain Java costs a few microseconds per row (see {@code bench/prediction}),
 * so each event is scored as it arrives, with no buffering, timers or extra state.
 *
 * <p>{@link #compile(ModelVersion)} loads the model with {@link ModelScorer} (which checks its
 * format and SHA-256), copies the weights, and refuses the model unless its own scores match DL4J's
 * on probe rows. Instances are immutable and safe to share between threads.
 *
 * <p>A model that carries a calibration ({@link ModelVersion#calibration()}, fitted by the trainer
 * on held-out builds) has it applied to every probability, so the risk levels bucket calibrated
 * failure probabilities; a model without one scores as the network gives it.
 */
public final class SuccessModel {
    /** Largest difference from DL4J's probabilities accepted at compile time (DL4J uses floats). */
    static final double AGREEMENT = 1e-4;

    private static final int PROBE_ROWS = 16;

    private final String modelName;
    private final String version;
    private final String featureSet;
    private final List<String> featureNames;
    private final double[] means;
    private final double[] stds;
    private final List<Dense> layers;
    private final ProbabilityCalibration calibration;

    private SuccessModel(ModelVersion model, List<Dense> layers) {
        this.modelName = model.modelName();
        this.version = model.version();
        this.featureSet = model.featureSet();
        this.featureNames = List.copyOf(model.featureNames());
        this.means = model.means().stream().mapToDouble(Double::doubleValue).toArray();
        this.stds = model.stds().stream().mapToDouble(Double::doubleValue).toArray();
        this.layers = List.copyOf(layers);
        this.calibration = ProbabilityCalibration.of(model.calibration());
    }

    /**
     * Loads, checks and precomputes a published model.
     *
     * @throws IllegalArgumentException naming the model when it is malformed, of another format,
     *     not what its SHA-256 says, or uses a layer this scorer does not compute
     */
    public static SuccessModel compile(ModelVersion model) {
        ModelScorer reference = ModelScorer.load(model);
        MultiLayerNetwork network = restore(model);
        List<Dense> layers = new ArrayList<>();
        Layer[] networkLayers = network.getLayers();
        for (int i = 0; i < networkLayers.length; i++) {
            var conf = networkLayers[i].conf().getLayer();
            if (conf instanceof DropoutLayer) {
                continue; // dropout only acts while training
            }
            if (!(conf instanceof FeedForwardLayer ff) || !(conf instanceof BaseLayer base)) {
                throw unsupported(model, i, conf.getClass().getSimpleName() + " layer");
            }
            layers.add(dense(model, i, networkLayers[i], ff, activationOf(model, i, base)));
        }
        if (layers.isEmpty() || layers.get(layers.size() - 1).outputs() != 1) {
            throw unsupported(
                    model, networkLayers.length - 1, "output that is not one probability");
        }
        SuccessModel compiled = new SuccessModel(model, layers);
        compiled.checkAgainst(reference);
        return compiled;
    }

    public String modelName() {
        return modelName;
    }

    public String version() {
        return version;
    }

    public String featureSet() {
        return featureSet;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The calibration applied to the network's probabilities ({@code NONE} if the model has none).
     */
    public ProbabilityCalibration calibration() {
        return calibration;
    }

    /** P(success) of one feature vector; absent features count as the training mean. */
    public double successProbability(Map<String, Double> features) {
        return successProbability(CiFeatures.row(features, featureNames));
    }

    /** P(success) of a row in {@link #featureNames()} order; NaN = missing. */
    public double successProbability(double[] row) {
        if (row.length != means.length) {
            throw new IllegalArgumentException(
                    "model " + version + " takes " + means.length + " features, got " + row.length);
        }
        double[] x = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            x[j] = Double.isNaN(row[j]) ? 0 : (row[j] - means[j]) / stds[j];
        }
        for (Dense layer : layers) {
            x = layer.apply(x);
        }
        return calibration.successProbability(x[0]);
    }

    /** P(success) of many rows. */
    public double[] successProbabilities(double[][] rows) {
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            p[i] = successProbability(rows[i]);
        }
        return p;
    }

    /** Refuses this model unless it scores like DL4J on rows around the training distribution. */
    private void checkAgainst(ModelScorer reference) {
        Random random = new Random(42);
        double[][] probe = new double[PROBE_ROWS][means.length];
        for (int i = 0; i < PROBE_ROWS; i++) {
            for (int j = 0; j < means.length; j++) {
                probe[i][j] = i == 0 ? Double.NaN : means[j] + stds[j] * 2 * random.nextGaussian();
            }
        }
        double[] expected = reference.successProbabilities(probe);
        for (int i = 0; i < PROBE_ROWS; i++) {
            double got = successProbability(probe[i]);
            if (!(Math.abs(got - expected[i]) <= AGREEMENT)) {
                throw new IllegalArgumentException(
                        "model "
                                + modelName
                                + " "
                                + version
                                + ": the plain Java scorer gives "
                                + got
                                + " where DL4J gives "
                                + expected[i]
                                + "; refusing it");
            }
        }
    }

    private static MultiLayerNetwork restore(ModelVersion model) {
        byte[] artifact = Base64.getDecoder().decode(model.artifactBase64());
        try {
            return ModelSerializer.restoreMultiLayerNetwork(
                    new ByteArrayInputStream(artifact), false);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "model " + model.modelName() + " " + model.version() + ": cannot read it", e);
        }
    }

    private static Dense dense(
            ModelVersion model, int index, Layer layer, FeedForwardLayer conf, Activation act) {
        INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = layer.getParam(DefaultParamInitializer.BIAS_KEY);
        if (w == null || w.rank() != 2) {
            throw unsupported(model, index, "layer without a weight matrix");
        }
        int in = (int) w.size(0);
        int out = (int) w.size(1);
        // transposed, so one output's weights are contiguous
        double[][] weights = new double[out][in];
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < in; k++) {
                weights[o][k] = w.getDouble(k, o);
            }
        }
        double[] bias = new double[out];
        for (int o = 0; b != null && o < out; o++) {
            bias[o] = b.getDouble(o);
        }
        if (conf.getNOut() != out) {
            throw unsupported(model, index, "layer whose weights do not match its size");
        }
        return new Dense(weights, bias, act);
    }

    private static Activation activationOf(ModelVersion model, int index, BaseLayer layer) {
        IActivation fn = layer.getActivationFn();
        if (fn instanceof ActivationReLU) {
            return Activation.RELU;
        }
        if (fn instanceof ActivationSigmoid) {
            return Activation.SIGMOID;
        }
        if (fn instanceof ActivationTanH) {
            return Activation.TANH;
        }
        if (fn instanceof ActivationIdentity) {
            return Activation.IDENTITY;
        }
        throw unsupported(model, index, "activation " + fn);
    }

    private static IllegalArgumentException unsupported(
            ModelVersion model, int layer, String what) {
        return new IllegalArgumentException(
                "model "
                        + model.modelName()
                        + " "
                        + model.version()
                        + ": layer "
                        + layer
                        + " has an "
                        + what
                        + ", which the online scorer does not compute");
    }

    private enum Activation {
        RELU,
        SIGMOID,
        TANH,
        IDENTITY;

        double apply(double z) {
            return switch (this) {
                case RELU -> z > 0 ? z : 0;
                case SIGMOID -> 1 / (1 + Math.exp(-z));
                case TANH -> Math.tanh(z);
                case IDENTITY -> z;
            };
        }
    }

    /** One fully connected layer: {@code act(W·x + b)}. */
    private record Dense(double[][] weights, double[] bias, Activation activation) {
        int outputs() {
            return bias.length;
        }

        double[] apply(double[] x) {
            double[] y = new double[bias.length];
            for (int o = 0; o < y.length; o++) {
                double[] w = weights[o];
                double z = bias[o];
                for (int k = 0; k < x.length; k++) {
                    z += w[k] * x[k];
                }
                y[o] = activation.apply(z);
            }
            return y;
        }
    }
}
