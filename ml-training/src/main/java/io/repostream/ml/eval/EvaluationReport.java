package io.repostream.ml.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.repostream.schemas.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a person needs to judge a trained model: what data, which features, how it was split
 * and trained, its figures on the held-out test builds next to trivial baselines (so nobody is
 * fooled by accuracy on imbalanced data), and whether it replaced the champion.
 */
public record EvaluationReport(
        String modelName,
        String modelVersion,
        Instant createdAt,
        DataSummary data,
        SplitSummary split,
        TrainingSummary training,
        ClassifierMetrics model,
        Map<String, ClassifierMetrics> baselines,
        ChampionDecision champion) {

    /**
     * @param source file or topic read
     * @param rowsRead input rows
     * @param builds builds after merging rows of the same build
     * @param duplicateRowsMerged rows merged into an earlier row of the same build
     * @param skippedUnknownLabels rows skipped for a label that is neither success nor failure
     * @param features the model's inputs, in order
     * @param ignoredColumns input columns not used as features (by rule or because not numeric)
     * @param historyGroupings groupings of the derived history features
     * @param order {@code time} (builds sorted by start) or {@code file order} (the input has no
     *     times; its rows are taken as already in time order)
     */
    public record DataSummary(
            String source,
            int rowsRead,
            int builds,
            int duplicateRowsMerged,
            int skippedUnknownLabels,
            List<String> features,
            List<String> ignoredColumns,
            List<String> historyGroupings,
            String order) {
        public static final String TIME = "time";
        public static final String FILE_ORDER = "file order";
    }

    /**
     * One time slice: its size, failures, and first and last build start (null for input without
     * times).
     */
    public record SplitPart(int builds, long failedBuilds, Instant from, Instant to) {}

    public record SplitSummary(SplitPart train, SplitPart validation, SplitPart test) {}

    public record TrainingSummary(
            int bestEpoch,
            int epochsRun,
            double bestValidationRocAuc,
            long seed,
            int batchSize,
            double learningRate,
            String classImbalance) {}

    public EvaluationReport withChampion(ChampionDecision decision) {
        return new EvaluationReport(
                modelName,
                modelVersion,
                createdAt,
                data,
                split,
                training,
                model,
                baselines,
                decision);
    }

    public String toJson() {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("evaluation report is not serialisable", e);
        }
    }

    /** The report for people: a table of the model against the baselines, then calibration. */
    public String toText() {
        StringBuilder t = new StringBuilder();
        t.append("Model ").append(modelName).append(' ').append(modelVersion).append('\n');
        t.append("Data: ").append(data.source()).append('\n');
        t.append(
                String.format(
                        Locale.ROOT,
                        "  %d rows read, %d builds (%d duplicate rows merged, %d skipped)%n",
                        data.rowsRead(),
                        data.builds(),
                        data.duplicateRowsMerged(),
                        data.skippedUnknownLabels()));
        t.append("  features (").append(data.features().size()).append("): ");
        t.append(String.join(", ", data.features())).append('\n');
        t.append("  not used: ").append(String.join(", ", data.ignoredColumns())).append('\n');
        t.append(
                DataSummary.FILE_ORDER.equals(data.order())
                        ? "Split in file order (no --timestamp-column: rows taken as already in"
                                + " time order, each row's outcome known to the rows after it):\n"
                        : "Time-ordered split (train < validation < test):\n");
        part(t, "train", split.train());
        part(t, "validation", split.validation());
        part(t, "test", split.test());
        t.append(
                String.format(
                        Locale.ROOT,
                        "Training: best epoch %d of %d, validation ROC-AUC %.4f, %s%n",
                        training.bestEpoch(),
                        training.epochsRun(),
                        training.bestValidationRocAuc(),
                        training.classImbalance()));
        t.append("\nHeld-out test builds (positive class = failed build):\n");
        t.append(
                String.format(
                        Locale.ROOT,
                        "%-24s %8s %8s %9s %8s %8s %14s%n",
                        "scorer",
                        "ROC-AUC",
                        "accuracy",
                        "precision",
                        "recall",
                        "F1",
                        "recall@P>=0.5"));
        row(t, "model", model);
        baselines.forEach((name, m) -> row(t, name, m));
        t.append("\nCalibration of the model (predicted failure probability vs observed):\n");
        t.append(
                String.format(
                        Locale.ROOT,
                        "%-12s %7s %10s %10s%n",
                        "bin",
                        "builds",
                        "predicted",
                        "observed"));
        for (Metrics.CalibrationBin b : model.calibration()) {
            t.append(
                    String.format(
                            Locale.ROOT,
                            "[%.1f, %.1f)   %7d %10.3f %10.3f%n",
                            b.from(),
                            b.to(),
                            b.count(),
                            b.meanPredicted(),
                            b.observedFailureRate()));
        }
        if (champion != null) {
            t.append("\nChampion/challenger: ").append(champion.outcome()).append(" - ");
            t.append(champion.reason()).append('\n');
        }
        return t.toString();
    }

    private static void part(StringBuilder t, String name, SplitPart p) {
        t.append(
                String.format(
                        Locale.ROOT,
                        "  %-10s %6d builds, %5d failed (%.1f%%), %s%n",
                        name,
                        p.builds(),
                        p.failedBuilds(),
                        100.0 * p.failedBuilds() / Math.max(1, p.builds()),
                        p.from() == null ? "in file order" : p.from() + " .. " + p.to()));
    }

    private static void row(StringBuilder t, String name, ClassifierMetrics m) {
        t.append(
                String.format(
                        Locale.ROOT,
                        "%-24s %8.4f %8.4f %9.4f %8.4f %8.4f %14.4f%n",
                        name,
                        m.rocAuc(),
                        m.accuracy(),
                        m.precisionFailed(),
                        m.recallFailed(),
                        m.f1Failed(),
                        m.recallFailedAtPrecision50()));
    }
}
