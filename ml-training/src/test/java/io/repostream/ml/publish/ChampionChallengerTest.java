package io.repostream.ml.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.ml.TestData;
import io.repostream.ml.data.BuildTable;
import io.repostream.ml.eval.CalibrationChoice;
import io.repostream.ml.eval.ChampionDecision;
import io.repostream.ml.eval.ChampionDecision.Outcome;
import io.repostream.ml.train.SuccessNetwork;
import io.repostream.model.ModelScorer;
import io.repostream.model.Standardizer;
import io.repostream.schemas.ModelVersion;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChampionChallengerTest {
    private final BuildTable test = TestData.split().test();

    private static ModelVersion trainedChampion() {
        return ModelVersions.of(
                TestData.model(), "ci-success", "s", Map.of(), "t", false, Instant.EPOCH);
    }

    /** An untrained network: ranks builds by chance. */
    private static ModelScorer untrained() {
        var m = TestData.model();
        return new ModelScorer(
                SuccessNetwork.create(m.featureNames().size(), 99, 1e-3, 0),
                m.standardizer(),
                m.featureNames(),
                "untrained");
    }

    @Test
    void theFirstModelOfANameIsAcceptedWithoutComparison() {
        ChampionDecision d =
                new ChampionChallenger(0).decide(untrained(), "s", Optional.empty(), test, false);
        assertThat(d.outcome()).isEqualTo(Outcome.FIRST_MODEL);
        assertThat(d.outcome().publishes()).isTrue();
    }

    @Test
    void refusesAChallengerThatDoesWorseOnTheSameTestBuilds() {
        ChampionDecision d =
                new ChampionChallenger(0)
                        .decide(untrained(), "s", Optional.of(trainedChampion()), test, false);
        assertThat(d.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(d.championRocAuc()).isGreaterThan(d.challengerRocAuc());
        assertThat(d.reason()).contains("champion kept");
    }

    @Test
    void forcePublishesAWorseChallengerAndSaysSo() {
        ChampionDecision d =
                new ChampionChallenger(0)
                        .decide(untrained(), "s", Optional.of(trainedChampion()), test, true);
        assertThat(d.outcome()).isEqualTo(Outcome.FORCED);
        assertThat(d.outcome().publishes()).isTrue();
    }

    @Test
    void acceptsAChallengerThatBeatsTheChampion() {
        ModelVersion weakChampion =
                ModelVersions.of(
                        new io.repostream.ml.train.TrainedModel(
                                SuccessNetwork.create(
                                        TestData.model().featureNames().size(), 99, 1e-3, 0),
                                TestData.model().standardizer(),
                                TestData.model().featureNames(),
                                0,
                                0,
                                0.5),
                        "ci-success",
                        "s",
                        Map.of(),
                        "t",
                        false,
                        Instant.EPOCH);
        ChampionDecision d =
                new ChampionChallenger(0)
                        .decide(
                                TestData.model().scorer("good"),
                                "s",
                                Optional.of(weakChampion),
                                test,
                                false);
        assertThat(d.outcome()).isEqualTo(Outcome.BEATS_CHAMPION);
        assertThat(d.challengerRocAuc()).isGreaterThan(d.championRocAuc());
    }

    /** An untrained network that says every build fails with the test builds' own failure rate. */
    private ModelVersion constantButCalibratedChampion() {
        double rate = (double) test.failures() / test.size();
        var m = TestData.model();
        return ModelVersions.of(
                new io.repostream.ml.train.TrainedModel(
                        SuccessNetwork.create(m.featureNames().size(), 99, 1e-3, 0),
                        m.standardizer(),
                        m.featureNames(),
                        0,
                        0,
                        0.5),
                "ci-success",
                "s",
                Map.of(),
                "t",
                false,
                Instant.EPOCH,
                ModelVersion.Calibration.isotonic(List.of(0.0, 1.0), List.of(rate, rate)));
    }

    @Test
    void keepsTheChampionWhenTheChallengerRanksBetterButIsBadlyCalibrated() {
        // a good ranker whose failure probabilities are pushed far above the observed rate
        ModelScorer overconfident =
                TestData.model().scorer("overconfident", ModelVersion.Calibration.platt(1, 4));

        ChampionDecision d =
                new ChampionChallenger(0)
                        .decide(
                                overconfident,
                                "s",
                                Optional.of(constantButCalibratedChampion()),
                                test,
                                false);

        assertThat(d.challengerRocAuc()).isGreaterThan(d.championRocAuc());
        assertThat(d.championRocAuc()).isEqualTo(0.5);
        assertThat(d.championCalibrationError()).isLessThan(1e-9);
        assertThat(d.challengerCalibrationError()).isGreaterThan(0.2);
        assertThat(d.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(d.reason())
                .contains("calibration error is too high")
                .contains("champion kept")
                .contains("newest (test) builds");
    }

    @Test
    void replacesTheChampionWhenTheCalibratedChallengerRanksBetterAndIsCalibratedEnough() {
        var split = TestData.split();
        ModelScorer raw = TestData.model().scorer("raw");
        double[] pSuccess = raw.successProbabilities(split.validation().featureMatrix());
        double[] pFailure = new double[pSuccess.length];
        for (int i = 0; i < pFailure.length; i++) {
            pFailure[i] = 1 - pSuccess[i];
        }
        CalibrationChoice calibration =
                CalibrationChoice.choose(pFailure, split.validation().failed());

        ChampionDecision d =
                new ChampionChallenger(0, 0.1)
                        .decide(
                                TestData.model().scorer("calibrated", calibration.chosen()),
                                "s",
                                Optional.of(constantButCalibratedChampion()),
                                test,
                                false);

        assertThat(d.outcome()).as(d.reason()).isEqualTo(Outcome.BEATS_CHAMPION);
        assertThat(d.challengerRocAuc()).isGreaterThan(0.7);
        assertThat(d.challengerCalibrationError())
                .isLessThanOrEqualTo(d.championCalibrationError() + 0.1);
        assertThat(d.reason()).contains("calibrated well enough").contains("challenger wins");
    }

    @Test
    void aTieIsNotEnoughToReplaceTheChampion() {
        ChampionDecision d =
                new ChampionChallenger(0)
                        .decide(
                                TestData.model().scorer("same"),
                                "s",
                                Optional.of(trainedChampion()),
                                test,
                                false);
        assertThat(d.outcome()).isEqualTo(Outcome.REFUSED);
    }

    @Test
    void refusesToReplaceAChampionThatNeedsFeaturesTheDataLacks() {
        ModelVersion champion = trainedChampion();
        Standardizer s = new Standardizer(new double[] {0}, new double[] {1});
        ModelVersion other =
                new ModelVersion(
                        "ci-success",
                        "v-other",
                        Instant.EPOCH,
                        ModelScorer.FORMAT,
                        "other-set",
                        List.of("queue_depth"),
                        s.meanList(),
                        s.stdList(),
                        Base64.getEncoder().encodeToString(new byte[] {1}),
                        champion.artifactSha256(),
                        Map.of(),
                        "t",
                        false);
        ChampionDecision d =
                new ChampionChallenger(0)
                        .decide(
                                TestData.model().scorer("good"),
                                "s",
                                Optional.of(other),
                                test,
                                false);
        assertThat(d.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(d.reason()).contains("[queue_depth]").contains("cannot be compared");
    }

    @Test
    void replacesAnOnlineChampionTheFlinkJobCannotLoadWithOneItCan() {
        ModelVersion offline =
                ModelVersions.of(
                        TestData.model(),
                        OnlineModel.NAME,
                        "travistorrent-v1",
                        Map.of(),
                        "t",
                        true,
                        Instant.EPOCH);
        ChampionDecision d =
                new ChampionChallenger(0)
                        .decide(
                                untrained(),
                                OnlineModel.FEATURE_SET,
                                Optional.of(offline),
                                test,
                                false);
        assertThat(d.outcome()).isEqualTo(Outcome.REPLACES_UNLOADABLE);
        assertThat(d.outcome().publishes()).isTrue();
        assertThat(d.reason())
                .contains("'travistorrent-v1'")
                .contains("the Flink job does not load");
    }

    @Test
    void comparesAsBeforeWhenTheChampionIsNotTheOnlineModel() {
        ModelVersion champion =
                ModelVersions.of(
                        TestData.model(),
                        "ci-success-travis",
                        "travistorrent-v1",
                        Map.of(),
                        "t",
                        false,
                        Instant.EPOCH);
        ChampionDecision d =
                new ChampionChallenger(0)
                        .decide(
                                untrained(),
                                OnlineModel.FEATURE_SET,
                                Optional.of(champion),
                                test,
                                false);
        assertThat(d.outcome()).isEqualTo(Outcome.REFUSED);
    }

    @Test
    void theOnlineNameAcceptsOnlyTheOnlineFeatureSet() {
        OnlineModel.requireLoadable(OnlineModel.NAME, OnlineModel.FEATURE_SET);
        OnlineModel.requireLoadable("ci-success-travis", "travistorrent-v1");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> OnlineModel.requireLoadable(OnlineModel.NAME, "travistorrent-v1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feature set 'travistorrent-v1'")
                .hasMessageContaining("loads only feature set 'ci-online-v1'")
                .hasMessageContaining("--allow-offline-feature-set");
    }
}
