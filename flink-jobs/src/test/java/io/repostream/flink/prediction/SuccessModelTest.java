package io.repostream.flink.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.repostream.model.ModelScorer;
import io.repostream.schemas.ModelVersion;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SuccessModelTest {
    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void scoresLikeTheTrainersDl4jScorerInPlainJava() {
        ModelVersion published = TestModels.random("v1", T, 11);
        SuccessModel model = SuccessModel.compile(published);
        ModelScorer reference = ModelScorer.load(published);

        Random random = new Random(5);
        double[][] rows = new double[200][CiFeatures.NAMES.size()];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                // some features missing, as in real vectors
                row[j] = random.nextInt(5) == 0 ? Double.NaN : random.nextGaussian() * 4;
            }
        }
        double[] expected = reference.successProbabilities(rows);
        double[] got = model.successProbabilities(rows);
        for (int i = 0; i < rows.length; i++) {
            assertThat(got[i]).isCloseTo(expected[i], within(1e-5));
        }
        assertThat(got).as("random weights give different scores").doesNotHaveDuplicates();
        assertThat(model.version()).isEqualTo("v1");
        assertThat(model.featureNames()).isEqualTo(CiFeatures.NAMES);
    }

    @Test
    void scoresAFeatureMapByNameWithAbsentFeaturesAsTheTrainingMean() {
        ModelVersion published = TestModels.random("v1", T, 12);
        SuccessModel model = SuccessModel.compile(published);
        Map<String, Double> features = new LinkedHashMap<>();
        features.put(CiFeatures.HOUR_OF_DAY, 13.0);
        double[] row = new double[CiFeatures.NAMES.size()];
        for (int j = 0; j < row.length; j++) {
            row[j] = published.means().get(j);
        }
        row[CiFeatures.NAMES.indexOf(CiFeatures.HOUR_OF_DAY)] = 13.0;

        assertThat(model.successProbability(features))
                .isCloseTo(model.successProbability(row), within(1e-12));
    }

    @Test
    void refusesAModelWhoseArtifactIsNotWhatItsSha256Names() {
        ModelVersion tampered = TestModels.tampered(TestModels.random("v9", T, 13));

        assertThatThrownBy(() -> SuccessModel.compile(tampered))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ci-success v9")
                .hasMessageContaining("SHA-256");
    }
}
