package io.repostream.executor.reads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The error lines of the failing step are cut out of a job's log; the rest stays behind. */
class LogExcerptTest {
    private final LogExcerpt cutter = new LogExcerpt();

    private static String actionsLog(String... lines) {
        StringBuilder sb = new StringBuilder();
        int s = 0;
        for (String line : lines) {
            sb.append(String.format("2026-12-07T10:00:%02d.1234567Z ", s++ % 60))
                    .append(line)
                    .append('\n');
        }
        return sb.toString();
    }

    @Test
    void keepsTheErrorLinesOfTheStepThatFailedFirstWithoutTimestampsOrColours() {
        String log =
                actionsLog(
                        "##[group]Run actions/setup-java@v4",
                        "error: this line belongs to a step that passed",
                        "##[endgroup]",
                        "##[group]Run mvn -B verify",
                        "mvn -B verify",
                        "shell: /usr/bin/bash -e {0}",
                        "##[endgroup]",
                        "[INFO] Compiling 12 source files",
                        "\u001B[1;31m[ERROR]\u001B[m /src/Widget.java:[14,9] cannot find symbol",
                        "  symbol:   variable spinner",
                        "[ERROR] -> [Help 1]",
                        "[ERROR] Re-run Maven using the -X switch to enable full debug logging.",
                        "##[error]Process completed with exit code 1.",
                        "##[group]Run actions/cache/save@v4",
                        "##[error]post step failed too");

        LogExcerpt.Excerpt e = cutter.cut(log, false);

        assertThat(e.step()).isEqualTo("mvn -B verify");
        assertThat(e.lines())
                .containsExactly(
                        "[ERROR] /src/Widget.java:[14,9] cannot find symbol",
                        "symbol:   variable spinner",
                        "##[error]Process completed with exit code 1.");
        assertThat(e.errorLines()).isEqualTo(2);
    }

    @Test
    void searchesTheWholeTextOfALogWithoutActionsMarkers() {
        String log =
                String.join(
                        "\n",
                        "$ npm ci",
                        "added 300 packages",
                        "$ npm test",
                        "  ✓ renders",
                        "  1) throws on empty input",
                        "  1 passing, 1 failing",
                        "  AssertionError: expected [Function] to throw an error",
                        "      at Context.<anonymous> (test/widget.spec.js:12:5)",
                        "The command \"npm test\" exited with 1.",
                        "Done. Your build exited with 1.");

        LogExcerpt.Excerpt e = cutter.cut(log, false);

        assertThat(e.step()).isNull();
        assertThat(e.lines())
                .contains(
                        "1 passing, 1 failing",
                        "AssertionError: expected [Function] to throw an error")
                .doesNotContain("added 300 packages", "$ npm ci");
    }

    @Test
    void fallsBackToTheLastLinesWhenNothingReadsAsAnError() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add("step output " + i);
        }

        LogExcerpt.Excerpt e = cutter.cut(String.join("\n", lines), false);

        assertThat(e.errorLines()).isZero();
        assertThat(e.lines()).hasSize(LogExcerpt.FALLBACK_LINES).endsWith("step output 99");
    }

    @Test
    void keepsTheLatestErrorLinesWithinItsBoundsAndCutsLongLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add("ERROR number " + i + " " + "x".repeat(i % 3 == 0 ? 1000 : 10));
        }

        LogExcerpt.Excerpt e = cutter.cut(String.join("\n", lines), false);

        assertThat(e.lines()).hasSizeLessThanOrEqualTo(LogExcerpt.MAX_LINES);
        assertThat(e.text().length()).isLessThanOrEqualTo(LogExcerpt.MAX_CHARS);
        assertThat(e.lines()).allMatch(l -> l.length() <= LogExcerpt.MAX_LINE_CHARS + 1);
        assertThat(e.lines().get(e.lines().size() - 1)).startsWith("ERROR number 499 ");
        assertThat(e.errorLines()).isEqualTo(500);
    }

    @Test
    void dropsThePartialFirstLineOfATruncatedTail() {
        LogExcerpt.Excerpt e = cutter.cut("rror: half a line\nfine\nFAILED: the end", true);

        assertThat(e.lines()).containsExactly("FAILED: the end");
    }

    @Test
    void masksSecretsBeforeCuttingSoAKeySplitOverLinesIsNeverKept() {
        String log =
                String.join(
                        "\n",
                        "-----BEGIN PRIVATE KEY-----",
                        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7 error",
                        "-----END PRIVATE KEY-----",
                        "error: login failed with password=hunter2pass");

        LogExcerpt.Excerpt e = cutter.cut(log, false);

        assertThat(e.text()).doesNotContain("MIIEvQ").doesNotContain("hunter2pass");
        assertThat(e.redactions()).isEqualTo(2);
    }

    static Stream<Arguments> failedTests() {
        return Stream.of(
                Arguments.of(
                        "[ERROR] com.acme.WidgetTest.spins  Time elapsed: 0.01 s  <<< FAILURE!",
                        "com.acme.WidgetTest.spins"),
                Arguments.of(
                        "[ERROR] spins(com.acme.WidgetTest)  Time elapsed: 0.01 s  <<< ERROR!",
                        "com.acme.WidgetTest.spins"),
                Arguments.of(
                        "[ERROR]   WidgetTest.spins:42 expected:<3> but was:<2>",
                        "WidgetTest.spins"),
                Arguments.of("WidgetTest > spins() FAILED", "WidgetTest.spins"),
                Arguments.of(
                        "FAILED tests/test_widget.py::test_spins - AssertionError",
                        "tests/test_widget.py::test_spins"),
                Arguments.of("--- FAIL: TestSpins (0.00s)", "TestSpins"),
                Arguments.of("test widget::tests::spins ... FAILED", "widget::tests::spins"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("failedTests")
    void namesTheFailedTestsAsTheirRunnerPrintsThem(String line, String test) {
        LogExcerpt.Excerpt e =
                cutter.cut(
                        actionsLog(
                                "##[group]Run make test",
                                "##[endgroup]",
                                line,
                                "##[error]Process completed with exit code 1."),
                        false);

        assertThat(e.failedTests()).containsExactly(test);
    }
}
