package io.repostream.ml.eval;

import io.repostream.schemas.ModelVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Isotonic calibration: the non-decreasing step function of the model's failure probability that
 * best fits the observed outcomes (least squares, pool-adjacent-violators). Stored as the points at
 * each step's lowest and highest probability, interpolated linearly in between ({@link
 * io.repostream.model.ProbabilityCalibration}).
 */
public final class IsotonicCalibration {
    private IsotonicCalibration() {}

    public static ModelVersion.Calibration fit(double[] pFailure, boolean[] failed) {
        if (pFailure.length != failed.length || pFailure.length == 0) {
            throw new IllegalArgumentException("need as many outcomes as probabilities, and some");
        }
        Integer[] order = new Integer[pFailure.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> pFailure[i]));
        // blocks of the pool-adjacent-violators algorithm: outcome sum, count, lowest/highest p
        List<double[]> blocks = new ArrayList<>();
        for (int i : order) {
            blocks.add(new double[] {failed[i] ? 1 : 0, 1, pFailure[i], pFailure[i]});
            while (blocks.size() > 1) {
                double[] last = blocks.get(blocks.size() - 1);
                double[] prev = blocks.get(blocks.size() - 2);
                boolean sameP = prev[3] == last[2];
                if (!sameP && prev[0] / prev[1] < last[0] / last[1]) {
                    break;
                }
                prev[0] += last[0];
                prev[1] += last[1];
                prev[3] = last[3];
                blocks.remove(blocks.size() - 1);
            }
        }
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (double[] b : blocks) {
            double rate = b[0] / b[1];
            x.add(b[2]);
            y.add(rate);
            if (b[3] > b[2]) {
                x.add(b[3]);
                y.add(rate);
            }
        }
        return ModelVersion.Calibration.isotonic(x, y);
    }
}
