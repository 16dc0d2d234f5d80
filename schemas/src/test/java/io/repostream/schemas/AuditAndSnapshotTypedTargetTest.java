package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.json.RecordValidationException;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code typed_target} of {@code github.audit.v1} and {@code github.snapshots.v1}: the action's,
 * carried by the executor; optional, and records without it read as before.
 */
class AuditAndSnapshotTypedTargetTest {

    /** One topic's record, with what the test needs to ask of it. */
    record Case<V>(
            Topic<String, V> topic,
            V withoutTypedTarget,
            Function<TypedTarget, V> withTypedTarget,
            Function<V, TypedTarget> declared,
            Function<V, TypedTarget> resolved,
            String typeField) {
        ObjectNode written(V record) {
            return (ObjectNode) topic.valueCodec().toTree(record);
        }

        V read(JsonNode json) {
            return topic.valueCodec().fromTree(json);
        }

        @Override
        public String toString() {
            return topic.name();
        }
    }

    static Stream<Arguments> topics() {
        return Stream.of(
                Arguments.of(
                        new Case<>(
                                Topics.AUDIT,
                                SampleRecords.audit(),
                                SampleRecords.audit()::withTypedTarget,
                                AuditRecord::declaredTarget,
                                AuditRecord::typedTarget,
                                "action_type")),
                Arguments.of(
                        new Case<>(
                                Topics.SNAPSHOTS,
                                SampleRecords.snapshot(),
                                SampleRecords.snapshot()::withTypedTarget,
                                Snapshot::declaredTarget,
                                Snapshot::typedTarget,
                                "action_type")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    <V> void aRecordWrittenBeforeTypedTargetsReadsAsTheTypesOwnKindAndIsWrittenBackUnchanged(
            Case<V> c) {
        ObjectNode old = c.written(c.withoutTypedTarget());
        old.put(c.typeField(), ActionType.RERUN_FAILED_JOBS.wireName());
        assertThat(old.has("typed_target")).isFalse();

        V record = c.read(old);

        assertThat(c.declared().apply(record)).isNull();
        assertThat(c.resolved().apply(record)).isEqualTo(TypedTarget.workflowRun(12));
        assertThat(c.written(record)).isEqualTo(old);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    <V> void theActionsTypedTargetIsWrittenAsKindAndIdBesideTheIntegerTarget(Case<V> c) {
        V onRef = c.withTypedTarget().apply(TypedTarget.ref("refs/heads/main"));

        ObjectNode json = c.written(onRef);

        assertThat(json.get("typed_target").toString())
                .isEqualTo("{\"kind\":\"ref\",\"id\":\"refs/heads/main\"}");
        assertThat(json.get("target").asLong())
                .isEqualTo(TypedTarget.ref("refs/heads/main").legacyTarget());
        assertThat(c.read(json)).isEqualTo(onRef);
        assertThat(c.resolved().apply(c.read(json))).isEqualTo(TypedTarget.ref("refs/heads/main"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    <V> void aNumberedTypedTargetMustBeTheIntegerTarget(Case<V> c) {
        ObjectNode json = c.written(c.withTypedTarget().apply(TypedTarget.workflowRun(30433642)));
        json.put("target", 12);

        assertThatThrownBy(() -> c.read(json))
                .isInstanceOf(RecordValidationException.class)
                .hasMessageContaining(
                        "target 12 does not match typed_target workflow_run:30433642");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    <V> void aKindFromANewerWriterIsKeptAsWritten(Case<V> c) {
        ObjectNode json = c.written(c.withoutTypedTarget());
        json.putObject("typed_target").put("kind", "discussion").put("id", "12");

        assertThat(c.resolved().apply(c.read(json)).kind().wireName()).isEqualTo("discussion");
        assertThat(c.written(c.read(json)).get("typed_target")).isEqualTo(json.get("typed_target"));
    }

    @Test
    void theAuditAndTheSnapshotDescribeTheTypedTargetAsTheActionDoes() {
        JsonNode action =
                Topics.ACTIONS.valueCodec().schema().document().at("/properties/typed_target");

        assertThat(action.isObject()).isTrue();
        assertThat(Topics.AUDIT.valueCodec().schema().document().at("/properties/typed_target"))
                .isEqualTo(action);
        assertThat(Topics.SNAPSHOTS.valueCodec().schema().document().at("/properties/typed_target"))
                .isEqualTo(action);
    }
}
