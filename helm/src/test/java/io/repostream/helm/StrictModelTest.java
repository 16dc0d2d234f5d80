package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class StrictModelTest {
    @Test
    void reportsAMisspeltFieldDeepInsideADeployment() {
        HasMetadata deployment =
                Serialization.unmarshal(
                        """
                        {"apiVersion": "apps/v1", "kind": "Deployment",
                         "metadata": {"name": "web"},
                         "spec": {"template": {"spec": {"containers": [
                           {"name": "web", "image": "web:1",
                            "readinesProbe": {"httpGet": {"path": "/readyz", "port": 80}}}]}}}}
                        """);

        assertThat(StrictModel.unknownFields(deployment))
                .containsExactly(".spec.template.spec.containers[0].readinesProbe");
    }

    @Test
    void findsNothingUnknownInAWellFormedDeployment() {
        HasMetadata deployment =
                Serialization.unmarshal(
                        """
                        {"apiVersion": "apps/v1", "kind": "Deployment",
                         "metadata": {"name": "web"},
                         "spec": {"template": {"spec": {"containers": [
                           {"name": "web", "image": "web:1",
                            "readinessProbe": {"httpGet": {"path": "/readyz", "port": 80}}}]}}}}
                        """);

        assertThat(StrictModel.unknownFields(deployment)).isEmpty();
    }
}
