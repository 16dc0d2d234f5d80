package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(120)
class IngestBridgeTest {
    private static final String NAME = "-ingest-bridge";

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void runsAtLeastTwoReplicasWhetherAutoscaledOrNot(ValueSet values) {
        Manifests manifests = Chart.render(values);
        Deployment bridge = manifests.one(Deployment.class, NAME);

        var autoscalers = manifests.of(HorizontalPodAutoscaler.class);
        if (autoscalers.isEmpty()) {
            assertThat(bridge.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        } else {
            // the HPA owns the replica count; a fixed one would fight it on every upgrade
            assertThat(bridge.getSpec().getReplicas()).isNull();
            assertThat(autoscalers.get(0).getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        }
        assertThat(
                        bridge.getSpec()
                                .getStrategy()
                                .getRollingUpdate()
                                .getMaxUnavailable()
                                .getIntVal())
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void isReadyOnReadyzAndAliveOnHealthzOfItsHttpPort(ValueSet values) {
        Container bridge = container(Chart.render(values));

        assertThat(bridge.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(bridge.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(bridge.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(bridge.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(bridge.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
    }

    @Test
    void readsTheWebhookSecretsFromAFileMountedFromTheSecretNamedAfterTheRelease() {
        Deployment bridge = Chart.render(ValueSet.DEFAULTS).one(Deployment.class, NAME);

        assertThat(webhookSecretFile(bridge)).isEqualTo(Map.entry("repostream-webhook", "secret"));
    }

    @Test
    void acceptsAnExistingWebhookSecretNameAndKey() {
        Deployment bridge = Chart.render(ValueSet.PRODUCTION).one(Deployment.class, NAME);

        assertThat(webhookSecretFile(bridge))
                .isEqualTo(Map.entry("platform-webhook-secrets", "github-webhook-secret"));
    }

    @Test
    void holdsNoGitHubCredentialWhenItDoesNotPoll() {
        Manifests manifests = Chart.render(ValueSet.DEFAULTS);
        Container bridge = container(manifests);

        assertThat(bridge.getEnv())
                .extracting(EnvVar::getName)
                .noneMatch(n -> n.contains("GITHUB"));
        assertThat(
                        manifests
                                .one(Deployment.class, NAME)
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getVolumes())
                .noneMatch(
                        v ->
                                v.getSecret() != null
                                        && v.getSecret().getSecretName().endsWith("-github"));
    }

    @Test
    void writesKafkaClientPropertiesAndBridgeSettingsIntoItsConfigFile() throws Exception {
        Manifests manifests = Chart.render(ValueSet.PRODUCTION);
        Container bridge = container(manifests);
        ConfigMap config = manifests.one(ConfigMap.class, NAME);

        String path = ActionExecutorTest.env(bridge, "REPOSTREAM_CONFIG");
        assertThat(path).startsWith(mountPath(bridge, "config") + "/");
        var yaml =
                new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                        .readTree(config.getData().get(path.substring(path.lastIndexOf('/') + 1)));
        assertThat(yaml.at("/kafka/properties/client.dns.lookup").asText())
                .isEqualTo("use_all_dns_ips");
        assertThat(yaml.at("/filter/owners/0").asText()).isEqualTo("example-org");
        assertThat(yaml.at("/dedupe/window").asText()).isEqualTo("48h");
    }

    /** The Secret name and key behind REPOSTREAM_WEBHOOK_SECRET_FILE. */
    private static Map.Entry<String, String> webhookSecretFile(Deployment deployment) {
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container bridge = pod.getContainers().get(0);
        String file = ActionExecutorTest.env(bridge, "REPOSTREAM_WEBHOOK_SECRET_FILE");
        var mount =
                bridge.getVolumeMounts().stream()
                        .filter(m -> file.startsWith(m.getMountPath() + "/"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("nothing mounted at " + file));
        var volume =
                pod.getVolumes().stream()
                        .filter(v -> v.getName().equals(mount.getName()))
                        .findFirst()
                        .orElseThrow();
        var item =
                volume.getSecret().getItems().stream()
                        .filter(i -> file.endsWith("/" + i.getPath()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(file + " is not a Secret key"));
        return Map.entry(volume.getSecret().getSecretName(), item.getKey());
    }

    private static String mountPath(Container container, String volume) {
        return container.getVolumeMounts().stream()
                .filter(m -> m.getName().equals(volume))
                .findFirst()
                .orElseThrow()
                .getMountPath();
    }

    @Test
    void scalesOnCpuAndKeepsOneReplicaThroughVoluntaryDisruptions() {
        Manifests manifests = Chart.render(ValueSet.DEFAULTS);

        HorizontalPodAutoscaler hpa = manifests.one(HorizontalPodAutoscaler.class, NAME);
        assertThat(hpa.getSpec().getScaleTargetRef().getName())
                .isEqualTo(manifests.one(Deployment.class, NAME).getMetadata().getName());
        assertThat(hpa.getSpec().getMetrics())
                .singleElement()
                .satisfies(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
        PodDisruptionBudget pdb = manifests.one(PodDisruptionBudget.class, NAME);
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    }

    @Test
    void refusesAnAutoscalerWhoseMinimumExceedsItsMaximum() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                Chart.render(
                                        ValueSet.DEFAULTS,
                                        Map.of(
                                                "bridge.autoscaling.minReplicas", 5,
                                                "bridge.autoscaling.maxReplicas", 3)))
                .hasMessageContaining("minReplicas (5) must not exceed maxReplicas (3)");
    }

    @Test
    void exposesOnlyTheWebhookPathThroughAnIngressWithTls() {
        Manifests manifests = Chart.render(ValueSet.PRODUCTION);

        Ingress ingress = manifests.one(Ingress.class, NAME);
        assertThat(ingress.getSpec().getTls())
                .singleElement()
                .satisfies(
                        tls -> {
                            assertThat(tls.getSecretName()).isEqualTo("hooks-example-com-tls");
                            assertThat(tls.getHosts()).containsExactly("hooks.example.com");
                        });
        var rule = ingress.getSpec().getRules().get(0);
        assertThat(rule.getHost()).isEqualTo("hooks.example.com");
        assertThat(rule.getHttp().getPaths())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.getPath()).isEqualTo("/webhooks/github");
                            assertThat(p.getBackend().getService().getName())
                                    .isEqualTo(
                                            manifests
                                                    .one(Service.class, NAME)
                                                    .getMetadata()
                                                    .getName());
                        });
    }

    @Test
    void hasNoIngressUnlessEnabled() {
        assertThat(Chart.render(ValueSet.DEFAULTS).of(Ingress.class)).isEmpty();
    }

    static Container container(Manifests manifests) {
        return manifests
                .one(Deployment.class, NAME)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }

    static Map.Entry<String, String> secretRef(Container container, String env) {
        EnvVar var =
                container.getEnv().stream()
                        .filter(e -> e.getName().equals(env))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no env " + env));
        var ref = var.getValueFrom().getSecretKeyRef();
        return Map.entry(ref.getName(), ref.getKey());
    }
}
