import io.repostream.flink.prediction.BuildSignal;
import io.repostream.flink.prediction.CiFeatures;
import io.repostream.flink.prediction.OutcomeStats;
import io.repostream.flink.prediction.PullRequestInfo;
import io.repostream.flink.prediction.RepoHistory;
import io.repostream.flink.prediction.RiskThresholds;
import io.repostream.flink.prediction.SuccessModel;
import io.repostream.model.ModelArtifact;
import io.repostream.model.ModelScorer;
import io.repostream.ml.train.SuccessNetwork;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.RiskLevel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

/**
 * Predictions per second of the predictor's scoring path on ONE core (run.sh pins it): the
 * compiled plain-Java network alone, the whole per-event path (features from the trigger and
 * history, scoring, risk, the Prediction record), and DL4J's ModelScorer for comparison.
 *
 * <p>Arguments: [seconds per measurement=5]
 */
public final class PredictionBench {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int width = CiFeatures.NAMES.size();
        ModelVersion published = model(width);
        SuccessModel model = SuccessModel.compile(published);
        ModelScorer dl4j = ModelScorer.load(published);
        Random random = new Random(7);

        int n = 4096;
        double[][] rows = new double[n][width];
        for (double[] row : rows) {
            for (int j = 0; j < width; j++) {
                row[j] = random.nextInt(6) == 0 ? Double.NaN : random.nextGaussian() * 3;
            }
        }
        BuildSignal[] triggers = new BuildSignal[n];
        CiFeatures.Known[] known = new CiFeatures.Known[n];
        for (int i = 0; i < n; i++) {
            triggers[i] = trigger(i, random);
            known[i] = known(random);
        }

        System.out.printf(
                Locale.ROOT,
                "%d features, network %s, %s s per measurement, %s%n",
                width,
                "Dense 64 ReLU → Dense 32 ReLU → 1 sigmoid",
                seconds,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.printf(
                Locale.ROOT,
                "%-52s %14s %16s %10s%n",
                "path",
                "per wall s",
                "per CPU s (core)",
                "CPU µs");

        report("compiled network, one row per call", seconds, i -> model.successProbability(rows[i % n]));
        RiskThresholds thresholds = RiskThresholds.DEFAULTS;
        report(
                "whole path: features + score + risk + Prediction",
                seconds,
                i -> {
                    BuildSignal t = triggers[i % n];
                    Map<String, Double> f = CiFeatures.of(t, known[i % n]);
                    double p = model.successProbability(f);
                    RiskLevel risk = thresholds.of(p);
                    Prediction prediction =
                            new Prediction(
                                    "ci-success:" + t.repo() + ":workflow_run:" + t.runId(),
                                    t.repo(),
                                    "workflow_run",
                                    t.runId(),
                                    t.headSha(),
                                    p,
                                    risk,
                                    model.version(),
                                    f,
                                    t.at(),
                                    t.at(),
                                    List.of(t.eventId()));
                    return prediction.successProbability();
                });
        for (int batch : new int[] {1, 256}) {
            double[][] slice = java.util.Arrays.copyOf(rows, batch);
            report(
                    "DL4J ModelScorer, batches of " + batch,
                    seconds,
                    batch,
                    i -> dl4j.successProbabilities(slice)[0]);
        }
    }

    private static void report(String name, double seconds, IntToDoubleFunction call) {
        report(name, seconds, 1, call);
    }

    /**
     * Warm-up for a third of the time, then calls until {@code seconds} pass (10 M calls at most).
     * Reports per wall-clock second and per second of this thread's CPU time: on a shared machine
     * the second is the honest "per core" figure.
     */
    private static void report(String name, double seconds, int perCall, IntToDoubleFunction call) {
        run(seconds / 3, call);
        double[] rates = run(seconds, call);
        System.out.printf(
                Locale.ROOT,
                "%-52s %14.0f %16.0f %10.2f%n",
                name,
                rates[0] * perCall,
                rates[1] * perCall,
                1e6 / (rates[1] * perCall));
    }

    /** {calls per wall-clock second, calls per CPU second of this thread}. */
    private static double[] run(double seconds, IntToDoubleFunction call) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long calls = 0;
        double sink = 0;
        while (calls < 10_000_000 && (calls % 64 != 0 || System.nanoTime() < deadline)) {
            sink += call.applyAsDouble((int) calls);
            calls++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        if (sink == 42.4242) {
            System.out.println(sink); // keeps the JIT from dropping the work
        }
        return new double[] {calls / elapsed, calls / cpu};
    }

    private static BuildSignal trigger(int i, Random random) {
        return new BuildSignal(
                BuildSignal.Kind.RUN_STARTED,
                "octo-org/repo-" + (i % 50),
                "delivery-" + i,
                T0.plusSeconds(37L * i),
                42L,
                100_000L + i,
                1 + random.nextInt(2),
                7001L + i % 5,
                "sha-" + i,
                "user-" + (i % 20),
                random.nextBoolean() ? List.of(10L + i % 30) : List.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static CiFeatures.Known known(Random random) {
        OutcomeStats repo = OutcomeStats.NONE;
        OutcomeStats author = OutcomeStats.NONE;
        for (int k = 0; k < 30; k++) {
            boolean ok = random.nextInt(4) != 0;
            repo = repo.plus(ok);
            if (k % 3 == 0) {
                author = author.plus(ok);
            }
        }
        PullRequestInfo pr =
                new PullRequestInfo(
                        T0.minusSeconds(7200), "sha", 3, 120, 40, 6, 2, T0.minusSeconds(3600));
        return new CiFeatures.Known(
                new RepoHistory(repo, T0.minusSeconds(900), random.nextBoolean(), "user-3"),
                author,
                repo,
                random.nextBoolean() ? pr : null);
    }

    private static ModelVersion model(int width) {
        Random random = new Random(1);
        List<Double> means = new ArrayList<>();
        List<Double> stds = new ArrayList<>();
        for (int j = 0; j < width; j++) {
            means.add(random.nextGaussian());
            stds.add(1 + random.nextDouble());
        }
        byte[] artifact = ModelArtifact.zip(SuccessNetwork.create(width, 1, 1e-3, 0));
        return new ModelVersion(
                "ci-success",
                "bench",
                T0,
                ModelScorer.FORMAT,
                CiFeatures.FEATURE_SET,
                CiFeatures.NAMES,
                means,
                stds,
                Base64.getEncoder().encodeToString(artifact),
                ModelArtifact.sha256(artifact),
                Map.of(),
                "untrained: scoring costs the same whatever the weights",
                false);
    }
}
