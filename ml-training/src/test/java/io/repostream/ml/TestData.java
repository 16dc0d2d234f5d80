package io.repostream.ml;

import io.repostream.ml.data.BuildTable;
import io.repostream.ml.data.Dataset;
import io.repostream.ml.data.LabeledBuild;
import io.repostream.ml.data.TravisTorrent;
import io.repostream.ml.train.TimeSplit;
import io.repostream.ml.train.TrainedModel;
import io.repostream.ml.train.Trainer;
import io.repostream.ml.train.TrainingConfig;
import io.repostream.schemas.TrainingExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * The synthetic builds as the pipeline's training examples (missing values left out, as the
     * pipeline would), keyed by project.
     */
    public static List<TrainingExample> trainingExamples(int count) {
        return trainingExamples(count, "pipeline-v1");
    }

    /** {@link #trainingExamples(int)} labelled with {@code featureSet}. */
    public static List<TrainingExample> trainingExamples(int count, String featureSet) {
        BuildTable table = dataset().table();
        List<TrainingExample> out = new ArrayList<>();
        for (int i = 0; i < Math.min(count, table.size()); i++) {
            LabeledBuild b = table.builds().get(i);
            Map<String, Double> features = new LinkedHashMap<>();
            for (int j = 0; j < table.featureNames().size(); j++) {
                if (!Double.isNaN(b.feature(j))) {
                    features.put(table.featureNames().get(j), b.feature(j));
                }
            }
            String repo = b.groups().get(1).replace("\u0000", "");
            out.add(
                    new TrainingExample(
                            "ex-" + i,
                            repo,
                            "workflow_run",
                            1000 + i,
                            featureSet,
                            features,
                            b.success(),
                            b.success() ? "success" : "failure",
                            b.startedAt(),
                            b.outcomeKnownAt()));
        }
        return out;
    }

    public static synchronized TrainedModel model() {
        if (model == null) {
            TimeSplit split = split();
            model = new Trainer(quickConfig(), p -> {}).train(split.train(), split.validation());
        }
        return model;
    }
}
