package io.repostream.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.json.SchemaCompatibility.AddedEnumValue;
import io.repostream.schemas.json.SchemaCompatibility.Break;
import io.repostream.schemas.json.SchemaCompatibility.Report;
import io.repostream.schemas.json.SchemaCompatibility.Rule;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaCompatibilityTest {

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Report compare(String released, String current) {
        return SchemaCompatibility.compare(json(released), json(current));
    }

    /** Per rule: a released schema, a change that breaks it, and one that does not. */
    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(
                        Rule.PROPERTY_REMOVED,
                        "/b",
                        "{'properties': {'a': {'type': 'string'}, 'b': {'type': 'string'}}}",
                        "{'properties': {'a': {'type': 'string'}}}",
                        "{'properties': {'a': {'type': 'string'}, 'b': {'type': 'string'},"
                                + " 'c': {'type': 'integer'}}}"),
                Arguments.of(
                        Rule.PROPERTY_REMOVED,
                        "/outer/inner",
                        "{'properties': {'outer': {'type': 'object', 'properties': {'inner':"
                                + " {'type': 'string'}}}}}",
                        "{'properties': {'outer': {'type': 'object', 'properties': {}}}}",
                        "{'properties': {'outer': {'type': 'object', 'description': 'd',"
                                + " 'properties': {'inner': {'type': 'string'}}}}}"),
                Arguments.of(
                        Rule.TYPE_NARROWED,
                        "/a",
                        "{'properties': {'a': {'type': ['string', 'null']}}}",
                        "{'properties': {'a': {'type': 'string'}}}",
                        "{'properties': {'a': {'type': ['string', 'null', 'integer']}}}"),
                Arguments.of(
                        Rule.TYPE_NARROWED,
                        "/n",
                        "{'properties': {'n': {'type': 'number'}}}",
                        "{'properties': {'n': {'type': 'integer'}}}",
                        "{'properties': {'n': {}}}"),
                Arguments.of(
                        Rule.TYPE_NARROWED,
                        "/n",
                        "{'properties': {'n': {}}}",
                        "{'properties': {'n': {'type': 'integer'}}}",
                        "{'properties': {'n': {'description': 'any JSON'}}}"),
                Arguments.of(
                        Rule.REQUIRED_ADDED,
                        "/b",
                        "{'properties': {'a': {}, 'b': {}}, 'required': ['a']}",
                        "{'properties': {'a': {}, 'b': {}}, 'required': ['a', 'b']}",
                        "{'properties': {'a': {}, 'b': {}, 'c': {}}, 'required': ['a']}"),
                Arguments.of(
                        Rule.ENUM_VALUE_REMOVED,
                        "/o",
                        "{'properties': {'o': {'enum': ['x', 'y']}}}",
                        "{'properties': {'o': {'enum': ['x']}}}",
                        "{'properties': {'o': {'enum': ['y', 'x', 'z']}}}"),
                Arguments.of(
                        Rule.ENUM_VALUE_REMOVED,
                        "/list/*",
                        "{'properties': {'list': {'type': 'array', 'items': {'enum': ['x',"
                                + " 'y']}}}}",
                        "{'properties': {'list': {'type': 'array', 'items': {'enum': ['y']}}}}",
                        "{'properties': {'list': {'type': 'array', 'items': {'enum': ['x', 'y',"
                                + " 'z']}}}}"),
                Arguments.of(
                        Rule.CONSTRAINT_TIGHTENED,
                        "/n",
                        "{'properties': {'n': {'type': 'integer', 'minimum': 0}}}",
                        "{'properties': {'n': {'type': 'integer', 'minimum': 1}}}",
                        "{'properties': {'n': {'type': 'integer', 'minimum': -1}}}"),
                Arguments.of(
                        Rule.CONSTRAINT_TIGHTENED,
                        "/n",
                        "{'properties': {'n': {'type': 'number', 'maximum': 1}}}",
                        "{'properties': {'n': {'type': 'number', 'maximum': 0.5}}}",
                        "{'properties': {'n': {'type': 'number'}}}"),
                Arguments.of(
                        Rule.CONSTRAINT_TIGHTENED,
                        "/n",
                        "{'properties': {'n': {'type': 'number'}}}",
                        "{'properties': {'n': {'type': 'number', 'exclusiveMinimum': 0}}}",
                        "{'properties': {'n': {'type': 'number', 'description': 'a count'}}}"),
                Arguments.of(
                        Rule.CONSTRAINT_TIGHTENED,
                        "/days",
                        "{'properties': {'days': {'type': 'array'}}}",
                        "{'properties': {'days': {'type': 'array', 'minItems': 1}}}",
                        "{'properties': {'days': {'type': 'array', 'description': 'd'}}}"),
                Arguments.of(
                        Rule.CONSTRAINT_TIGHTENED,
                        "/s",
                        "{'properties': {'s': {'type': 'string', 'pattern': '^a+$'}}}",
                        "{'properties': {'s': {'type': 'string', 'pattern': '^a$'}}}",
                        "{'properties': {'s': {'type': 'string', 'pattern': '^(?:a+|b+)$'}}}"),
                Arguments.of(
                        Rule.CONSTRAINT_TIGHTENED,
                        "/s",
                        "{'properties': {'s': {'type': 'string'}}}",
                        "{'properties': {'s': {'type': 'string', 'pattern': '\\\\S'}}}",
                        "{'properties': {'s': {'type': ['string', 'null']}}}"),
                Arguments.of(
                        Rule.CONSTRAINT_TIGHTENED,
                        "/at",
                        "{'properties': {'at': {'type': 'string'}}}",
                        "{'properties': {'at': {'type': 'string', 'format': 'date-time'}}}",
                        "{'properties': {'at': {'type': 'string', 'description': 'when'}}}"),
                Arguments.of(
                        Rule.CONSTRAINT_TIGHTENED,
                        "",
                        "{'type': 'object', 'properties': {'a': {}}}",
                        "{'type': 'object', 'properties': {'a': {}}, 'additionalProperties':"
                                + " false}",
                        "{'type': 'object', 'properties': {'a': {}, 'b': {}}}"),
                Arguments.of(
                        Rule.CONSTRAINT_TIGHTENED,
                        "/m/*",
                        "{'properties': {'m': {'type': 'object', 'additionalProperties':"
                                + " {'type': 'number'}}}}",
                        "{'properties': {'m': {'type': 'object', 'additionalProperties':"
                                + " {'type': 'number', 'minimum': 0}}}}",
                        "{'properties': {'m': {'type': 'object', 'additionalProperties':"
                                + " true}}}"),
                Arguments.of(
                        Rule.CONSTRAINT_TIGHTENED,
                        "/d",
                        "{'properties': {'d': {'type': 'string', 'pattern': '^P\\\\d+D$'}}}",
                        "{'$defs': {'duration': {'type': 'string', 'pattern': '^PT?\\\\d+D$'}},"
                                + " 'properties': {'d': {'$ref': '#/$defs/duration'}}}",
                        "{'$defs': {'duration': {'type': 'string', 'pattern':"
                                + " '^(?:P\\\\d+D|\\\\d+d)$'}}, 'properties': {'d': {'$ref':"
                                + " '#/$defs/duration', 'description': 'a duration'}}}"));
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("rules")
    void aChangeThatBreaksARuleIsReportedAtItsPath(
            Rule rule, String path, String released, String breaking, String compatible) {
        assertThat(compare(released, breaking).breaks())
                .extracting(Break::rule, Break::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(rule, path));
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("rules")
    void aChangeThatKeepsTheRuleIsNoBreak(
            Rule rule, String path, String released, String breaking, String compatible) {
        assertThat(compare(released, compatible).breaks()).isEmpty();
        assertThat(compare(released, released).breaks()).isEmpty();
    }

    @Test
    void aDefinitionBothVersionsReferToIsComparedToo() {
        Report report =
                compare(
                        "{'$defs': {'d': {'type': 'string', 'pattern': '^a+$'}}, 'properties':"
                                + " {'x': {'$ref': '#/$defs/d'}, 'y': {'$ref': '#/$defs/d'}}}",
                        "{'$defs': {'d': {'type': 'string', 'pattern': '^a$'}}, 'properties':"
                                + " {'x': {'$ref': '#/$defs/d'}, 'y': {'$ref': '#/$defs/d'}}}");

        assertThat(report.breaks())
                .extracting(Break::rule, Break::path)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Rule.CONSTRAINT_TIGHTENED, "/x"),
                        org.assertj.core.groups.Tuple.tuple(Rule.CONSTRAINT_TIGHTENED, "/y"));
    }

    @Test
    void aNewEnumValueIsNoBreakButIsReportedWithItsDescription() {
        Report report =
                compare(
                        "{'properties': {'o': {'enum': ['x']}}}",
                        "{'properties': {'o': {'description': 'y: why', 'enum': ['x', 'y']}}}");

        assertThat(report.breaks()).isEmpty();
        assertThat(report.addedEnumValues())
                .containsExactly(new AddedEnumValue("/o", "y", "y: why"));
    }

    @Test
    void aNewEnumValueOfArrayItemsCarriesTheArraysDescription() {
        Report report =
                compare(
                        "{'properties': {'l': {'type': 'array', 'items': {'enum': ['x']}}}}",
                        "{'properties': {'l': {'type': 'array', 'description': 'z is new',"
                                + " 'items': {'enum': ['x', 'z']}}}}");

        assertThat(report.addedEnumValues())
                .containsExactly(new AddedEnumValue("/l/*", "z", "z is new"));
    }

    @Test
    void aPatternIsWidenedOnlyByKeepingTheOldOneAsAnAlternative() {
        assertThat(SchemaCompatibility.widensByAlternation("^a+$", "^(?:a+|b)$")).isTrue();
        assertThat(SchemaCompatibility.widensByAlternation("^a+$", "^(?:b|a+)$")).isFalse();
        assertThat(SchemaCompatibility.widensByAlternation("a+", "^(?:a+|b)$")).isFalse();
    }
}
