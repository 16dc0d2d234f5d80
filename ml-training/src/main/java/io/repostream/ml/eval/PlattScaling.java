package io.repostream.ml.eval;

/**
 * Platt scaling: a calibrated failure probability {@code 1 / (1 + exp(-(a * logit(p) + b)))} of a
 * model's failure probability {@code p}, with {@code a} and {@code b} fitted on validation builds
 * by Newton's method on the log-loss, with Platt's smoothed targets ((failures + 1) / (failures +
 * 2) and 1 / (passes + 2)) so that a small validation set cannot push probabilities to 0 or 1.
 *
 * <p>It corrects the balanced training (probabilities of a 50 % failure world) and drift of the
 * failure rate between training and validation; it keeps the ranking (ROC-AUC) when {@code a > 0}.
 *
 * @param a slope on the logit of the model's probability (1 = unchanged)
 * @param b offset (0 = unchanged)
 */
public record PlattScaling(double a, double b) {
    public static final PlattScaling IDENTITY = new PlattScaling(1, 0);

    public static PlattScaling fit(double[] pFailure, boolean[] failed) {
        if (pFailure.length != failed.length || pFailure.length == 0) {
            throw new IllegalArgumentException("need as many outcomes as probabilities, and some");
        }
        int n = pFailure.length;
        long failures = 0;
        for (boolean f : failed) {
            failures += f ? 1 : 0;
        }
        double hi = (failures + 1.0) / (failures + 2.0);
        double lo = 1.0 / (n - failures + 2.0);
        double[] x = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = logit(pFailure[i]);
            t[i] = failed[i] ? hi : lo;
        }
        double a = 1, b = 0;
        for (int iter = 0; iter < 100; iter++) {
            // gradient and Hessian of the mean log-loss in (a, b), with a tiny ridge for stability
            double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
            for (int i = 0; i < n; i++) {
                double q = sigmoid(a * x[i] + b);
                double d = q - t[i];
                double w = q * (1 - q);
                ga += d * x[i];
                gb += d;
                haa += w * x[i] * x[i];
                hab += w * x[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (!(Math.abs(det) > 1e-12)) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            a -= da;
            b -= db;
            if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) {
                break;
            }
        }
        return new PlattScaling(a, b);
    }

    public double apply(double pFailure) {
        return sigmoid(a * logit(pFailure) + b);
    }

    public double[] apply(double[] pFailure) {
        double[] out = new double[pFailure.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = apply(pFailure[i]);
        }
        return out;
    }

    private static double logit(double p) {
        double c = Math.min(1 - 1e-7, Math.max(1e-7, p));
        return Math.log(c / (1 - c));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
