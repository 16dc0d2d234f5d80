import io.repostream.model.ModelScorer;
import io.repostream.model.Standardizer;
import io.repostream.ml.train.SuccessNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Batched predictions per second of {@link ModelScorer} on the standard network. Run by run.sh,
 * which pins it to one core. The weights are untrained: scoring costs the same whatever they are.
 *
 * <p>Arguments: [features=35] [seconds per batch size=5]
 */
public final class ScorerBench {
    public static void main(String[] args) {
        int features = args.length > 0 ? Integer.parseInt(args[0]) : 35;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        Random random = new Random(1);
        double[] means = new double[features];
        double[] stds = new double[features];
        List<String> names = new ArrayList<>();
        for (int j = 0; j < features; j++) {
            means[j] = random.nextGaussian();
            stds[j] = 1 + random.nextDouble();
            names.add("f" + j);
        }
        ModelScorer scorer =
                new ModelScorer(
                        SuccessNetwork.create(features, 1, 1e-3, 0),
                        new Standardizer(means, stds),
                        names,
                        "bench");
        System.out.printf(
                Locale.ROOT,
                "%d features, %s s per batch size, OMP_NUM_THREADS=%s%n",
                features,
                seconds,
                System.getenv("OMP_NUM_THREADS"));
        System.out.printf(Locale.ROOT, "%10s %16s %14s%n", "batch", "predictions/s", "µs per call");
        for (int batch : new int[] {1, 16, 64, 256, 1024, 4096}) {
            double[][] rows = new double[batch][features];
            for (double[] row : rows) {
                for (int j = 0; j < features; j++) {
                    row[j] = means[j] + stds[j] * random.nextGaussian();
                }
            }
            run(scorer, rows, seconds / 3); // warm-up: JIT and native workspaces
            double[] result = run(scorer, rows, seconds);
            System.out.printf(
                    Locale.ROOT,
                    "%10d %16.0f %14.1f%n",
                    batch,
                    result[0],
                    1e6 / (result[0] / batch));
        }
    }

    /** Calls until {@code seconds} pass (or 10 million calls); returns {predictions per second}. */
    private static double[] run(ModelScorer scorer, double[][] rows, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long calls = 0;
        double sink = 0;
        while (System.nanoTime() < deadline && calls < 10_000_000) {
            double[] p = scorer.successProbabilities(rows);
            sink += p[0];
            calls++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (sink < 0) {
            System.out.println(sink); // keeps the JIT from dropping the work
        }
        return new double[] {calls * rows.length / elapsed};
    }
}
