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
 * champion): both score the challenger's held-out test builds, and the challenger must reach a
 * higher ROC-AUC by at least {@code minGain}. A champion that cannot score these builds (it needs
 * features they lack) is not replaced without {@code force}, except one published under {@link
 * OnlineModel#NAME} with a feature set the Flink job does not load: it scores nothing, so a
 * challenger the job can load replaces it.
 */
public final class ChampionChallenger {
    private final double minGain;

    public ChampionChallenger(double minGain) {
        if (!(minGain >= 0)) {
            throw new IllegalArgumentException("min gain must be >= 0, got " + minGain);
        }
        this.minGain = minGain;
    }

    /**
     * @param challenger the new model
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
        double challengerAuc = rocAuc(challenger, test.featureMatrix(), failed);
        if (champion.isEmpty()) {
            return new ChampionDecision(
                    Outcome.FIRST_MODEL,
                    null,
                    null,
                    challengerAuc,
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
                    force ? reason + "; published anyway (--force)" : reason);
        }
        double championAuc = rocAuc(ModelScorer.load(current), columns(test, current), failed);
        boolean wins = challengerAuc >= championAuc + minGain && challengerAuc > championAuc;
        String comparison =
                String.format(
                        Locale.ROOT,
                        "challenger ROC-AUC %.4f vs champion %s %.4f on the same %d test builds"
                                + " (required gain %.4f)",
                        challengerAuc,
                        current.version(),
                        championAuc,
                        test.size(),
                        minGain);
        Outcome outcome = wins ? Outcome.BEATS_CHAMPION : force ? Outcome.FORCED : Outcome.REFUSED;
        String reason =
                switch (outcome) {
                    case BEATS_CHAMPION -> comparison + ": the challenger wins";
                    case FORCED -> comparison + ": not better, published anyway (--force)";
                    default -> comparison + ": not better, champion kept";
                };
        return new ChampionDecision(outcome, current.version(), championAuc, challengerAuc, reason);
    }

    private static double rocAuc(ModelScorer scorer, double[][] rows, boolean[] failed) {
        double[] pSuccess = scorer.successProbabilities(rows);
        double[] pFailure = new double[pSuccess.length];
        for (int i = 0; i < pFailure.length; i++) {
            pFailure[i] = 1 - pSuccess[i];
        }
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
