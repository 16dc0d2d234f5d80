package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What must hold for every value set: typed, bounded, secrets by reference, selectors that select.
 */
@Timeout(120)
class RenderedChartTest {
    private static final Pattern SECRET_LIKE =
            Pattern.compile("(?i).*(secret|token|password|passwd|private|jaas|credential).*");

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyManifestParsesIntoATypedModelWithoutUnknownFields(ValueSet values) {
        Manifests manifests = Chart.render(values);

        assertThat(manifests.all()).isNotEmpty();
        for (Manifests.Resource resource : manifests.all()) {
            if (resource.typed() instanceof GenericKubernetesResource) {
                assertThat(resource.kind())
                        .as("only CRDs without a fabric8 model stay generic")
                        .isIn("FlinkDeployment", "KafkaTopic");
                continue;
            }
            assertThat(StrictModel.unknownFields(resource.typed()))
                    .as("%s %s", resource.kind(), resource.name())
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyContainerHasCpuAndMemoryRequestsAndLimits(ValueSet values) {
        List<Container> containers = Chart.render(values).containers();

        assertThat(containers).isNotEmpty();
        for (Container container : containers) {
            var resources = container.getResources();
            assertThat(resources.getLimits()).as(container.getName()).containsKeys("cpu", "memory");
            assertThat(resources.getRequests())
                    .as(container.getName())
                    .containsKeys("cpu", "memory");
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void rendersNoSecretAndTakesEverySecretValueFromASecretReference(ValueSet values) {
        Manifests manifests = Chart.render(values);

        assertThat(manifests.all()).extracting(Manifests.Resource::kind).doesNotContain("Secret");
        for (Container container : manifests.containers()) {
            for (EnvVar env : container.getEnv()) {
                // *_FILE variables hold the path of a mounted Secret, not a secret
                if (!SECRET_LIKE.matcher(env.getName()).matches()
                        || env.getName().endsWith("_FILE")) {
                    continue;
                }
                assertThat(env.getValue()).as("%s %s", container.getName(), env.getName()).isNull();
                assertThat(env.getValueFrom().getSecretKeyRef())
                        .as("%s %s", container.getName(), env.getName())
                        .isNotNull();
            }
        }
        for (ConfigMap configMap : manifests.of(ConfigMap.class)) {
            configMap
                    .getData()
                    .forEach(
                            (key, data) ->
                                    assertThat(data)
                                            .as("ConfigMap %s", configMap.getMetadata().getName())
                                            .doesNotContainPattern(
                                                    "(?i)password|jaas|BEGIN .*PRIVATE KEY"));
        }
        assertThat(manifests.text()).doesNotContain("PRIVATE KEY");
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void servicesAndDisruptionBudgetsSelectTheirDeploymentsPods(ValueSet values) {
        Manifests manifests = Chart.render(values);

        for (Service service : manifests.of(Service.class)) {
            assertThat(podLabelsMatching(manifests, service.getSpec().getSelector()))
                    .as("Service %s", service.getMetadata().getName())
                    .hasSize(1);
        }
        List<PodDisruptionBudget> budgets = manifests.of(PodDisruptionBudget.class);
        assertThat(budgets).hasSize(2);
        for (PodDisruptionBudget budget : budgets) {
            assertThat(
                            podLabelsMatching(
                                    manifests, budget.getSpec().getSelector().getMatchLabels()))
                    .as("PodDisruptionBudget %s", budget.getMetadata().getName())
                    .hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyPodRunsAsNonRootWithoutPrivilegeEscalation(ValueSet values) {
        Manifests manifests = Chart.render(values);

        manifests
                .podSpecs()
                .forEach(pod -> assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue());
        for (Container container : manifests.containers()) {
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                    .as(container.getName())
                    .isFalse();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                    .as(container.getName())
                    .isTrue();
        }
    }

    private static List<Deployment> podLabelsMatching(
            Manifests manifests, Map<String, String> selector) {
        return manifests.of(Deployment.class).stream()
                .filter(
                        d ->
                                d.getSpec()
                                        .getTemplate()
                                        .getMetadata()
                                        .getLabels()
                                        .entrySet()
                                        .containsAll(selector.entrySet()))
                .toList();
    }
}
