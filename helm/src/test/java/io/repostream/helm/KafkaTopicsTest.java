package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Strimzi KafkaTopics are exactly the topics in {@link Topics}, laid out the same way. */
@Timeout(120)
class KafkaTopicsTest {
    @Test
    void declaresEveryTopicOfTheSchemasModuleWithItsPartitionsAndCleanupPolicy() {
        Map<String, GenericKubernetesResource> declared =
                strimziTopics(Chart.render(ValueSet.PRODUCTION));

        assertThat(declared.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        Topics.all().stream().map(Topic::name).toList());
        for (Topic<String, ?> topic : Topics.all()) {
            Map<String, Object> spec = spec(declared.get(topic.name()));
            assertThat(spec.get("topicName")).as(topic.name()).isEqualTo(topic.name());
            assertThat(spec.get("partitions"))
                    .as(topic.name())
                    .isEqualTo(topic.defaultPartitions());
            Map<?, ?> config = (Map<?, ?>) spec.get("config");
            // every setting repostream gives the topic when it creates it (cleanup.policy,
            // max.message.bytes, ...) is the chart's too
            topic.configs()
                    .forEach(
                            (key, value) ->
                                    assertThat(String.valueOf(config.get(key)))
                                            .as("%s %s", topic.name(), key)
                                            .isEqualTo(value));
            if (!topic.compacted()) {
                assertThat(((Number) config.get(TopicConfig.RETENTION_MS_CONFIG)).longValue())
                        .as(topic.name())
                        .isGreaterThanOrEqualTo(java.time.Duration.ofDays(7).toMillis());
            }
        }
    }

    @Test
    void replicatesForProductionAndKeepsTopicsWhenTheReleaseIsDeleted() {
        for (GenericKubernetesResource topic :
                strimziTopics(Chart.render(ValueSet.PRODUCTION)).values()) {
            Map<String, Object> spec = spec(topic);
            assertThat(spec.get("replicas")).isEqualTo(3);
            assertThat(
                            ((Map<?, ?>) spec.get("config"))
                                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG))
                    .isEqualTo(2);
            assertThat(topic.getMetadata().getLabels())
                    .containsEntry("strimzi.io/cluster", "platform-kafka");
            assertThat(topic.getMetadata().getNamespace()).isEqualTo("kafka");
            assertThat(topic.getMetadata().getAnnotations())
                    .containsEntry("helm.sh/resource-policy", "keep");
        }
    }

    @Test
    void usesTheStrimziApiVersionAskedFor() {
        Manifests manifests =
                Chart.render(
                        ValueSet.PRODUCTION,
                        Map.of("kafka.strimzi.apiVersion", "kafka.strimzi.io/v1"));

        assertThat(manifests.ofKind("KafkaTopic"))
                .isNotEmpty()
                .allSatisfy(
                        t ->
                                assertThat(t.typed().getApiVersion())
                                        .isEqualTo("kafka.strimzi.io/v1"));
    }

    @Test
    void declaresNoTopicsUnlessStrimziIsEnabled() {
        assertThat(Chart.render(ValueSet.DEFAULTS).ofKind("KafkaTopic")).isEmpty();
    }

    private static Map<String, GenericKubernetesResource> strimziTopics(Manifests manifests) {
        return manifests.ofKind("KafkaTopic").stream()
                .map(r -> (GenericKubernetesResource) r.typed())
                .peek(t -> assertThat(t.getApiVersion()).isEqualTo("kafka.strimzi.io/v1beta2"))
                .collect(Collectors.toMap(t -> t.getMetadata().getName(), Function.identity()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource topic) {
        return (Map<String, Object>) topic.getAdditionalProperties().get("spec");
    }
}
