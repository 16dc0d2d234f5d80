package io.repostream.ml;

import io.repostream.ml.data.Dataset;
import io.repostream.ml.data.TravisTorrent;
import io.repostream.ml.train.TimeSplit;
import io.repostream.ml.train.TrainedModel;
import io.repostream.ml.train.Trainer;
import io.repostream.ml.train.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Synthetic builds and one model trained on them, shared by the tests of one JVM. */
public final class TestData {
    public static final int BUILDS = 1500;

    private static Dataset dataset;
    private static TrainedModel model;

    private TestData() {}

    /** Writes a synthetic TravisTorrent-shaped CSV and returns its path. */
    public static Path writeCsv(Path dir, int builds, long seed, double signal) {
        try {
            Path csv = dir.resolve("builds-" + seed + "-" + signal + ".csv");
            Files.writeString(csv, SyntheticBuilds.csv(builds, seed, signal));
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized Dataset dataset() {
        if (dataset == null) {
            try {
                Path dir = Files.createTempDirectory("ml-test-");
                dataset =
                        Dataset.fromCsv(
                                writeCsv(dir, BUILDS, 7, 1.0),
                                TravisTorrent.options(),
                                "synthetic-v1");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataset;
    }

    public static TimeSplit split() {
        return TimeSplit.of(dataset().table(), 0.7, 0.15);
    }

    /** Few epochs: enough to learn the synthetic signal, quick on two cores. */
    public static TrainingConfig quickConfig() {
        return new TrainingConfig(42, 30, 6, 64, 3e-3, 1e-4);
    }

    public static synchronized TrainedModel model() {
        if (model == null) {
            TimeSplit split = split();
            model = new Trainer(quickConfig(), p -> {}).train(split.train(), split.validation());
        }
        return model;
    }
}
