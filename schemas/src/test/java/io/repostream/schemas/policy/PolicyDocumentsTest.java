package io.repostream.schemas.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks every policy written by people goes through, and where their errors point. */
class PolicyDocumentsTest {
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(
                        "a value not in the field's list",
                        "repo: octo/widgets\npolicy_version: 2\nsla:\n  mode: sometimes\n",
                        4),
                Arguments.of(
                        "an unknown field",
                        "repo: octo/widgets\ntriage:\n  label: x\n  colour: red\n",
                        4),
                Arguments.of(
                        "a number out of range",
                        "repo: octo/widgets\n\naction_budget_per_hour: -1\n",
                        3),
                Arguments.of("not YAML", "repo: octo/widgets\nsla: [unclosed\n", 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void anErrorPointsAtTheLineOfTheFieldItIsAbout(String why, String text, int line) {
        String error = errorOf(text);

        assertThat(PolicyDocuments.problems(text, error))
                .as(error)
                .first()
                .satisfies(p -> assertThat(p.line()).isEqualTo(line));
    }

    @Test
    void theRepositorysFileIsLaidOverTheDefaultsKeyByKey() {
        ObjectNode defaults =
                (ObjectNode)
                        PolicyDocuments.parse(
                                "sla:\n  mode: shadow\n  escalate_to: [a]\nignore_users: [bot]\n",
                                "defaults");
        ObjectNode own =
                (ObjectNode)
                        PolicyDocuments.parse(
                                "sla:\n  escalate_to: [b, c]\ntriage: {label: x}\n", "own");

        ObjectNode merged = PolicyDocuments.mergeUnder(defaults, own);

        assertThat(merged.path("sla").path("mode").asText()).isEqualTo("shadow");
        assertThat(merged.path("sla").path("escalate_to").toString()).isEqualTo("[\"b\",\"c\"]");
        assertThat(merged.path("ignore_users").toString()).isEqualTo("[\"bot\"]");
        assertThat(merged.path("triage").path("label").asText()).isEqualTo("x");
        assertThat(defaults.path("triage").isMissingNode()).isTrue();
    }

    private static String errorOf(String text) {
        try {
            PolicyDocuments.policy(PolicyDocuments.parse(text, "f.yml"), "f.yml", AT);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("not refused: " + text);
    }
}
