package io.repostream.helm;

import static io.repostream.helm.ActionExecutorTest.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The operator console's Deployment, Service and NetworkPolicy. */
@Timeout(120)
class ConsoleTest {
    private static final String NAME = "-console";

    @Test
    void isLeftOutByDefaultBecauseItNeedsADatabaseAndASignInApp() {
        Manifests manifests = Chart.render(ValueSet.DEFAULTS);

        assertThat(manifests.of(Deployment.class))
                .noneMatch(d -> d.getMetadata().getName().endsWith(NAME));
    }

    @Test
    void signsInWithGitHubAndTakesEverySecretFromAnExistingSecret() {
        Manifests manifests = Chart.render(ValueSet.PRODUCTION);
        Deployment console = manifests.one(Deployment.class, NAME);
        Container container = container(console);

        // one indexer fills the database (sessions live in PostgreSQL)
        assertThat(console.getSpec().getReplicas()).isEqualTo(1);
        assertThat(console.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(container.getArgs()).isEmpty();
        assertThat(IngestBridgeTest.secretRef(container, "REPOSTREAM_CONSOLE_DATABASE_PASSWORD"))
                .isEqualTo(Map.entry("platform-console-db", "password"));
        assertThat(IngestBridgeTest.secretRef(container, "REPOSTREAM_GITHUB_CLIENT_SECRET"))
                .isEqualTo(Map.entry("platform-console-oauth", "client-secret"));
        assertThat(IngestBridgeTest.secretRef(container, "REPOSTREAM_ADMIN_TOKEN"))
                .isEqualTo(
                        IngestBridgeTest.secretRef(
                                container(manifests.one(Deployment.class, "-action-executor")),
                                "REPOSTREAM_ADMIN_TOKEN"));
        assertThat(env(container, "REPOSTREAM_GITHUB_CLIENT_ID")).isEqualTo("Iv1.0123456789abcdef");
        assertThat(env(container, "REPOSTREAM_CONSOLE_SIGN_IN_REPO")).isEqualTo("acme/widgets");
        assertThat(env(container, "REPOSTREAM_CONSOLE_PUBLIC_URL"))
                .isEqualTo("https://repostream-console.example.com");
        assertThat(env(container, "REPOSTREAM_CONSOLE_HOST")).isEqualTo("0.0.0.0");
        // undo goes to the executor's admin Service, on its port
        Service executor = manifests.one(Service.class, "-action-executor");
        assertThat(env(container, "REPOSTREAM_EXECUTOR_ADMIN_URL"))
                .isEqualTo(
                        "http://"
                                + executor.getMetadata().getName()
                                + ":"
                                + executor.getSpec().getPorts().get(0).getPort());
        assertThat(container.getEnv())
                .filteredOn(e -> e.getValue() != null)
                .extracting(EnvVar::getValue)
                .noneMatch(v -> v.toLowerCase(java.util.Locale.ROOT).contains("secret"));
    }

    @Test
    void servesItsPagesProbesAndMetricsOnOnePortThroughItsService() {
        Manifests manifests = Chart.render(ValueSet.PRODUCTION);
        Container container = container(manifests.one(Deployment.class, NAME));
        Service service = manifests.one(Service.class, NAME);

        assertThat(container.getPorts())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.getName()).isEqualTo("http");
                            assertThat(p.getContainerPort()).isEqualTo(8090);
                        });
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal())
                .isEqualTo("http");
        assertThat(env(container, "REPOSTREAM_CONSOLE_PORT")).isEqualTo("8090");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        NetworkPolicy policy = manifests.one(NetworkPolicy.class, NAME);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "console");
    }

    @Test
    void theLocalModeWithoutSignInMustBeAskedForAndTakesNoOAuthSettings() {
        Container container =
                container(
                        Chart.render(ValueSet.PRODUCTION, Map.of("console.signIn.mode", "none"))
                                .one(Deployment.class, NAME));

        assertThat(container.getArgs()).containsExactly("--no-sign-in");
        assertThat(container.getEnv())
                .extracting(EnvVar::getName)
                .doesNotContain("REPOSTREAM_GITHUB_CLIENT_ID", "REPOSTREAM_GITHUB_CLIENT_SECRET");
    }

    @Test
    void refusesToRenderWithoutTheDatabaseOrTheSignInSettings() {
        assertThatThrownBy(() -> Chart.render(ValueSet.DEFAULTS, Map.of("console.enabled", true)))
                .hasMessageContaining("console.database.url is required");
        assertThatThrownBy(
                        () ->
                                Chart.render(
                                        ValueSet.DEFAULTS,
                                        Map.of(
                                                "console.enabled",
                                                true,
                                                "console.database.url",
                                                "jdbc:postgresql://pg:5432/console")))
                .hasMessageContaining("console.signIn.clientId is required");
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
