package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.KubernetesDeploymentMode;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The FlinkDeployment, read with the Flink operator's own model classes
 * (flink-kubernetes-operator-api) and checked against Flink 2.2's configuration options.
 *
 * <p>The newest operator API on Maven Central here is 1.10.0, whose {@code FlinkVersion} enum stops
 * at {@code v1_20}; so {@code flinkVersion} is asserted from the raw tree and the rest of the spec
 * is parsed strictly (unknown fields fail) into the typed model.
 */
@Timeout(120)
class FlinkDeploymentTest {
    private static final ObjectMapper STRICT =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Flink 2.2 option classes whose keys the chart may set. */
    private static final List<Class<?>> OPTION_CLASSES =
            List.of(
                    CheckpointingOptions.class,
                    StateBackendOptions.class,
                    HighAvailabilityOptions.class,
                    RestartStrategyOptions.class,
                    TaskManagerOptions.class,
                    RocksDBOptions.class,
                    RocksDBConfigurableOptions.class);

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void isAnApplicationModeDeploymentThatUpgradesThroughSavepoints(ValueSet values) {
        FlinkDeployment deployment = typed(Chart.render(values));
        FlinkDeploymentSpec spec = deployment.getSpec();

        assertThat(spec.getJob()).as("application mode: the job is part of the spec").isNotNull();
        // the image puts the job's jars in /opt/flink/usrlib, Flink's user classpath
        assertThat(spec.getJob().getJarURI()).isNull();
        assertThat(spec.getJob().getEntryClass()).isEqualTo("io.repostream.flink.FlinkMain");
        assertThat(spec.getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        assertThat(spec.getJob().getAllowNonRestoredState()).isFalse();
        assertThat(spec.getMode()).isIn(null, KubernetesDeploymentMode.NATIVE);
        assertThat(spec.getServiceAccount()).isNotBlank();
    }

    @Test
    void checkpointsIncrementallyWithRocksDbToTheConfiguredDurableStorage() {
        Map<String, String> conf =
                typed(
                                Chart.render(
                                        ValueSet.DEFAULTS,
                                        Map.of(
                                                "flink.storage.checkpoints", "gs://bucket/cp",
                                                "flink.storage.savepoints", "gs://bucket/sp",
                                                "flink.checkpointing.interval", "45s")))
                        .getSpec()
                        .getFlinkConfiguration();

        assertThat(conf)
                .containsEntry(StateBackendOptions.STATE_BACKEND.key(), "rocksdb")
                .containsEntry(CheckpointingOptions.INCREMENTAL_CHECKPOINTS.key(), "true")
                .containsEntry(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), "gs://bucket/cp")
                .containsEntry(CheckpointingOptions.SAVEPOINT_DIRECTORY.key(), "gs://bucket/sp")
                .containsEntry(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), "45s")
                .containsEntry(
                        CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE.key(), "EXACTLY_ONCE")
                .containsEntry(HighAvailabilityOptions.HA_MODE.key(), "kubernetes");
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void setsOnlyOptionsThatExistInFlink22UnderTheirCurrentNames(ValueSet values) {
        Map<String, String> conf = typed(Chart.render(values)).getSpec().getFlinkConfiguration();
        Set<String> current = new HashSet<>();
        Set<String> deprecated = new HashSet<>();
        for (ConfigOption<?> option : flinkOptions()) {
            current.add(option.key());
            for (FallbackKey fallback : option.fallbackKeys()) {
                deprecated.add(fallback.getKey());
            }
        }

        for (String key : conf.keySet()) {
            if (key.startsWith("kubernetes.operator.") || key.startsWith("metrics.reporter.")) {
                continue; // the operator's own options, and per-reporter options; checked below
            }
            assertThat(deprecated).as("deprecated key %s", key).doesNotContain(key);
            assertThat(current).as("unknown Flink option %s", key).contains(key);
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void enablesTheFlinkPrometheusReporterOnTheNamedMetricsPort(ValueSet values) throws Exception {
        Manifests manifests = Chart.render(values);
        FlinkDeployment deployment = typed(manifests);
        Map<String, String> conf = deployment.getSpec().getFlinkConfiguration();

        Class<?> factory = Class.forName(conf.get("metrics.reporter.prom.factory.class"));
        assertThat(MetricReporterFactory.class).isAssignableFrom(factory);
        int port = Integer.parseInt(conf.get("metrics.reporter.prom.port"));
        var container = deployment.getSpec().getPodTemplate().getSpec().getContainers().get(0);
        assertThat(container.getName()).isEqualTo("flink-main-container");
        assertThat(container.getPorts())
                .anySatisfy(
                        p -> {
                            assertThat(p.getName()).isEqualTo("metrics");
                            assertThat(p.getContainerPort()).isEqualTo(port);
                        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void givesTheJobTheSameParallelismAndKafkaSettingsAsTheSpec(ValueSet values) {
        FlinkDeploymentSpec spec = typed(Chart.render(values)).getSpec();
        Map<String, String> env =
                spec.getPodTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .filter(e -> e.getValue() != null)
                        .collect(
                                java.util.stream.Collectors.toMap(
                                        EnvVar::getName, EnvVar::getValue));

        // FlinkMain sets the parallelism from the environment, which overrides the spec's.
        assertThat(env.get("REPOSTREAM_FLINK_PARALLELISM"))
                .isEqualTo(String.valueOf(spec.getJob().getParallelism()));
        assertThat(env.get("REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS")).isNotBlank();
        assertThat(java.time.Duration.parse(env.get("REPOSTREAM_FLINK_CHECKPOINT_INTERVAL")))
                .isPositive();
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void sizesJobManagerAndTaskManagerFromValues(ValueSet values) {
        FlinkDeploymentSpec spec = typed(Chart.render(values)).getSpec();

        assertThat(spec.getJobManager().getResource().getCpu()).isPositive();
        assertThat(spec.getJobManager().getResource().getMemory()).isNotBlank();
        assertThat(spec.getTaskManager().getResource().getCpu()).isPositive();
        assertThat(spec.getTaskManager().getResource().getMemory()).isNotBlank();
        assertThat(spec.getJob().getParallelism()).isPositive();
    }

    @Test
    void takesResourcesAndParallelismFromValues() {
        FlinkDeploymentSpec spec =
                typed(
                                Chart.render(
                                        ValueSet.DEFAULTS,
                                        Map.of(
                                                "flink.parallelism", 4,
                                                "flink.taskManager.cpu", 3,
                                                "flink.taskManager.memory", "6144m")))
                        .getSpec();

        assertThat(spec.getJob().getParallelism()).isEqualTo(4);
        assertThat(spec.getTaskManager().getResource().getCpu()).isEqualTo(3.0);
        assertThat(spec.getTaskManager().getResource().getMemory()).isEqualTo("6144m");
    }

    @Test
    void runsAJobJarFromAUriWhenOneIsGiven() {
        FlinkDeploymentSpec spec =
                typed(
                                Chart.render(
                                        ValueSet.DEFAULTS,
                                        Map.of("flink.jarURI", "local:///opt/flink/job.jar")))
                        .getSpec();

        assertThat(spec.getJob().getJarURI()).isEqualTo("local:///opt/flink/job.jar");
    }

    @Test
    void refusesMoreParallelismThanTheEventsTopicHasPartitions() {
        assertThatThrownBy(() -> Chart.render(ValueSet.DEFAULTS, Map.of("flink.parallelism", 12)))
                .hasMessageContaining("flink.parallelism (12)")
                .hasMessageContaining("github.events.v1 (6)");
    }

    @Test
    void leavesTheFlinkDeploymentOutWhenFlinkIsDisabled() {
        Manifests manifests = Chart.render(ValueSet.DEFAULTS, Map.of("flink.enabled", false));

        assertThat(manifests.ofKind("FlinkDeployment")).isEmpty();
        assertThat(manifests.ofKind("Role")).isEmpty();
    }

    @Test
    void targetsAFlinkVersionTheImageRuns() {
        JsonNode spec =
                Chart.render(ValueSet.DEFAULTS).oneOfKind("FlinkDeployment").tree().get("spec");

        assertThat(spec.get("flinkVersion").asText()).isEqualTo("v2_2");
        assertThat(spec.get("image").asText()).contains("repostream-flink-jobs");
    }

    /** The FlinkDeployment as the operator's typed model, unknown fields failing. */
    static FlinkDeployment typed(Manifests manifests) {
        ObjectNode tree = manifests.oneOfKind("FlinkDeployment").tree().deepCopy();
        // operator-api 1.10.0 has no v2_x constants; asserted separately from the raw tree
        ((ObjectNode) tree.get("spec")).remove("flinkVersion");
        try {
            return STRICT.treeToValue(tree, FlinkDeployment.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("FlinkDeployment does not match the operator's model", e);
        }
    }

    private static List<ConfigOption<?>> flinkOptions() {
        List<ConfigOption<?>> options = new java.util.ArrayList<>();
        for (Class<?> type : OPTION_CLASSES) {
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        options.add((ConfigOption<?>) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return options;
    }
}
