package io.repostream.flink.rules.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The job's one slash-command parser, a row per way a comment can be written. */
class SlashCommandParserTest {

    static Stream<Arguments> comments() {
        return Stream.of(
                Arguments.of("/label bug", List.of("label [bug]")),
                Arguments.of("/LABEL Bug", List.of("label [Bug]")),
                Arguments.of("  /label   bug  p1 ", List.of("label [bug, p1]")),
                Arguments.of(
                        "/label \"good first issue\" bug",
                        List.of("label [good first issue, bug]")),
                Arguments.of("/unlabel", List.of("unlabel []")),
                Arguments.of(
                        "Thanks!\r\n/label bug\n\n/unlabel wip",
                        List.of("label [bug]", "unlabel [wip]")),
                Arguments.of("see /label bug", List.of()),
                Arguments.of("> /label bug", List.of()),
                Arguments.of("```\n/label bug\n```\n/label p1", List.of("label [p1]")),
                Arguments.of("~~~\n/label bug\n~~~", List.of()),
                Arguments.of("/usr/bin/env", List.of()),
                Arguments.of("/", List.of()),
                Arguments.of("/9lives", List.of()),
                Arguments.of("", List.of()),
                Arguments.of(
                        IntStream.range(0, 12)
                                .mapToObj(i -> "/label l" + i)
                                .collect(Collectors.joining("\n")),
                        IntStream.range(0, 10).mapToObj(i -> "label [l" + i + "]").toList()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("comments")
    void readsTheCommandsOfAComment(String body, List<String> expected) {
        assertThat(SlashCommandParser.parse(body))
                .extracting(c -> c.name() + " " + c.args())
                .containsExactlyElementsOf(expected);
    }
}
