package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicRecordsTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of(Topics.EVENTS, SampleRecords.event()),
                Arguments.of(Topics.EVENTS_DLQ, SampleRecords.deadLetter()),
                Arguments.of(Topics.ACTIONS, SampleRecords.action()),
                Arguments.of(Topics.ACTIONS, SampleRecords.actionOnARun()),
                Arguments.of(Topics.ACTIONS, SampleRecords.actionOnARef()),
                Arguments.of(Topics.SNAPSHOTS, SampleRecords.snapshot()),
                Arguments.of(Topics.SNAPSHOTS, SampleRecords.snapshotOnARun()),
                Arguments.of(Topics.AUDIT, SampleRecords.audit()),
                Arguments.of(Topics.AUDIT, SampleRecords.auditOnARef()),
                Arguments.of(Topics.CONFIG, SampleRecords.policy()),
                Arguments.of(Topics.CONFIG, RepoPolicy.defaults("octo-org/hello-world")),
                Arguments.of(Topics.CONTROL, SampleRecords.control()),
                Arguments.of(Topics.PREDICTIONS, SampleRecords.prediction()),
                Arguments.of(Topics.TRAINING_EXAMPLES, SampleRecords.trainingExample()),
                Arguments.of(Topics.MODELS, SampleRecords.model()),
                Arguments.of(Topics.METRICS, SampleRecords.metrics()),
                Arguments.of(Topics.MERGE_QUEUE, SampleRecords.mergeQueue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <V> void everyRecordRoundTripsThroughItsTopicSerde(Topic<String, V> topic, V record) {
        byte[] bytes = topic.valueSerde().serialize(topic.name(), record);

        V back = topic.valueSerde().deserialize(topic.name(), bytes);

        assertThat(back).isEqualTo(record);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <V> void everyRecordValidatesAgainstItsJsonSchema(Topic<String, V> topic, V record) {
        JsonNode tree = topic.valueCodec().toTree(record);

        assertThat(topic.valueCodec().schema().violations(tree)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <V> void everyFieldTheRecordWritesIsDescribedByItsSchema(Topic<String, V> topic, V record) {
        JsonNode tree = topic.valueCodec().toTree(record);
        JsonNode described = topic.valueCodec().schema().document().get("properties");

        List<String> undocumented = new ArrayList<>();
        tree.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!described.has(f)) {
                                undocumented.add(f);
                            }
                        });

        assertThat(undocumented)
                .as("fields missing from " + topic.valueCodec().schema().name())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <V> void everyRequiredFieldOfTheSchemaIsWrittenByTheRecord(Topic<String, V> topic, V record) {
        JsonNode tree = topic.valueCodec().toTree(record);
        JsonNode required = topic.valueCodec().schema().document().get("required");

        required.forEach(f -> assertThat(tree.has(f.asText())).as(f.asText()).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <V> void aTombstoneOnACompactedTopicDeserialisesToNull(Topic<String, V> topic, V ignored) {
        assertThat(topic.valueSerde().deserialize(topic.name(), null)).isNull();
    }

    @org.junit.jupiter.api.Test
    void bytesThatAreNotJsonAreRejectedWithTheTopicNamed() {
        assertThatThrownBy(
                        () ->
                                Topics.EVENTS
                                        .valueSerde()
                                        .deserialize(
                                                "github.events.v1", "{\"event_id\":".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("github.events.v1")
                .hasMessageContaining("not JSON");
    }
}
