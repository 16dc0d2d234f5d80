package io.repostream.ml.publish;

import io.repostream.ml.data.BuildTable;
import io.repostream.ml.eval.ChampionDecision;
import io.repostream.ml.eval.ChampionDecision.Outcome;
import io.repostream.ml.eval.Metrics;
import io.repostream.model.ModelScorer;
import io.repostream.schemas.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a freshly trained model (the challenger) replaces the published one (the
 * champion) on the honest metrics: both score the challenger's held-out test builds (the newest),
 * each with its own calibration, and the challenger must reach a higher ROC-AUC by at least {@code
 * minGain} and an expected calibration error no more than {@code maxCalibrationLoss} above the
 * champion's. No threshold is involved (none could be chosen on the test builds honestly). A
 * champion that cannot score these builds (it needs features they lack) is not replaced without
 * {@code force}, except one published under {@link OnlineModel#NAME} with a feature set the Flink
 * job does not load: it scores nothing, so a challenger the job can load replaces it.
 */
public final class ChampionChallenger {
    /** Calibration error a challenger may add over the champion's unless told otherwise. */
    public static final double DEFAULT_MAX_CALIBRATION_LOSS = 0.02;

    private final double minGain;
    private final double maxCalibrationLoss;

    public ChampionChallenger(double minGain) {
        this(minGain, DEFAULT_MAX_CALIBRATION_LOSS);
    }

    /**
     * @param minGain ROC-AUC the challenger must add over the champion
     * @param maxCalibrationLoss expected calibration error the challenger may add over the
     *     champion's
     */
    public ChampionChallenger(double minGain, double maxCalibrationLoss) {
        if (!(minGain >= 0) || !(maxCalibrationLoss >= 0)) {
            throw new IllegalArgumentException(
                    "min gain and max calibration loss must be >= 0, got "
                            + minGain
                            + ", "
                            + maxCalibrationLoss);
        }
        this.minGain = minGain;
        this.maxCalibrationLoss = maxCalibrationLoss;
    }

    /**
     * @param challenger the new model, with the calibration it would be published with
     * @param challengerFeatureSet the feature set it was trained on
     * @param champion the model published under the challenger's name, if any
     * @param test the challenger's held-out test builds
     * @param force publish even if the champion is better or cannot be compared
     */
    public ChampionDecision decide(
            ModelScorer challenger,
            String challengerFeatureSet,
            Optional<ModelVersion> champion,
            BuildTable test,
            boolean force) {
        boolean[] failed = test.failed();
        double[] challengerP = failureProbabilities(challenger, test.featureMatrix());
        double challengerAuc = rocAuc(challengerP, failed);
        double challengerEce = Metrics.expectedCalibrationError(challengerP, failed);
        if (champion.isEmpty()) {
            return new ChampionDecision(
                    Outcome.FIRST_MODEL,
                    null,
                    null,
                    challengerAuc,
                    null,
                    challengerEce,
                    "no model is published under this name yet");
        }
        ModelVersion current = champion.get();
        if (OnlineModel.rejects(current.modelName(), current.featureSet())
                && !OnlineModel.rejects(current.modelName(), challengerFeatureSet)) {
            return new ChampionDecision(
                    Outcome.REPLACES_UNLOADABLE,
                    current.version(),
                    null,
                    challengerAuc,
                    null,
                    challengerEce,
                    "champion "
                            + current.version()
                            + " has feature set '"
                            + current.featureSet()
                            + "', which the Flink job does not load, so it scores nothing; the"
                            + " challenger (feature set '"
                            + challengerFeatureSet
                            + "') replaces it");
        }
        List<String> missing = new ArrayList<>(current.featureNames());
        missing.removeAll(test.featureNames());
        if (!missing.isEmpty()) {
            String reason =
                    "champion "
                            + current.version()
                            + " needs features this data lacks "
                            + missing
                            + ", so the two cannot be compared";
            return new ChampionDecision(
                    force ? Outcome.FORCED : Outcome.REFUSED,
                    current.version(),
                    null,
                    challengerAuc,
                    null,
                    challengerEce,
                    force ? reason + "; published anyway (--force)" : reason);
        }
        // the champion scores with the calibration it was published with (none for older models)
        double[] championP =
                failureProbabilities(ModelScorer.load(current), columns(test, current));
        double championAuc = rocAuc(championP, failed);
        double championEce = Metrics.expectedCalibrationError(championP, failed);
        boolean ranksBetter = challengerAuc >= championAuc + minGain && challengerAuc > championAuc;
        boolean calibratedEnough = challengerEce <= championEce + maxCalibrationLoss;
        String comparison =
                String.format(
                        Locale.ROOT,
                        "on the same %d newest (test) builds: challenger ROC-AUC %.4f, calibration"
                                + " error %.4f; champion %s ROC-AUC %.4f, calibration error %.4f"
                                + " (required: ROC-AUC gain >= %.4f and above, calibration error"
                                + " at most %.4f above the champion's)",
                        test.size(),
                        challengerAuc,
                        challengerEce,
                        current.version(),
                        championAuc,
                        championEce,
                        minGain,
                        maxCalibrationLoss);
        String why =
                ranksBetter && calibratedEnough
                        ? "the challenger ranks better and is calibrated well enough"
                        : !ranksBetter
                                ? "the challenger does not rank better"
                                : "the challenger ranks better but its calibration error is too"
                                        + " high";
        Outcome outcome =
                ranksBetter && calibratedEnough
                        ? Outcome.BEATS_CHAMPION
                        : force ? Outcome.FORCED : Outcome.REFUSED;
        String reason =
                switch (outcome) {
                    case BEATS_CHAMPION -> comparison + ": " + why + "; the challenger wins";
                    case FORCED -> comparison + ": " + why + "; published anyway (--force)";
                    default -> comparison + ": " + why + "; champion kept";
                };
        return new ChampionDecision(
                outcome,
                current.version(),
                championAuc,
                challengerAuc,
                championEce,
                challengerEce,
                reason);
    }

    private static double[] failureProbabilities(ModelScorer scorer, double[][] rows) {
        double[] pSuccess = scorer.successProbabilities(rows);
        double[] pFailure = new double[pSuccess.length];
        for (int i = 0; i < pFailure.length; i++) {
            pFailure[i] = 1 - pSuccess[i];
        }
        return pFailure;
    }

    private static double rocAuc(double[] pFailure, boolean[] failed) {
        double auc = Metrics.rocAuc(pFailure, failed);
        if (Double.isNaN(auc)) {
            throw new IllegalArgumentException(
                    "the test builds hold only one outcome; ROC-AUC cannot compare models");
        }
        return auc;
    }

    /** The test rows rearranged into the champion's feature order. */
    private static double[][] columns(BuildTable test, ModelVersion champion) {
        int[] index = champion.featureNames().stream().mapToInt(test::featureIndex).toArray();
        double[][] all = test.featureMatrix();
        double[][] out = new double[all.length][index.length];
        for (int i = 0; i < all.length; i++) {
            for (int j = 0; j < index.length; j++) {
                out[i][j] = all[i][index[j]];
            }
        }
        return out;
    }
}
