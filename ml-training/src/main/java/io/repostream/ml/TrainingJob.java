package io.repostream.ml;

import io.repostream.ml.data.BuildTable;
import io.repostream.ml.data.Dataset;
import io.repostream.ml.eval.Baselines;
import io.repostream.ml.eval.Bootstrap;
import io.repostream.ml.eval.CalibrationChoice;
import io.repostream.ml.eval.ChampionDecision;
import io.repostream.ml.eval.ClassifierMetrics;
import io.repostream.ml.eval.EvaluationReport;
import io.repostream.ml.eval.ScorerEvaluation;
import io.repostream.ml.publish.ChampionChallenger;
import io.repostream.ml.publish.ModelRegistry;
import io.repostream.ml.publish.ModelVersions;
import io.repostream.ml.publish.OnlineModel;
import io.repostream.ml.train.EpochProgress;
import io.repostream.ml.train.TimeSplit;
import io.repostream.ml.train.TrainedModel;
import io.repostream.ml.train.Trainer;
import io.repostream.ml.train.TrainingConfig;
import io.repostream.model.ModelScorer;
import io.repostream.schemas.ModelVersion;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Train, evaluate against baselines, and publish if the model beats the champion: the whole batch
 * job, independent of where data comes from and where results are written.
 */
public final class TrainingJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingJob.class);

    /**
     * @param model the trained model's record (published or not)
     * @param report its evaluation, including the champion decision when a registry was given
     * @param published whether it was written to the models topic
     */
    public record Result(ModelVersion model, EvaluationReport report, boolean published) {}

    private final TrainingConfig config;
    private final double trainFraction;
    private final double validationFraction;
    private final Consumer<EpochProgress> progress;
    private final Clock clock;
    private final Bootstrap bootstrap;
    private final boolean perProjectSplit;
    private final boolean refit;
    private final double maxCalibrationLoss;

    /** Split over all builds by time, with {@link Bootstrap#defaults()} intervals. */
    public TrainingJob(
            TrainingConfig config,
            double trainFraction,
            double validationFraction,
            Consumer<EpochProgress> progress,
            Clock clock) {
        this(
                config,
                trainFraction,
                validationFraction,
                progress,
                clock,
                Bootstrap.defaults(),
                false);
    }

    /**
     * @param bootstrap confidence intervals of the test figures
     * @param perProjectSplit cut each project's own history by time ({@link TimeSplit#perProject})
     *     instead of all builds at once
     */
    public TrainingJob(
            TrainingConfig config,
            double trainFraction,
            double validationFraction,
            Consumer<EpochProgress> progress,
            Clock clock,
            Bootstrap bootstrap,
            boolean perProjectSplit) {
        this(
                config,
                trainFraction,
                validationFraction,
                progress,
                clock,
                bootstrap,
                perProjectSplit,
                true,
                ChampionChallenger.DEFAULT_MAX_CALIBRATION_LOSS);
    }

    /**
     * @param refit publish a model refit on train+validation for the epoch count found on
     *     validation (the report's figures stay those of the model chosen on validation); false
     *     publishes that model itself
     * @param maxCalibrationLoss calibration error a challenger may add over the champion's
     */
    public TrainingJob(
            TrainingConfig config,
            double trainFraction,
            double validationFraction,
            Consumer<EpochProgress> progress,
            Clock clock,
            Bootstrap bootstrap,
            boolean perProjectSplit,
            boolean refit,
            double maxCalibrationLoss) {
        this.refit = refit;
        this.maxCalibrationLoss = maxCalibrationLoss;
        this.bootstrap = bootstrap;
        this.perProjectSplit = perProjectSplit;
        this.config = config;
        this.trainFraction = trainFraction;
        this.validationFraction = validationFraction;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * Like {@link #run(Dataset, String, Optional, boolean, double, boolean)}, refusing to publish
     * under {@link OnlineModel#NAME} a model the Flink job cannot load.
     */
    public Result run(
            Dataset data,
            String modelName,
            Optional<ModelRegistry> registry,
            boolean force,
            double minGain)
            throws TimeoutException {
        return run(data, modelName, registry, force, minGain, false);
    }

    /**
     * @param registry where to compare against the champion and publish; empty to only evaluate
     * @param force publish even if the champion is better
     * @param minGain ROC-AUC the challenger must add over the champion
     * @param allowOfflineFeatureSet publish under {@link OnlineModel#NAME} even a model whose
     *     feature set the Flink job does not compute; otherwise such a run stops before training
     * @throws IllegalArgumentException when the model would be published under the online name with
     *     a feature set the Flink job cannot load, and that was not allowed
     */
    public Result run(
            Dataset data,
            String modelName,
            Optional<ModelRegistry> registry,
            boolean force,
            double minGain,
            boolean allowOfflineFeatureSet)
            throws TimeoutException {
        if (registry.isPresent() && !allowOfflineFeatureSet) {
            OnlineModel.requireLoadable(modelName, data.featureSet());
        }
        BuildTable table = data.table();
        TimeSplit split =
                perProjectSplit
                        ? TimeSplit.perProject(table, trainFraction, validationFraction)
                        : TimeSplit.of(table, trainFraction, validationFraction);
        requireBothOutcomes(split.test(), "test");
        LOG.info(
                "training {} on {} builds ({} train, {} validation, {} test), {} features",
                modelName,
                table.size(),
                split.train().size(),
                split.validation().size(),
                split.test().size(),
                table.featureNames().size());
        Trainer trainer = new Trainer(config, progress);
        TrainedModel trained = trainer.train(split.train(), split.validation());

        ModelScorer chosen = trained.scorer("chosen on validation");
        // thresholds and calibration come from the validation builds; the test builds only report
        boolean[] failedValidation = split.validation().failed();
        double[] pValidation = failureProbabilities(chosen, split.validation());
        boolean[] failed = split.test().failed();
        double[] pFailure = failureProbabilities(chosen, split.test());
        List<String> projects = TimeSplit.projects(split.test());
        ScorerEvaluation evaluation =
                ScorerEvaluation.evaluate(
                        pValidation, failedValidation, pFailure, failed, projects, bootstrap);
        CalibrationChoice calibration = CalibrationChoice.choose(pValidation, failedValidation);
        ScorerEvaluation calibrated =
                ScorerEvaluation.evaluate(
                        calibration.apply(pValidation),
                        failedValidation,
                        calibration.apply(pFailure),
                        failed,
                        projects,
                        bootstrap);
        ClassifierMetrics metrics = evaluation.pooled();

        // the published model learns from the validation builds too, for as many epochs as early
        // stopping chose; it keeps the calibration fitted on the chosen model's validation scores
        BuildTable trainAndValidation = concat(split.train(), split.validation());
        TrainedModel finalModel =
                refit ? trainer.refit(trainAndValidation, trained.bestEpoch()) : trained;
        ChampionDecision decision = null;
        if (registry.isPresent()) {
            decision =
                    new ChampionChallenger(minGain, maxCalibrationLoss)
                            .decide(
                                    finalModel.scorer("challenger", calibration.chosen()),
                                    data.featureSet(),
                                    registry.get().champion(modelName),
                                    split.test(),
                                    force);
        }
        Instant now = clock.instant();
        boolean forced = decision != null && decision.outcome() == ChampionDecision.Outcome.FORCED;
        ModelVersion model =
                ModelVersions.of(
                        finalModel,
                        modelName,
                        data.featureSet(),
                        metrics.asMap(),
                        table.source()
                                + " ("
                                + (refit
                                        ? trainAndValidation.size()
                                                + " training and validation builds, "
                                                + trained.bestEpoch()
                                                + " epochs"
                                        : split.train().size() + " training builds")
                                + ")",
                        forced,
                        now,
                        calibration.chosen());
        boolean published = decision != null && decision.outcome().publishes();
        if (published) {
            registry.get().publish(model);
            LOG.info("published {} {}: {}", modelName, model.version(), decision.reason());
        } else if (decision != null) {
            LOG.warn("not published: {}", decision.reason());
        }
        EvaluationReport report =
                new EvaluationReport(
                        modelName,
                        model.version(),
                        now,
                        new EvaluationReport.DataSummary(
                                table.source(),
                                data.rowsRead(),
                                table.size(),
                                data.duplicateRowsMerged(),
                                data.skippedUnknownLabels(),
                                table.featureNames(),
                                data.ignoredColumns(),
                                table.historyGroupings(),
                                table.timed()
                                        ? EvaluationReport.DataSummary.TIME
                                        : EvaluationReport.DataSummary.FILE_ORDER),
                        new EvaluationReport.SplitSummary(
                                perProjectSplit
                                        ? EvaluationReport.SplitSummary.PER_PROJECT
                                        : EvaluationReport.SplitSummary.ALL_BUILDS,
                                part(split.train()),
                                part(split.validation()),
                                part(split.test())),
                        new EvaluationReport.TrainingSummary(
                                trained.bestEpoch(),
                                trained.epochsRun(),
                                trained.bestValidationAuc(),
                                config.seed(),
                                config.batchSize(),
                                config.learningRate(),
                                "minority class oversampled to balance each epoch",
                                refit ? trainAndValidation.size() : null),
                        bootstrap,
                        evaluation,
                        calibration,
                        calibrated,
                        Baselines.evaluate(table, split, bootstrap, config.seed()),
                        decision);
        return new Result(model, report, published);
    }

    static double[] failureProbabilities(ModelScorer scorer, BuildTable builds) {
        double[] p = scorer.successProbabilities(builds.featureMatrix());
        for (int i = 0; i < p.length; i++) {
            p[i] = 1 - p[i];
        }
        return p;
    }

    private static BuildTable concat(BuildTable a, BuildTable b) {
        List<io.repostream.ml.data.LabeledBuild> builds = new java.util.ArrayList<>(a.builds());
        builds.addAll(b.builds());
        return new BuildTable(a.source(), a.featureNames(), a.historyGroupings(), builds);
    }

    private static void requireBothOutcomes(BuildTable part, String name) {
        long failures = part.failures();
        if (failures == 0 || failures == part.size()) {
            throw new IllegalArgumentException(
                    "the "
                            + name
                            + " builds of "
                            + part.source()
                            + " are all "
                            + (failures == 0 ? "passed" : "failed")
                            + "; cannot evaluate (use more data or other split fractions)");
        }
    }

    private static EvaluationReport.SplitPart part(BuildTable t) {
        return new EvaluationReport.SplitPart(
                t.size(),
                t.failures(),
                t.builds().get(0).startedAt(),
                t.builds().get(t.size() - 1).startedAt());
    }
}
