package io.repostream.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.repostream.ml.publish.ModelVersions;
import io.repostream.ml.train.TrainedModel;
import io.repostream.model.ModelScorer;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelScorerTest {
    private static final Instant NOW = Instant.parse("2026-11-21T22:00:00Z");

    private static ModelVersion published() {
        return ModelVersions.of(
                TestData.model(),
                "ci-success",
                "synthetic-v1",
                Map.of("roc_auc", 0.8),
                "synthetic",
                false,
                NOW);
    }

    /** Through JSON exactly as a consumer of github.models.v1 receives it. */
    private static ModelVersion overTheWire(ModelVersion v) {
        return Topics.MODELS.valueCodec().decode(Topics.MODELS.valueCodec().encode(v));
    }

    @Test
    void standardisationAndWeightsRoundTripThroughAModelVersion() {
        TrainedModel trained = TestData.model();
        ModelScorer loaded = ModelScorer.load(overTheWire(published()));
        assertThat(loaded.featureNames()).isEqualTo(trained.featureNames());
        assertThat(loaded.standardizer().means()).isEqualTo(trained.standardizer().means());
        assertThat(loaded.standardizer().stds()).isEqualTo(trained.standardizer().stds());
        assertThat(loaded.version()).startsWith("20261121T220000Z-");

        double[][] rows = TestData.split().test().featureMatrix();
        double[] expected = trained.scorer("in-memory").successProbabilities(rows);
        double[] actual = loaded.successProbabilities(rows);
        assertThat(actual).hasSize(rows.length);
        for (int i = 0; i < rows.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(1e-6));
        }
        // not a constant model
        assertThat(
                        Arrays.stream(actual).max().orElseThrow()
                                - Arrays.stream(actual).min().orElseThrow())
                .isGreaterThan(0.3);
    }

    @Test
    void refusesAnArtifactThatIsNotTheOneItsHashNames() {
        ModelVersion good = published();
        ModelVersion tampered =
                new ModelVersion(
                        good.modelName(),
                        good.version(),
                        good.createdAt(),
                        good.format(),
                        good.featureSet(),
                        good.featureNames(),
                        good.means(),
                        good.stds(),
                        good.artifactBase64(),
                        "0".repeat(64),
                        good.metrics(),
                        good.trainedOn(),
                        false);
        assertThatThrownBy(() -> ModelScorer.load(tampered))
                .hasMessageContaining("ci-success " + good.version())
                .hasMessageContaining("SHA-256");
    }

    @Test
    void scoresFeatureMapsByNameAndTreatsAnAbsentFeatureAsTheTrainingMean() {
        ModelScorer scorer = ModelScorer.load(published());
        double[] row = TestData.split().test().featureMatrix()[3].clone();
        List<String> names = scorer.featureNames();
        Map<String, Double> byName = new LinkedHashMap<>();
        for (int j = names.size() - 1; j >= 0; j--) { // order of the map must not matter
            byName.put(names.get(j), row[j]);
        }
        double[] fromArray = scorer.successProbabilities(new double[][] {row});
        assertThat(scorer.successProbabilitiesOf(List.of(byName))[0])
                .isCloseTo(fromArray[0], within(1e-9));

        int churn = names.indexOf("git_diff_src_churn");
        byName.remove("git_diff_src_churn");
        row[churn] = scorer.standardizer().means()[churn];
        assertThat(scorer.successProbabilitiesOf(List.of(byName))[0])
                .isCloseTo(scorer.successProbabilities(new double[][] {row})[0], within(1e-6));
    }

    @Test
    void scoresALargeBatchInOneCallAndGivesProbabilities() {
        ModelScorer scorer = ModelScorer.load(published());
        double[][] test = TestData.split().test().featureMatrix();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rows.add(test[i % test.length]);
        }
        double[] p = scorer.copy().successProbabilities(rows.toArray(double[][]::new));
        assertThat(p).hasSize(5000);
        assertThat(Arrays.stream(p).boxed().toList())
                .allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
        assertThat(p[test.length]).isCloseTo(p[0], within(1e-9));
    }

    @Test
    void refusesRowsOfTheWrongWidth() {
        ModelScorer scorer = ModelScorer.load(published());
        assertThatThrownBy(() -> scorer.successProbabilities(new double[][] {{1, 2, 3}}))
                .hasMessageContaining(
                        "row has 3 features, expected " + scorer.featureNames().size());
    }
}
