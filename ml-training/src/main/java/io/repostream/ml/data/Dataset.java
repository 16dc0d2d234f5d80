package io.repostream.ml.data;

import java.util.List;

/**
 * Builds ready for training, with how they were read.
 *
 * @param table every build in time order, derived features included
 * @param featureSet names the feature definitions (a model only scores vectors of its set)
 * @param rowsRead input rows or records
 * @param duplicateRowsMerged rows merged into an earlier row of the same build
 * @param skippedUnknownLabels rows skipped for an unknown label
 * @param ignoredColumns input columns not used as features
 */
public record Dataset(
        BuildTable table,
        String featureSet,
        int rowsRead,
        int duplicateRowsMerged,
        int skippedUnknownLabels,
        List<String> ignoredColumns) {

    public Dataset {
        ignoredColumns = List.copyOf(ignoredColumns);
    }

    /** A CSV read with {@code options}, with {@link BuildHistory} features appended. */
    public static Dataset fromCsv(java.nio.file.Path csv, CsvOptions options, String featureSet) {
        CsvBuildLoader.Result r = new CsvBuildLoader(options).load(csv);
        return new Dataset(
                BuildHistory.withHistoryFeatures(r.table()),
                featureSet,
                r.rowsRead(),
                r.duplicateRowsMerged(),
                r.skippedUnknownLabels(),
                r.ignoredColumns());
    }

    /** The pipeline's training examples, as the pipeline computed their features. */
    public static Dataset fromTrainingExamples(TrainingExampleLoader.Result r) {
        return new Dataset(r.table(), r.featureSet(), r.table().size(), 0, 0, List.of());
    }
}
