package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chart's NetworkPolicies: the bridge's webhook port only from the ingress controller, the
 * executor's admin port (rollback, kill switch, /metrics) only from the release's namespace, and
 * nothing else into either pod.
 */
@Timeout(120)
class NetworkPolicyTest {
    private static final String BRIDGE = "-ingest-bridge";
    private static final String EXECUTOR = "-action-executor";

    @Test
    void byDefaultTheBridgesWebhookPortIsReachableFromTheIngressControllerOnly() {
        Manifests manifests = Chart.render(ValueSet.DEFAULTS);
        NetworkPolicy policy = manifests.one(NetworkPolicy.class, BRIDGE);
        Deployment bridge = manifests.one(Deployment.class, BRIDGE);

        assertThat(policy.getMetadata().getNamespace()).isIn(null, Chart.NAMESPACE);
        assertSelectsThePodsOf(policy, bridge);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        NetworkPolicyIngressRule rule = onlyRule(policy);
        assertThat(rule.getPorts())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.getProtocol()).isEqualTo("TCP");
                            assertThat(p.getPort().getStrVal())
                                    .isEqualTo(portName(bridge, 8080))
                                    .isEqualTo("http");
                        });
        assertThat(rule.getFrom())
                .singleElement()
                .satisfies(
                        peer -> {
                            assertThat(peer.getNamespaceSelector().getMatchLabels())
                                    .isEqualTo(
                                            Map.of("kubernetes.io/metadata.name", "ingress-nginx"));
                            assertThat(peer.getPodSelector().getMatchLabels())
                                    .isEqualTo(Map.of("app.kubernetes.io/name", "ingress-nginx"));
                            assertThat(peer.getIpBlock()).isNull();
                        });
    }

    @Test
    void byDefaultTheExecutorsAdminPortIsReachableFromTheSameNamespaceOnly() {
        Manifests manifests = Chart.render(ValueSet.DEFAULTS);
        NetworkPolicy policy = manifests.one(NetworkPolicy.class, EXECUTOR);
        Deployment executor = manifests.one(Deployment.class, EXECUTOR);

        assertSelectsThePodsOf(policy, executor);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        NetworkPolicyIngressRule rule = onlyRule(policy);
        assertThat(rule.getPorts())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.getProtocol()).isEqualTo("TCP");
                            assertThat(p.getPort().getStrVal())
                                    .isEqualTo(portName(executor, 8081))
                                    .isEqualTo("admin");
                        });
        // a peer with an empty pod selector and no namespace selector: every pod of this
        // namespace, and nothing outside it
        NetworkPolicyPeer peer = rule.getFrom().get(0);
        assertThat(rule.getFrom()).hasSize(1);
        assertThat(peer.getNamespaceSelector()).isNull();
        assertThat(peer.getIpBlock()).isNull();
        assertThat(peer.getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(peer.getPodSelector().getMatchExpressions()).isNullOrEmpty();
    }

    @Test
    void theIngressControllersSelectorsAndExtraScrapersComeFromTheValues() {
        Manifests manifests =
                Chart.render(
                        ValueSet.DEFAULTS,
                        Map.of(
                                "networkPolicy.ingressController.namespaceSelector.matchLabels.team",
                                "edge",
                                "networkPolicy.ingressController.podSelector.matchLabels.app",
                                "traefik",
                                "networkPolicy.metricsScrapers[0].namespaceSelector.matchLabels.name",
                                "monitoring"));
        NetworkPolicyPeer controller =
                onlyRule(manifests.one(NetworkPolicy.class, BRIDGE)).getFrom().get(0);

        assertThat(controller.getNamespaceSelector().getMatchLabels())
                .containsEntry("team", "edge");
        assertThat(controller.getPodSelector().getMatchLabels()).containsEntry("app", "traefik");
        for (String component : List.of(BRIDGE, EXECUTOR)) {
            assertThat(onlyRule(manifests.one(NetworkPolicy.class, component)).getFrom())
                    .as(component)
                    .anySatisfy(
                            peer ->
                                    assertThat(peer.getNamespaceSelector())
                                            .extracting(LabelSelector::getMatchLabels)
                                            .isEqualTo(Map.of("name", "monitoring")));
        }
    }

    @Test
    void canBeTurnedOffForClustersWhoseNetworkIsPolicedElsewhere() {
        assertThat(
                        Chart.render(ValueSet.DEFAULTS, Map.of("networkPolicy.enabled", false))
                                .of(NetworkPolicy.class))
                .isEmpty();
    }

    private static NetworkPolicyIngressRule onlyRule(NetworkPolicy policy) {
        assertThat(policy.getSpec().getIngress()).hasSize(1);
        return policy.getSpec().getIngress().get(0);
    }

    /** The policy selects exactly the Deployment's pods (by their selector labels). */
    private static void assertSelectsThePodsOf(NetworkPolicy policy, Deployment deployment) {
        Map<String, String> selector = policy.getSpec().getPodSelector().getMatchLabels();
        assertThat(selector)
                .isNotEmpty()
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(selector);
    }

    private static String portName(Deployment deployment, int number) {
        return deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getPorts()
                .stream()
                .filter(p -> p.getContainerPort() == number)
                .map(ContainerPort::getName)
                .findFirst()
                .orElseThrow();
    }
}
