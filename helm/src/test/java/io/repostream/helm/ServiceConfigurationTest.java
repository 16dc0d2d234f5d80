package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.repostream.bridge.BridgeConfig;
import io.repostream.bridge.BridgeMain;
import io.repostream.bridge.config.BridgeConfigLoader;
import io.repostream.executor.ExecutorMain;
import io.repostream.flink.FlinkMain;
import io.repostream.ml.TrainerMain;
import io.repostream.schemas.topics.KafkaClientProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chart configures each service the way that service really reads its configuration: the
 * bridge's settings file and environment go through the bridge's own loader, and every repostream
 * environment variable the chart sets is one the service's classes name.
 */
@Timeout(120)
class ServiceConfigurationTest {
    private static final Pattern ENV_NAME = Pattern.compile("(REPOSTREAM_[A-Z0-9_]+|GITHUB_TOKEN)");

    @TempDir Path tmp;

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void theBridgeLoadsItsRenderedSettingsFileAndEnvironment(ValueSet values) throws IOException {
        Manifests manifests = Chart.render(values);
        Container bridge = bridge(manifests);

        BridgeConfig config = loadAsThePodWould(manifests);

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(bridge.getPorts().get(0).getContainerPort());
        assertThat(config.kafkaBootstrapServers())
                .isEqualTo(literalEnv(bridge).get(BridgeConfigLoader.ENV_KAFKA));
        assertThat(config.secrets().global()).containsExactly("first-secret", "rotated-secret");
    }

    @Test
    void theBridgeTakesFilterDedupeAndKafkaSettingsFromValues() throws IOException {
        BridgeConfig config = loadAsThePodWould(Chart.render(ValueSet.PRODUCTION));

        assertThat(config.filter().owners()).containsExactly("example-org");
        assertThat(config.dedupeWindow()).isEqualTo(Duration.ofHours(48));
        // non-secret settings from values, security settings from the mounted credentials Secret
        assertThat(config.kafkaProperties())
                .containsEntry("client.dns.lookup", "use_all_dns_ips")
                .containsEntry("security.protocol", "SSL")
                .containsKey("ssl.truststore.location");
        assertThat(config.kafkaTimeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void theBridgePollsAsTheGitHubAppWithItsMountedPrivateKey() throws IOException {
        Manifests production = Chart.render(ValueSet.PRODUCTION);

        var poll = loadAsThePodWould(production).poll();

        assertThat(poll.repos()).containsExactly("example-org/no-webhooks");
        assertThat(poll.hooks()).containsExactly("org:example-org#12345");
        assertThat(poll.apiUrl()).isEqualTo("https://api.github.com");
        assertThat(poll.app().appId()).isEqualTo(123456);
        assertThat(poll.app().installationId()).isEqualTo(7654321);
        assertThat(poll.app().privateKeyFile().toString())
                .endsWith("/etc/repostream/github/private-key.pem");
        assertThat(secretVolumes(production)).contains("platform-github-app");
    }

    @Test
    void theBridgePollsWithTheTokenFromTheGitHubSecretOnlyWhenAskedTo() throws IOException {
        Manifests polling =
                Chart.render(ValueSet.DEFAULTS, Map.of("bridge.poll.repos[0]", "acme/widgets"));
        Manifests notPolling = Chart.render(ValueSet.DEFAULTS);

        var poll = loadAsThePodWould(polling).poll();

        assertThat(poll.repos()).containsExactly("acme/widgets");
        assertThat(poll.token()).isEqualTo("github-token");
        assertThat(secretVolumes(polling)).contains("repostream-github");
        assertThat(loadAsThePodWould(notPolling).poll().repos()).isEmpty();
        assertThat(secretVolumes(notPolling)).noneMatch(n -> n.endsWith("-github"));
    }

    @Test
    void everyVariableSetForTheBridgeIsOneTheBridgeReads() throws IOException {
        Container bridge =
                Chart.render(ValueSet.PRODUCTION)
                        .one(Deployment.class, "-ingest-bridge")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);

        assertThat(repostreamVariables(bridge)).isSubsetOf(variablesNamedBy(BridgeMain.class));
    }

    @Test
    void everyVariableSetForTheExecutorIsOneTheExecutorReads() throws IOException {
        Container withToken =
                Chart.render(ValueSet.DEFAULTS)
                        .one(Deployment.class, "-action-executor")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);
        Container executor =
                Chart.render(ValueSet.PRODUCTION)
                        .one(Deployment.class, "-action-executor")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);
        Set<String> read = variablesNamedBy(ExecutorMain.class);

