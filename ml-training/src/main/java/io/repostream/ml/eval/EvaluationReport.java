package io.repostream.ml.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.repostream.schemas.ModelVersion;
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
        Bootstrap bootstrap,
        ScorerEvaluation model,
        CalibrationChoice calibration,
        ScorerEvaluation calibratedModel,
        Map<String, ScorerEvaluation> baselines,
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

    /**
     * @param kind {@link #ALL_BUILDS} (all builds cut by time at once) or {@link #PER_PROJECT}
     *     (each project's own history cut by time)
     */
    public record SplitSummary(String kind, SplitPart train, SplitPart validation, SplitPart test) {
        public static final String ALL_BUILDS = "all builds";
        public static final String PER_PROJECT = "per project";
    }

    public record TrainingSummary(
            int bestEpoch,
            int epochsRun,
            double bestValidationRocAuc,
            long seed,
            int batchSize,
            double learningRate,
            String classImbalance,
            Integer refitBuilds) {}

    public EvaluationReport withChampion(ChampionDecision decision) {
        return new EvaluationReport(
                modelName,
                modelVersion,
                createdAt,
                data,
                split,
                training,
                bootstrap,
                model,
                calibration,
                calibratedModel,
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
                        : SplitSummary.PER_PROJECT.equals(split.kind())
                                ? "Time-ordered split per project (each project's oldest builds"
                                        + " train, its newest test):\n"
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
        t.append(
                training.refitBuilds() == null
                        ? "Published model: the one chosen on validation (no refit).\n"
                        : String.format(
                                Locale.ROOT,
                                "Published model: refit on train+validation (%d builds) for %d"
                                        + " epochs, with the calibration below. The figures below"
                                        + " are those of the model chosen on validation and"
                                        + " tested on the test builds, not of the refit model"
                                        + " (the champion/challenger line scores the refit model"
                                        + " on the same test builds).%n",
                                training.refitBuilds(),
                                training.bestEpoch()));
        t.append(
                String.format(
                        Locale.ROOT,
                        "%nHeld-out test builds (positive class = failed build). Thresholds chosen"
                                + " on the validation builds (best recall at precision >= %.1f,"
                                + " else best F1);%n95%% bootstrap intervals over %d resamples"
                                + " (seed %d) in brackets; ECE over %d equal-width bins.%n",
                        ScorerEvaluation.MIN_PRECISION,
                        bootstrap.resamples(),
                        bootstrap.seed(),
                        Metrics.CALIBRATION_BINS));
        header(t, "pooled");
        row(t, "model", model.pooled());
        row(t, "model, calibrated", calibratedModel.pooled());
        baselines.forEach((name, m) -> row(t, name, m.pooled()));
        t.append(
                String.format(
                        Locale.ROOT,
                        "%nMean per-project ROC-AUC: model %.4f",
                        model.meanProjectRocAuc()));
        baselines.forEach(
                (name, m) ->
                        t.append(
                                String.format(
                                        Locale.ROOT, ", %s %.4f", name, m.meanProjectRocAuc())));
        t.append('\n');
        for (String project : model.perProject().keySet()) {
            t.append('\n');
            header(t, project);
            row(t, "model", model.perProject().get(project));
            row(t, "model, calibrated", calibratedModel.perProject().get(project));
            baselines.forEach((name, m) -> row(t, name, m.perProject().get(project)));
        }
        t.append(
                String.format(
                        Locale.ROOT,
                        "%nCalibration fitted on validation: %s (two-fold cross-fitted validation"
                                + " Brier: Platt %.4f, isotonic %.4f; the lower wins, ties go to"
                                + " Platt). Platt would be p' = 1 / (1 + exp(-(%.4f * logit(p) +"
                                + " %.4f))).%s%n",
                        calibration.chosen().method(),
                        calibration.plattBrier(),
                        calibration.isotonicBrier(),
                        calibration.platt().a(),
                        calibration.platt().b(),
                        ModelVersion.Calibration.ISOTONIC.equals(calibration.chosen().method())
                                ? " Isotonic: " + calibration.chosen().x().size() + " points."
                                : ""));
        t.append("\nCalibration of the model (predicted failure probability vs observed):\n");
        calibrationTable(t, model.pooled());
        t.append("\nCalibration after ")
                .append(calibration.chosen().method())
                .append(" calibration:\n");
        calibrationTable(t, calibratedModel.pooled());
        if (champion != null) {
            t.append("\nChampion/challenger (ROC-AUC and calibration error on the test builds, no")
                    .append(" threshold): ")
                    .append(champion.outcome())
                    .append(" - ");
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

    private static void header(StringBuilder t, String title) {
        t.append(
                String.format(
                        Locale.ROOT,
                        "%-24s %6s %5s %24s %7s %7s %20s %9s %9s %7s %7s%n",
                        title,
                        "builds",
                        "fail",
                        "ROC-AUC [95% CI]",
                        "PR-AUC",
                        "Brier",
                        "ECE [95% CI]",
                        "threshold",
                        "precision",
                        "recall",
                        "F1"));
    }

    private static void row(StringBuilder t, String name, ClassifierMetrics m) {
        t.append(
                String.format(
                        Locale.ROOT,
                        "%-24s %6d %5d %7.4f %16s %7.4f %7.4f %7.4f %12s %9.4f %9.4f %7.4f %7.4f%n",
                        name,
                        m.builds(),
                        m.failedBuilds(),
                        m.rocAuc(),
                        interval(m.rocAucCi()),
                        m.prAuc(),
                        m.brier(),
                        m.calibrationError(),
                        interval(m.calibrationErrorCi()),
                        m.threshold(),
                        m.precisionFailed(),
                        m.recallFailed(),
                        m.f1Failed()));
    }

    private static String interval(Bootstrap.Interval ci) {
        return ci == null ? "" : String.format(Locale.ROOT, "[%.3f, %.3f]", ci.low(), ci.high());
    }

    private static void calibrationTable(StringBuilder t, ClassifierMetrics m) {
        t.append(
                String.format(
                        Locale.ROOT,
                        "%-12s %7s %10s %10s%n",
                        "bin",
                        "builds",
                        "predicted",
                        "observed"));
        for (Metrics.CalibrationBin b : m.calibration()) {
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
    }
}
