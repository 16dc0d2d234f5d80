package io.repostream.model;

import io.repostream.schemas.ModelVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores builds with a published model: standardises the features as in training and returns
 * success probabilities. Score in batches: the network's per-call overhead dwarfs the arithmetic of
 * one row.
 *
 * <p>One instance serialises its calls (a DL4J network is not safe for concurrent use); give each
 * thread its own via {@link #copy()}.
 */
public final class ModelScorer {
    /**
     * {@link ModelVersion#format()} of a DL4J {@code ModelSerializer} zip without updater state.
     */
    public static final String FORMAT = "dl4j-multilayer-zip";

    private final MultiLayerNetwork network;
    private final Standardizer standardizer;
    private final List<String> featureNames;
    private final String version;
    private final ProbabilityCalibration calibration;

    /** A scorer without calibration: probabilities as the network gives them. */
    public ModelScorer(
            MultiLayerNetwork network,
            Standardizer standardizer,
            List<String> featureNames,
            String version) {
        this(network, standardizer, featureNames, version, ProbabilityCalibration.NONE);
    }

    /**
     * @param calibration applied to every probability the network gives
     */
    public ModelScorer(
            MultiLayerNetwork network,
            Standardizer standardizer,
            List<String> featureNames,
            String version,
            ProbabilityCalibration calibration) {
        if (featureNames.size() != standardizer.width()) {
            throw new IllegalArgumentException(
                    "model "
                            + version
                            + " names "
                            + featureNames.size()
                            + " features but standardises "
                            + standardizer.width());
        }
        long inputs = network.layerInputSize(0);
        if (inputs != featureNames.size()) {
            throw new IllegalArgumentException(
                    "model "
                            + version
                            + " network takes "
                            + inputs
                            + " inputs, not "
                            + featureNames.size());
        }
        this.network = network;
        this.standardizer = standardizer;
        this.featureNames = List.copyOf(featureNames);
        this.version = version;
        this.calibration = calibration;
    }

    /**
     * Loads a published model, checking its format and that the artifact is the one its SHA-256
     * names. Its probabilities are calibrated with the record's {@link ModelVersion#calibration()},
     * if it has one.
     */
    public static ModelScorer load(ModelVersion model) {
        String name = model.modelName() + " " + model.version();
        if (!FORMAT.equals(model.format())) {
            throw new IllegalArgumentException(
                    "model " + name + " has format '" + model.format() + "', expected " + FORMAT);
        }
        byte[] artifact;
        try {
            artifact = Base64.getDecoder().decode(model.artifactBase64());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + name + ": artifact is not base64", e);
        }
        String sha = ModelArtifact.sha256(artifact);
        if (!sha.equalsIgnoreCase(model.artifactSha256())) {
            throw new IllegalArgumentException(
                    "model "
                            + name
                            + ": artifact SHA-256 is "
                            + sha
                            + " but the record says "
                            + model.artifactSha256());
        }
        MultiLayerNetwork network;
        try {
            network =
                    ModelSerializer.restoreMultiLayerNetwork(
                            new ByteArrayInputStream(artifact), false);
        } catch (IOException e) {
            throw new UncheckedIOException("model " + name + ": cannot read the network", e);
        }
        return new ModelScorer(
                network,
                Standardizer.fromLists(model.means(), model.stds()),
                model.featureNames(),
                model.version(),
                ProbabilityCalibration.of(model.calibration()));
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public String version() {
        return version;
    }

    public Standardizer standardizer() {
        return standardizer;
    }

    /** The calibration applied to the network's probabilities ({@code NONE} if none). */
    public ProbabilityCalibration calibration() {
        return calibration;
    }

    /** Success probabilities of rows whose values are in {@link #featureNames()} order. */
    public synchronized double[] successProbabilities(double[][] rows) {
        if (rows.length == 0) {
            return new double[0];
        }
        float[] flat = standardizer.applyFlat(rows);
        INDArray input = Nd4j.create(flat, new long[] {rows.length, featureNames.size()}, 'c');
        INDArray out = network.output(input, false);
        double[] p = out.reshape(rows.length).toDoubleVector();
        input.close();
        out.close();
        for (int i = 0; i < p.length; i++) {
            p[i] = calibration.successProbability(p[i]);
        }
        return p;
    }

    /**
     * Success probabilities of feature maps (as in {@code Prediction.features}); a feature absent
     * from a map counts as missing, i.e. the training mean.
     */
    public double[] successProbabilitiesOf(List<Map<String, Double>> rows) {
        double[][] matrix = new double[rows.size()][featureNames.size()];
        for (int i = 0; i < matrix.length; i++) {
            Map<String, Double> row = rows.get(i);
            for (int j = 0; j < featureNames.size(); j++) {
                Double v = row.get(featureNames.get(j));
                matrix[i][j] = v == null ? Double.NaN : v;
            }
        }
        return successProbabilities(matrix);
    }

    /** An independent scorer with the same model, for another thread. */
    public ModelScorer copy() {
        return new ModelScorer(network.clone(), standardizer, featureNames, version, calibration);
    }
}
