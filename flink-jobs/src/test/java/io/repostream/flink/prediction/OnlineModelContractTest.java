package io.repostream.flink.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.ml.publish.OnlineModel;
import org.junit.jupiter.api.Test;

/** The trainer's publishing guard names the model this job follows and the set it computes. */
class OnlineModelContractTest {
    @Test
    void theTrainerGuardsTheModelNameAndFeatureSetThisJobUses() {
        assertThat(OnlineModel.NAME).isEqualTo(CiSuccessPredictor.DEFAULT_MODEL_NAME);
        assertThat(OnlineModel.FEATURE_SET).isEqualTo(CiFeatures.FEATURE_SET);
    }
}
