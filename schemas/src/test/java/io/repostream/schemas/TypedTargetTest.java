package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.json.RecordValidationException;
import io.repostream.schemas.json.SchemaCompatibility;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code typed_target} of {@code github.actions.v1}: optional, and records without it read as
 * before.
 */
class TypedTargetTest {

    private static ObjectNode written(ActionRecord action) {
        return (ObjectNode) Topics.ACTIONS.valueCodec().toTree(action);
    }

    private static ActionRecord read(JsonNode json) {
        return Topics.ACTIONS
                .valueSerde()
                .deserialize(
                        Topics.ACTIONS.name(), json.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> kindOfEachTypeWithoutATypedTarget() {
        return Stream.of(
                Arguments.of(ActionType.ADD_LABELS, TargetKind.ISSUE),
                Arguments.of(ActionType.REMOVE_LABEL, TargetKind.ISSUE),
                Arguments.of(ActionType.CREATE_COMMENT, TargetKind.ISSUE),
                Arguments.of(ActionType.CLOSE_ISSUE, TargetKind.ISSUE),
                Arguments.of(ActionType.REOPEN_ISSUE, TargetKind.ISSUE),
                Arguments.of(ActionType.ADD_ASSIGNEES, TargetKind.ISSUE),
                Arguments.of(ActionType.REMOVE_ASSIGNEES, TargetKind.ISSUE),
                Arguments.of(ActionType.REQUEST_REVIEWERS, TargetKind.PULL_REQUEST),
                Arguments.of(ActionType.MERGE_PULL_REQUEST, TargetKind.PULL_REQUEST),
                Arguments.of(ActionType.RERUN_FAILED_JOBS, TargetKind.WORKFLOW_RUN),
                Arguments.of(ActionType.RERUN_WORKFLOW, TargetKind.WORKFLOW_RUN),
                Arguments.of(ActionType.CANCEL_WORKFLOW_RUN, TargetKind.WORKFLOW_RUN));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("kindOfEachTypeWithoutATypedTarget")
    void aRecordWrittenBeforeTypedTargetsReadsAsTheTypesOwnKindWithTargetAsItsId(
            ActionType type, TargetKind kind) {
        ObjectNode old = written(SampleRecords.action());
        old.put("type", type.wireName());
        assertThat(old.has("typed_target")).isFalse();

        ActionRecord action = read(old);

        assertThat(action.declaredTarget()).isNull();
        assertThat(action.typedTarget()).isEqualTo(new TypedTarget(kind, "12"));
        assertThat(action.type().actsOn(kind)).isTrue();
        assertThat(written(action)).isEqualTo(old);
    }

    @Test
    void aTypedTargetIsWrittenAsKindAndIdBesideTheIntegerTarget() {
        ObjectNode json = written(SampleRecords.actionOnARun());

        assertThat(json.get("target").asLong()).isEqualTo(30433642L);
        assertThat(json.get("typed_target").toString())
                .isEqualTo("{\"kind\":\"workflow_run\",\"id\":\"30433642\"}");
        assertThat(read(json)).isEqualTo(SampleRecords.actionOnARun());
        assertThat(read(json).typedTarget()).isEqualTo(TypedTarget.workflowRun(30433642));
    }

    @Test
    void aKindFromANewerWriterIsReadAndWrittenOnUnchanged() {
        ObjectNode json = written(SampleRecords.action());
        json.putObject("typed_target").put("kind", "discussion").put("id", "12");

        ActionRecord action = read(json);

        assertThat(action.typedTarget().kind().wireName()).isEqualTo("discussion");
        assertThat(action.typedTarget().kind().known()).isFalse();
        assertThat(action.type().actsOn(action.typedTarget().kind())).isFalse();
        assertThat(written(action.withNotBefore(SampleRecords.T0)).get("typed_target"))
                .isEqualTo(json.get("typed_target"));
    }

    @Test
    void aNumberedTypedTargetMustBeTheIntegerTargetSoThatOldReadersActOnTheSameThing() {
        ObjectNode json = written(SampleRecords.actionOnARun());
        json.put("target", 12);

        assertThatThrownBy(() -> Topics.ACTIONS.valueCodec().fromTree(json))
                .isInstanceOf(RecordValidationException.class)
                .hasMessageContaining(
                        "target 12 does not match typed_target workflow_run:30433642");
    }

    @Test
    void aTargetWithoutANumberGetsAStablePositiveIntegerTargetThatJavaScriptReadsExactly() {
        ActionRecord onRef = SampleRecords.actionOnARef();

        assertThat(onRef.target())
                .isEqualTo(TypedTarget.ref("refs/heads/main").legacyTarget())
                .isPositive()
                .isLessThanOrEqualTo(1L << 53);
        assertThat(TypedTarget.ref("refs/heads/main").legacyTarget())
                .isNotEqualTo(TypedTarget.ref("refs/heads/dev").legacyTarget());
        assertThat(onRef.typedTarget()).isEqualTo(TypedTarget.ref("refs/heads/main"));
        assertThat(onRef.targetRef()).isEqualTo("octo-org/hello-world ref refs/heads/main");
        assertThat(SampleRecords.actionOnARun().targetRef())
                .isEqualTo("octo-org/hello-world#30433642");
    }

    static Stream<Arguments> idsOfKnownKinds() {
        return Stream.of(
                Arguments.of(TargetKind.ISSUE, "12", "12"),
                Arguments.of(TargetKind.PULL_REQUEST, "7", "7"),
                Arguments.of(TargetKind.WORKFLOW_RUN, "30433642", "30433642"),
                Arguments.of(
                        TargetKind.COMMIT,
                        "6DCB09B5B57875F334F61AEBED695E2E4193DB5E",
                        "6dcb09b5b57875f334f61aebed695e2e4193db5e"),
                Arguments.of(TargetKind.REF, "refs/heads/main", "refs/heads/main"),
                Arguments.of(TargetKind.WORKFLOW, "ci.yml", "ci.yml"),
                Arguments.of(TargetKind.WORKFLOW, "161335", "161335"),
                Arguments.of(TargetKind.NOTIFICATION, "sla-breach:octo-org/hello-world#12", null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("idsOfKnownKinds")
    void eachKnownKindTakesItsIdInOneForm(TargetKind kind, String id, String expected) {
        assertThat(new TypedTarget(kind, id).id()).isEqualTo(expected == null ? id : expected);
    }

    static Stream<Arguments> idsRefused() {
        return Stream.of(
                Arguments.of(TargetKind.ISSUE, "abc"),
                Arguments.of(TargetKind.ISSUE, "0"),
                Arguments.of(TargetKind.PULL_REQUEST, "-7"),
                Arguments.of(TargetKind.WORKFLOW_RUN, "99999999999999999999"),
                Arguments.of(TargetKind.COMMIT, "6dcb09b"),
                Arguments.of(TargetKind.REF, "main"),
                Arguments.of(TargetKind.REF, "refs/"),
                Arguments.of(TargetKind.NOTIFICATION, " "));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("idsRefused")
    void anIdThatCannotNameATargetOfItsKindIsRefusedWithTheKindNamed(TargetKind kind, String id) {
        assertThatThrownBy(() -> new TypedTarget(kind, id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("typed_target");
    }

    @Test
    void aKindThatIsNotALowercaseWordIsRefusedByTheSchemaAndTheRecord() {
        ObjectNode json = written(SampleRecords.action());
        json.putObject("typed_target").put("kind", "Pull Request").put("id", "12");

        assertThatThrownBy(() -> Topics.ACTIONS.valueCodec().fromTree(json))
                .isInstanceOf(RecordValidationException.class)
                .hasMessageContaining("typed_target");
        assertThatThrownBy(() -> TargetKind.of("Pull Request"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyKnownKindIsListedAndExplainedInTheSchema() {
        JsonNode kindSchema =
                Topics.ACTIONS
                        .valueCodec()
                        .schema()
                        .document()
                        .at("/properties/typed_target/properties/kind/anyOf/0");
        String description = kindSchema.get("description").asText();

        assertThat(kindSchema.get("enum"))
                .extracting(JsonNode::asText)
                .containsExactlyElementsOf(
                        TargetKind.values().stream().map(TargetKind::wireName).toList());
        for (TargetKind kind : TargetKind.values()) {
            assertThat(Pattern.compile("\\b" + kind.wireName() + ":").matcher(description).find())
                    .as(kind.wireName())
                    .isTrue();
        }
    }

    @Test
    void aKindAddedInALaterReleaseIsAnAdditiveChangeThatTheContractCheckReports() {
        JsonNode now = Topics.ACTIONS.valueCodec().schema().document();
        ObjectNode later = now.deepCopy();
        ObjectNode kinds =
                (ObjectNode) later.at("/properties/typed_target/properties/kind/anyOf/0");
        ((ArrayNode) kinds.get("enum")).add("discussion");

        SchemaCompatibility.Report report = SchemaCompatibility.compare(now, later);

        assertThat(report.breaks()).isEmpty();
        assertThat(report.addedEnumValues())
                .extracting(a -> a.path() + " " + a.value())
                .containsExactly("/typed_target/kind discussion");
    }
}