        assertThat(repostreamVariables(withToken)).isSubsetOf(read).contains("GITHUB_TOKEN");
        assertThat(repostreamVariables(executor))
                .isSubsetOf(read)
                .contains(
                        "REPOSTREAM_GITHUB_APP_ID",
                        "REPOSTREAM_EXECUTOR_INSTANCE_ID",
                        "REPOSTREAM_ADMIN_HOST");
    }

    @Test
    void everyVariableSetForTheConsoleIsOneTheConsoleReads() throws IOException {
        Container withSignIn =
                Chart.render(ValueSet.PRODUCTION)
                        .one(Deployment.class, "-console")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);
        Container local =
                Chart.render(ValueSet.PRODUCTION, Map.of("console.signIn.mode", "none"))
                        .one(Deployment.class, "-console")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);
        Set<String> read = variablesNamedBy(io.repostream.console.ConsoleMain.class);
        Set<String> declared =
                stringsNamedBy(
                        io.repostream.console.ConsoleMain.class, Pattern.compile("--[a-z][a-z-]+"));

        assertThat(repostreamVariables(withSignIn))
                .isSubsetOf(read)
                .contains(
                        "REPOSTREAM_CONSOLE_DATABASE_PASSWORD",
                        "REPOSTREAM_GITHUB_CLIENT_SECRET",
                        "REPOSTREAM_ADMIN_TOKEN",
                        "REPOSTREAM_EXECUTOR_ADMIN_URL");
        assertThat(local.getArgs()).allSatisfy(option -> assertThat(declared).contains(option));
    }

    @Test
    void everyOptionPassedToTheExecutorIsOneItDeclares() throws IOException {
        Container executor =
                Chart.render(ValueSet.PRODUCTION, Map.of("executor.killSwitch", true))
                        .one(Deployment.class, "-action-executor")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);
        Set<String> declared =
                stringsNamedBy(ExecutorMain.class, Pattern.compile("--[a-z][a-z-]+"));

        assertThat(executor.getArgs().get(0)).isEqualTo("run");
        assertThat(executor.getArgs().stream().filter(a -> a.startsWith("--")).toList())
                .containsExactly("--kill-switch", "--github-app-key-file")
                .allSatisfy(option -> assertThat(declared).contains(option));
    }

    @Test
    void everyOptionPassedToTheTrainerIsOneItDeclares() throws IOException {
        Container trainer =
                Chart.render(ValueSet.PRODUCTION)
                        .one(CronJob.class, "-ml-training")
                        .getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);
        Set<String> declared = stringsNamedBy(TrainerMain.class, Pattern.compile("--[a-z][a-z-]+"));

        assertThat(trainer.getArgs().stream().filter(a -> a.startsWith("--")).toList())
                .contains(
                        "--training-topic",
                        "--bootstrap-servers",
                        "--kafka-property",
                        "--exit-code-when-kept")
                .allSatisfy(option -> assertThat(declared).contains(option));
    }

    @Test
    void everyComponentReadsTheKafkaCredentialsSecretThroughOneMountedFile() {
        Manifests manifests = Chart.render(ValueSet.PRODUCTION);
        var flinkPod = FlinkDeploymentTest.typed(manifests).getSpec().getPodTemplate().getSpec();
        var trainerPod =
                manifests
                        .one(CronJob.class, "-ml-training")
                        .getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getSpec();
        Map<String, io.fabric8.kubernetes.api.model.PodSpec> pods =
                Map.of(
                        "ingest-bridge",
                        manifests
                                .one(
                                        io.fabric8.kubernetes.api.model.apps.Deployment.class,
                                        "-ingest-bridge")
                                .getSpec()
                                .getTemplate()
                                .getSpec(),
                        "action-executor",
                        manifests
                                .one(
                                        io.fabric8.kubernetes.api.model.apps.Deployment.class,
                                        "-action-executor")
                                .getSpec()
                                .getTemplate()
                                .getSpec(),
                        "flink",
                        flinkPod,
                        "ml-training",
                        trainerPod);

        pods.forEach(
                (component, pod) -> {
                    Container c = pod.getContainers().get(0);
                    String file = literalEnv(c).get(KafkaClientProperties.ENV_FILE);
                    assertThat(file)
                            .as(component)
                            .isEqualTo("/etc/repostream/kafka/client.properties");
                    var mount =
                            c.getVolumeMounts().stream()
                                    .filter(m -> file.startsWith(m.getMountPath() + "/"))
                                    .findFirst()
                                    .orElseThrow(
                                            () -> new AssertionError(component + ": no mount"));
                    assertThat(mount.getReadOnly()).as(component).isTrue();
                    var volume =
                            pod.getVolumes().stream()
                                    .filter(v -> v.getName().equals(mount.getName()))
                                    .findFirst()
                                    .orElseThrow();
                    assertThat(volume.getSecret().getSecretName())
                            .as(component)
                            .isEqualTo("platform-kafka-client");
                });

        // without credentials nothing is mounted and the variable is not set
        Manifests minimal = Chart.render(ValueSet.MINIMAL);
        Container executor =
                minimal.one(
                                io.fabric8.kubernetes.api.model.apps.Deployment.class,
                                "-action-executor")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);
        assertThat(literalEnv(executor)).doesNotContainKey(KafkaClientProperties.ENV_FILE);
    }

    @Test
    void everyVariableSetForTheFlinkJobIsOneTheJobReads() throws IOException {
        var template =
                FlinkDeploymentTest.typed(Chart.render(ValueSet.PRODUCTION))
                        .getSpec()
                        .getPodTemplate();
        Container flink = template.getSpec().getContainers().get(0);

        assertThat(repostreamVariables(flink))
                .isNotEmpty()
                .isSubsetOf(variablesNamedBy(FlinkMain.class));
    }

    @Test
    void theTrainerGetsNoVariableItWouldIgnore() throws IOException {
        Container trainer =
                Chart.render(ValueSet.PRODUCTION)
                        .one(CronJob.class, "-ml-training")
                        .getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);

        // TrainerMain takes options; the one variable is the Kafka credentials file
        assertThat(repostreamVariables(trainer))
                .containsExactly(KafkaClientProperties.ENV_FILE)
                .isSubsetOf(variablesNamedBy(TrainerMain.class));
    }

    private static Container bridge(Manifests manifests) {
        return manifests
                .one(Deployment.class, "-ingest-bridge")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }

    private static List<String> secretVolumes(Manifests manifests) {
        return manifests
                .one(Deployment.class, "-ingest-bridge")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes()
                .stream()
                .filter(v -> v.getSecret() != null)
                .map(v -> v.getSecret().getSecretName())
                .toList();
    }

    /**
     * Loads the bridge's configuration from its rendered settings file and environment, with what
     * the kubelet would mount (the ConfigMap, the webhook secrets and the GitHub token) placed
     * under a temporary root.
     */
    private BridgeConfig loadAsThePodWould(Manifests manifests) throws IOException {
        Path root = Files.createTempDirectory(tmp, "pod");
        String mounts = "/etc/repostream/";
        String relocated = root + mounts;
        Map<String, String> env = new HashMap<>();
        literalEnv(bridge(manifests)).forEach((k, v) -> env.put(k, v.replace(mounts, relocated)));
        String yaml =
                manifests
                        .one(ConfigMap.class, "-ingest-bridge")
                        .getData()
                        .get("bridge.yaml")
                        .replace(mounts, relocated);
        write(Path.of(env.get(BridgeConfigLoader.ENV_CONFIG_FILE)), yaml);
        write(
                Path.of(env.get(BridgeConfigLoader.ENV_SECRET_FILE)),
                "first-secret\nrotated-secret\n");
        write(root.resolve("etc/repostream/github/token"), "github-token\n");
        write(root.resolve("etc/repostream/github/private-key.pem"), "not a real key\n");
        write(
                root.resolve("etc/repostream/kafka/client.properties"),
                "security.protocol=SSL\nssl.truststore.location=/etc/repostream/kafka/ca.p12\n");
        return BridgeConfigLoader.load(Path.of(env.get(BridgeConfigLoader.ENV_CONFIG_FILE)), env);
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static Map<String, String> literalEnv(Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            }
        }
        return env;
    }

    private static Set<String> repostreamVariables(Container container) {
        Set<String> names = new TreeSet<>();
        for (EnvVar var : container.getEnv()) {
            if (ENV_NAME.matcher(var.getName()).matches()) {
                names.add(var.getName());
            }
        }
        return names;
    }

    /**
     * Environment variable names spelt in any class of the jar (or classes folder) of {@code
     * anchor}.
     */
    /**
     * The variables a service reads: named in its own jar, or in service-config's (the options
     * every service shares, such as {@code REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS}).
     */
    private static Set<String> variablesNamedBy(Class<?> anchor) throws IOException {
        Set<String> names = new TreeSet<>(stringsNamedBy(anchor, ENV_NAME));
        names.addAll(stringsNamedBy(io.repostream.serviceconfig.KafkaOptions.class, ENV_NAME));
        return names;
    }

    /**
     * Strings matching {@code pattern} in any class of the jar (or classes folder) of {@code
     * anchor}.
     */
    private static Set<String> stringsNamedBy(Class<?> anchor, Pattern pattern) throws IOException {
        Path location;
        try {
            location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    collect(Files.readAllBytes(file), pattern, names);
                }
            }
            return names;
        }
        try (ZipFile jar = new ZipFile(location.toFile())) {
            for (var entry : java.util.Collections.list(jar.entries())) {
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        collect(in.readAllBytes(), pattern, names);
                    }
                }
            }
        }
        return names;
    }

    private static void collect(byte[] classFile, Pattern pattern, Set<String> names) {
        // string constants sit in the class file as (modified) UTF-8, readable byte for byte
        Matcher m = pattern.matcher(new String(classFile, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            names.add(m.group());
        }
    }
}
