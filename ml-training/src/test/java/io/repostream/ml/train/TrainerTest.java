package io.repostream.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.ml.TestData;
import io.repostream.ml.data.BuildTable;
import io.repostream.ml.eval.Baselines;
import io.repostream.ml.eval.Bootstrap;
import io.repostream.ml.eval.ClassifierMetrics;
import io.repostream.ml.eval.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrainerTest {

    @Test
    void refitsOnTrainAndValidationForExactlyTheGivenEpochsAndStillRanksTheTestBuilds() {
        TimeSplit split = TestData.split();
        List<io.repostream.ml.data.LabeledBuild> builds = new ArrayList<>(split.train().builds());
        builds.addAll(split.validation().builds());
        BuildTable both =
                new BuildTable(
                        split.train().source(),
                        split.train().featureNames(),
                        split.train().historyGroupings(),
                        builds);
        List<EpochProgress> epochs = new ArrayList<>();

        TrainedModel refit = new Trainer(TestData.quickConfig(), epochs::add).refit(both, 3);

        assertThat(epochs).hasSize(3);
        assertThat(refit.bestEpoch()).isEqualTo(3);
        assertThat(refit.standardizer().means())
                .as("standardised with the training and validation builds")
                .isEqualTo(
                        io.repostream.model.Standardizer.fit(
                                        both.featureMatrix(), both.featureNames().size())
                                .means());
        double[] pSuccess = refit.scorer("r").successProbabilities(split.test().featureMatrix());
        double[] pFailure = new double[pSuccess.length];
        for (int i = 0; i < pFailure.length; i++) {
            pFailure[i] = 1 - pSuccess[i];
        }
        assertThat(Metrics.rocAuc(pFailure, split.test().failed())).isGreaterThan(0.7);
    }

    @Test
    void learnsTheSignalWellAboveChanceOnLaterHeldOutBuilds() {
        TimeSplit split = TestData.split();
        TrainedModel model = TestData.model();
        double[] pSuccess = model.scorer("t").successProbabilities(split.test().featureMatrix());
        double[] pFailure = new double[pSuccess.length];
        for (int i = 0; i < pFailure.length; i++) {
            pFailure[i] = 1 - pSuccess[i];
        }
        double auc = Metrics.rocAuc(pFailure, split.test().failed());
        assertThat(auc).isGreaterThan(0.75);
        ClassifierMetrics previous =
                Baselines.evaluate(TestData.dataset().table(), split, new Bootstrap(0, 0), 1)
                        .get(Baselines.PREVIOUS_OUTCOME)
                        .pooled();
        assertThat(auc).isGreaterThan(previous.rocAuc());
        assertThat(model.bestValidationAuc()).isGreaterThan(0.7);
    }

    @Test
    void findsNothingToLearnWhenOutcomesAreNoise() {
        BuildTable table = TestData.dataset().table();
        Random random = new Random(5);
        List<io.repostream.ml.data.LabeledBuild> shuffled = new ArrayList<>();
        for (var b : table.builds()) {
            shuffled.add(b.withSuccess(random.nextDouble() < 0.6));
        }
        BuildTable noise =
                new BuildTable(
                        table.source(), table.featureNames(), table.historyGroupings(), shuffled);
        TimeSplit split = TimeSplit.of(noise, 0.7, 0.15);
        TrainedModel model =
                new Trainer(new TrainingConfig(1, 8, 3, 64, 3e-3, 1e-4), p -> {})
                        .train(split.train(), split.validation());
        double[] pSuccess = model.scorer("n").successProbabilities(split.test().featureMatrix());
        for (int i = 0; i < pSuccess.length; i++) {
            pSuccess[i] = 1 - pSuccess[i];
        }
        assertThat(Metrics.rocAuc(pSuccess, split.test().failed())).isBetween(0.35, 0.65);
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndKeepsTheBestEpoch() {
        TimeSplit split = TestData.split();
        List<EpochProgress> seen = new ArrayList<>();
        TrainedModel model =
                new Trainer(new TrainingConfig(3, 500, 2, 64, 3e-2, 1e-4), seen::add)
                        .train(split.train(), split.validation());
        assertThat(model.epochsRun()).isLessThan(500).isEqualTo(seen.size());
        assertThat(model.epochsRun() - model.bestEpoch()).isEqualTo(2);
        EpochProgress best = seen.get(model.bestEpoch() - 1);
        assertThat(best.improved()).isTrue();
        assertThat(best.validationAuc())
                .isEqualTo(model.bestValidationAuc())
                .isEqualTo(
                        seen.stream()
                                .mapToDouble(EpochProgress::validationAuc)
                                .max()
                                .orElseThrow());
        // the kept weights are the best epoch's: scoring validation again gives its ROC-AUC
        double[] p = model.scorer("b").successProbabilities(split.validation().featureMatrix());
        for (int i = 0; i < p.length; i++) {
            p[i] = 1 - p[i];
        }
        assertThat(Metrics.rocAuc(p, split.validation().failed()))
                .isCloseTo(model.bestValidationAuc(), org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void buildsTheStandardNetworkWithReluDenseLayersAndDropoutGivenAsRetainProbability() {
        MultiLayerConfiguration conf = SuccessNetwork.configuration(12, 1, 1e-3, 0);
        assertThat(conf.getConfs()).hasSize(5);
        DenseLayer first = (DenseLayer) conf.getConf(0).getLayer();
        assertThat(first.getNIn()).isEqualTo(12);
        assertThat(first.getNOut()).isEqualTo(64);
        assertThat(first.getActivationFn()).isInstanceOf(ActivationReLU.class);
        DenseLayer second = (DenseLayer) conf.getConf(2).getLayer();
        assertThat(second.getNOut()).isEqualTo(32);
        assertThat(second.getActivationFn()).isInstanceOf(ActivationReLU.class);
        Dropout d1 = (Dropout) ((DropoutLayer) conf.getConf(1).getLayer()).getIDropout();
        Dropout d2 = (Dropout) ((DropoutLayer) conf.getConf(3).getLayer()).getIDropout();
        assertThat(d1.getP()).isEqualTo(0.7); // drops 30%
        assertThat(d2.getP()).isEqualTo(0.8); // drops 20%
        OutputLayer out = (OutputLayer) conf.getConf(4).getLayer();
        assertThat(out.getNOut()).isEqualTo(1);
        assertThat(out.getActivationFn()).isInstanceOf(ActivationSigmoid.class);
    }

    @Test
    void oversamplesTheMinorityClassToBalanceEachEpoch() {
        boolean[] failed = new boolean[100];
        for (int i = 0; i < 20; i++) {
            failed[i * 5] = true;
        }
        List<Integer> order = Trainer.balancedOrder(failed, new Random(1));
        long failures = order.stream().filter(i -> failed[i]).count();
        assertThat(order).hasSize(160);
        assertThat(failures).isEqualTo(80);
        assertThat(order).containsAll(java.util.stream.IntStream.range(0, 100).boxed().toList());
    }

    @Test
    void refusesTrainingRowsWithOnlyOneOutcome() {
        BuildTable table = TestData.dataset().table();
        List<io.repostream.ml.data.LabeledBuild> passed =
                table.builds().stream().map(b -> b.withSuccess(true)).toList();
        BuildTable allPassed =
                new BuildTable(
                        table.source(), table.featureNames(), table.historyGroupings(), passed);
        TimeSplit split = TimeSplit.of(allPassed, 0.7, 0.15);
        assertThatThrownBy(
                        () ->
                                new Trainer(TestData.quickConfig(), p -> {})
                                        .train(split.train(), split.validation()))
                .hasMessageContaining("only passed builds");
    }

    @Test
    void splitsByTimeSoValidationAndTestBuildsStartAfterTrainingBuilds() {
        TimeSplit split = TestData.split();
        var train = split.train().builds();
        var validation = split.validation().builds();
        var test = split.test().builds();
        assertThat(train.size() + validation.size() + test.size()).isEqualTo(TestData.BUILDS);
        assertThat(validation.get(0).startedAt())
                .isAfterOrEqualTo(train.get(train.size() - 1).startedAt());
        assertThat(test.get(0).startedAt())
                .isAfterOrEqualTo(validation.get(validation.size() - 1).startedAt());
    }
}
