package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.json.RecordValidationException;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaViolationTest {

    static Stream<Arguments> brokenRecords() {
        return Stream.of(
                broken(
                        Topics.ACTIONS,
                        SampleRecords.action(),
                        r -> r.put("type", "explode"),
                        "type"),
                broken(Topics.ACTIONS, SampleRecords.action(), r -> r.remove("repo"), "repo"),
                broken(
                        Topics.ACTIONS,
                        SampleRecords.action(),
                        r -> r.put("repo", "no-slash"),
                        "repo"),
                broken(
                        Topics.ACTIONS,
                        SampleRecords.action(),
                        r -> r.put("confidence", 1.5),
                        "confidence"),
                broken(Topics.ACTIONS, SampleRecords.action(), r -> r.put("target", 0), "target"),
                broken(
                        Topics.EVENTS,
                        SampleRecords.event(),
                        r -> r.put("source", "carrier-pigeon"),
                        "source"),
                broken(
                        Topics.EVENTS,
                        SampleRecords.event(),
                        r -> r.put("occurred_at", "yesterday"),
                        "occurred_at"),
                broken(
                        Topics.EVENTS,
                        SampleRecords.event(),
                        r -> r.put("payload", "[]"),
                        "payload"),
                broken(
                        Topics.AUDIT,
                        SampleRecords.audit(),
                        r -> r.put("outcome", "maybe"),
                        "outcome"),
                broken(
                        Topics.AUDIT,
                        SampleRecords.audit(),
                        r -> r.put("github_status", 42),
                        "github_status"),
                broken(
                        Topics.SNAPSHOTS,
                        SampleRecords.snapshot(),
                        r -> r.remove("before"),
                        "before"),
                broken(
                        Topics.CONFIG,
                        SampleRecords.policy(),
                        r -> ((ObjectNode) r.get("retry")).put("max_attempts", 0),
                        "max_attempts"),
                broken(
                        Topics.CONFIG,
                        SampleRecords.policy(),
                        r -> ((ObjectNode) r.get("sla")).put("warn_fraction", 1.0),
                        "warn_fraction"),
                broken(
                        Topics.CONFIG,
                        SampleRecords.policy(),
                        r -> ((ObjectNode) r.get("ci_risk")).put("high", 1.5),
                        "high"),
                broken(
                        Topics.CONFIG,
                        SampleRecords.policy(),
                        r -> ((ObjectNode) r.get("sla")).putArray("escalate_to").add("not a login"),
                        "escalate_to"),
                broken(
                        Topics.CONFIG,
                        SampleRecords.policy(),
                        r -> ((ObjectNode) r.get("calendar")).putArray("working_days"),
                        "working_days"),
                broken(
                        Topics.CONFIG,
                        SampleRecords.policy(),
                        r -> firstTarget(r).put("first_response", "-PT30M"),
                        "first_response"),
                broken(
                        Topics.CONFIG,
                        SampleRecords.policy(),
                        r -> ((ObjectNode) r.get("retry")).put("base_delay", "-PT1M"),
                        "base_delay"),
                broken(
                        Topics.PREDICTIONS,
                        SampleRecords.prediction(),
                        r -> r.put("risk", "SCARY"),
                        "risk"),
                broken(
                        Topics.TRAINING_EXAMPLES,
                        SampleRecords.trainingExample(),
                        r -> r.putObject("features"),
                        "features"),
                broken(
                        Topics.MODELS,
                        SampleRecords.model(),
                        r -> r.put("artifact_sha256", "abc"),
                        "artifact_sha256"),
                broken(
                        Topics.METRICS,
                        SampleRecords.metrics(),
                        r -> r.put("metric", "Events Total"),
                        "metric"),
                broken(
                        Topics.EVENTS_DLQ,
                        SampleRecords.deadLetter(),
                        r -> r.remove("reason"),
                        "reason"));
    }

    private static ObjectNode firstTarget(ObjectNode policy) {
        return (ObjectNode) policy.get("sla").get("targets").elements().next();
    }

    private static <V> Arguments broken(
            Topic<String, V> topic, V valid, Consumer<ObjectNode> breakIt, String field) {
        ObjectNode tree = (ObjectNode) topic.valueCodec().toTree(valid);
        breakIt.accept(tree);
        return Arguments.of(topic, tree, field);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("brokenRecords")
    void aRecordThatBreaksItsSchemaIsRejectedWithTheFieldNamed(
            Topic<String, ?> topic, ObjectNode tree, String field) throws Exception {
        byte[] bytes = Json.mapper().writeValueAsBytes(tree);

        assertThatThrownBy(() -> topic.valueSerde().deserialize(topic.name(), bytes))
                .isInstanceOf(SerializationException.class)
                .hasCauseInstanceOf(RecordValidationException.class)
                .hasMessageContaining(field);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("brokenRecords")
    void theSchemaReportsEachViolationWithItsJsonPath(
            Topic<String, ?> topic, ObjectNode tree, String field) {
        assertThat(topic.valueCodec().schema().violations(tree))
                .anySatisfy(problem -> assertThat(problem).contains(field));
    }

    @ParameterizedTest(name = "{1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "first_response, PT0S, first_response",
        "resolution, PT0S, resolution",
    })
    void aZeroSlaTargetIsRejectedWithTheFieldNamed(String key, String value, String field) {
        // PT0S matches the duration pattern, but a target of zero would breach at once
        ObjectNode tree = (ObjectNode) Topics.CONFIG.valueCodec().toTree(SampleRecords.policy());
        firstTarget(tree).put(key, value);
        byte[] bytes = tree.toString().getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Topics.CONFIG.valueCodec().decode(bytes))
                .isInstanceOf(RecordValidationException.class)
                .hasMessageContaining(field);
    }

    @org.junit.jupiter.api.Test
    void aRetryWhoseLongestDelayIsShorterThanItsFirstIsRejected() {
        ObjectNode tree = (ObjectNode) Topics.CONFIG.valueCodec().toTree(SampleRecords.policy());
        // the section's retry is read (the flat one repeats it for older readers)
        ((ObjectNode) tree.get("ci").get("retry"))
                .put("base_delay", "PT10M")
                .put("max_delay", "PT1M");
        byte[] bytes = tree.toString().getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Topics.CONFIG.valueCodec().decode(bytes))
                .isInstanceOf(RecordValidationException.class)
                .hasMessageContaining("retry.max_delay");
    }

    @org.junit.jupiter.api.Test
    void aRecordInvariantTheSchemaCannotExpressIsRejectedWithTheFieldNamed() {
        // valid per schema (both fields optional) but inconsistent: a probability with risk UNKNOWN
        ObjectNode tree =
                (ObjectNode) Topics.PREDICTIONS.valueCodec().toTree(SampleRecords.prediction());
        tree.put("risk", "UNKNOWN");
        byte[] bytes = tree.toString().getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Topics.PREDICTIONS.valueCodec().decode(bytes))
                .isInstanceOf(RecordValidationException.class)
                .hasMessageContaining("success_probability");
    }
}
