package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.repostream.executor.ExecutorMain;
import io.repostream.executor.notify.NotificationSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(120)
class ActionExecutorTest {
    private static final String NAME = "-action-executor";

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyReplicaJoinsTheOneConsumerGroup(ValueSet values) {
        Deployment executor = Chart.render(values).one(Deployment.class, NAME);
        Container container = executor.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(env(container, "REPOSTREAM_EXECUTOR_GROUP_ID"))
                .isEqualTo("repostream-action-executor");
        assertThat(executor.getSpec().getReplicas()).isPositive();
    }

    @Test
    void runsTheReplicasAskedFor() {
        Deployment executor =
                Chart.render(ValueSet.DEFAULTS, Map.of("executor.replicas", 4))
                        .one(Deployment.class, NAME);

        assertThat(executor.getSpec().getReplicas()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void servesTheAdminApiOnAServiceWithProbesOnTheSamePort(ValueSet values) {
        Manifests manifests = Chart.render(values);
        Container container =
                manifests
                        .one(Deployment.class, NAME)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);
        Service service = manifests.one(Service.class, NAME);

        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("admin"));
        assertThat(container.getPorts())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.getName()).isEqualTo("admin");
                            assertThat(p.getContainerPort())
                                    .isEqualTo(service.getSpec().getPorts().get(0).getPort());
                            assertThat(env(container, "REPOSTREAM_ADMIN_PORT"))
                                    .isEqualTo(String.valueOf(p.getContainerPort()));
                        });
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        // inside a pod the admin API must listen beyond loopback for the Service to reach it
        assertThat(env(container, "REPOSTREAM_ADMIN_HOST")).isEqualTo("0.0.0.0");
    }

    @Test
    void readsTheAdminTokenFromAnExistingSecret() {
        Container defaults = container(Chart.render(ValueSet.DEFAULTS));
        Container production = container(Chart.render(ValueSet.PRODUCTION));

        assertThat(IngestBridgeTest.secretRef(defaults, "REPOSTREAM_ADMIN_TOKEN"))
                .isEqualTo(Map.entry("repostream-executor-admin", "token"));
        assertThat(IngestBridgeTest.secretRef(production, "REPOSTREAM_ADMIN_TOKEN"))
                .isEqualTo(Map.entry("platform-executor-admin", "token"));
    }

    @Test
    void authenticatesWithTheTokenFromTheGitHubSecretByDefault() {
        Container container = container(Chart.render(ValueSet.DEFAULTS));

        assertThat(IngestBridgeTest.secretRef(container, "GITHUB_TOKEN"))
                .isEqualTo(Map.entry("repostream-github", "token"));
        assertThat(container.getArgs()).doesNotContain("--github-app-key-file");
    }

    @Test
    void authenticatesAsAGitHubAppWithItsPrivateKeyMountedAsAFile() {
        Deployment executor = Chart.render(ValueSet.PRODUCTION).one(Deployment.class, NAME);
        var pod = executor.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertThat(env(container, "REPOSTREAM_GITHUB_APP_ID")).isEqualTo("123456");
        assertThat(container.getEnv()).noneMatch(e -> e.getName().equals("GITHUB_TOKEN"));
        int option = container.getArgs().indexOf("--github-app-key-file");
        assertThat(option).isPositive();
        String keyFile = container.getArgs().get(option + 1);
        var mount =
                container.getVolumeMounts().stream()
                        .filter(m -> keyFile.startsWith(m.getMountPath() + "/"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("nothing mounted at " + keyFile));
        var secret =
                pod.getVolumes().stream()
                        .filter(v -> v.getName().equals(mount.getName()))
                        .findFirst()
                        .orElseThrow()
                        .getSecret();
        assertThat(secret.getSecretName()).isEqualTo("platform-github-app");
        assertThat(secret.getItems())
                .singleElement()
                .satisfies(
                        item -> {
                            assertThat(item.getKey()).isEqualTo("private-key.pem");
                            assertThat(keyFile).endsWith("/" + item.getPath());
                        });
    }

    @Test
    void readsTheSlackTokenAndPagerDutyKeysFromTheNotificationsSecretAsThePodWould(
            @TempDir Path root) throws IOException {
        Manifests manifests = Chart.render(ValueSet.PRODUCTION);
        var pod = manifests.one(Deployment.class, NAME).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        var mount =
                container.getVolumeMounts().stream()
                        .filter(m -> m.getName().equals("notification-secrets"))
                        .findFirst()
                        .orElseThrow();
        var secret =
                pod.getVolumes().stream()
                        .filter(v -> v.getName().equals(mount.getName()))
                        .findFirst()
                        .orElseThrow()
                        .getSecret();
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(secret.getSecretName()).isEqualTo("platform-notifications");
        assertThat(secret.getItems())
                .extracting(KeyToPath::getKey)
                .containsExactlyInAnyOrder(
                        "slack-bot-token", "pagerduty-eng-managers", "pagerduty-team-oncall");

        // what the kubelet mounts, under a temporary root: the settings file and the secret's keys
        String mounts = "/etc/repostream/";
        String relocated = root + mounts;
        Path config = Path.of(env(container, "REPOSTREAM_CONFIG").replace(mounts, relocated));
        String yaml =
                manifests
                        .one(ConfigMap.class, NAME)
                        .getData()
                        .get(config.getFileName().toString())
                        .replace(mounts, relocated);
        assertThat(yaml).doesNotContain("secret-of");
        write(config, yaml);
        for (KeyToPath item : secret.getItems()) {
            write(
                    Path.of(mount.getMountPath().replace(mounts, relocated), item.getPath()),
                    "secret-of-" + item.getKey() + "\n");
        }

        NotificationSettings settings = ExecutorMain.notificationSettings(config);

        assertThat(settings.slackToken()).isEqualTo("secret-of-slack-bot-token");
        assertThat(settings.slackApiUrl()).isEqualTo("https://slack.com/api");
        assertThat(settings.pagerDutyEventsUrl()).isEqualTo("https://events.pagerduty.com");
        assertThat(settings.routingKeys())
                .containsOnly(
                        Map.entry("team-oncall", "secret-of-pagerduty-team-oncall"),
                        Map.entry("eng-managers", "secret-of-pagerduty-eng-managers"));
    }

    @Test
    void withoutANotificationsSecretTheExecutorHasNoSettingsFileNorMount() {
        Manifests manifests = Chart.render(ValueSet.DEFAULTS);
        Container container = container(manifests);

        assertThat(container.getEnv()).noneMatch(e -> e.getName().equals("REPOSTREAM_CONFIG"));
        assertThat(container.getVolumeMounts())
                .noneMatch(m -> m.getName().equals("notification-secrets"));
        assertThat(manifests.of(ConfigMap.class))
                .noneMatch(c -> c.getMetadata().getName().endsWith(NAME));
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void namesEachReplicaAfterItsPodForKafkaStaticMembership() {
        Container container = container(Chart.render(ValueSet.DEFAULTS));

        EnvVar instance =
                container.getEnv().stream()
                        .filter(e -> e.getName().equals("REPOSTREAM_EXECUTOR_INSTANCE_ID"))
                        .findFirst()
                        .orElseThrow();
        assertThat(instance.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    }

    @Test
    void runsTheRunCommandAndStartsWithTheKillSwitchOnlyWhenAskedTo() {
        Container normal = container(Chart.render(ValueSet.DEFAULTS));
        Container stopped =
                container(Chart.render(ValueSet.DEFAULTS, Map.of("executor.killSwitch", true)));

        assertThat(normal.getArgs()).containsExactly("run");
        assertThat(stopped.getArgs()).containsExactly("run", "--kill-switch");
    }

    private static Container container(Manifests manifests) {
        return manifests
                .one(Deployment.class, NAME)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }

    static String env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no env " + name));
    }
}
