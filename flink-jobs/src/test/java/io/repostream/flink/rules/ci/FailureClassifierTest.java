package io.repostream.flink.rules.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureClassifierTest {
    private final FailureClassifier classifier = new FailureClassifier();

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(
                        "failure",
                        "Error: The operation timed out after 360 minutes",
                        FailureClass.TRANSIENT),
                Arguments.of(
                        "failure",
                        "The runner has received a shutdown signal.",
                        FailureClass.TRANSIENT),
                Arguments.of(
                        "failure",
                        "curl: (6) Could not resolve host: github.com",
                        FailureClass.TRANSIENT),
                Arguments.of(
                        "failure",
                        "API rate limit exceeded for installation",
                        FailureClass.TRANSIENT),
                Arguments.of("timed_out", "job build: timed_out", FailureClass.TRANSIENT),
                Arguments.of(
                        "failure",
                        "npm ERR! 503 Service Unavailable - GET https://registry.npmjs.org/x",
                        FailureClass.DEPENDENCY),
                Arguments.of(
                        "failure",
                        "[ERROR] Failed to execute goal: Could not resolve dependencies for project",
                        FailureClass.DEPENDENCY),
                Arguments.of(
                        "failure",
                        "[ERROR] COMPILATION ERROR : cannot find symbol",
                        FailureClass.PERMANENT),
                Arguments.of(
                        "failure",
                        "java.lang.AssertionError: expected 3 but was 4",
                        FailureClass.PERMANENT),
                Arguments.of(
                        "failure",
                        "job test: failure\nstep Run unit tests failed",
                        FailureClass.PERMANENT),
                Arguments.of(
                        "failure", "job deploy: failure\nstep Upload failed", FailureClass.UNKNOWN),
                // signatures of the error lines cut from job logs (issue 21)
                Arguments.of(
                        "failure",
                        "##[error]Process completed with exit code 137.",
                        FailureClass.TRANSIENT),
                Arguments.of(
                        "failure",
                        "c++: fatal error: Killed signal terminated program cc1plus",
                        FailureClass.TRANSIENT),
                Arguments.of(
                        "failure",
                        "error: RPC failed; curl 56 GnuTLS recv error (-54): Error in the pull"
                                + " function.",
                        FailureClass.TRANSIENT),
                Arguments.of("failure", "npm ERR! network read ECONNRESET", FailureClass.TRANSIENT),
                Arguments.of(
                        "failure",
                        "The hosted runner: GitHub Actions 12 lost communication with the"
                                + " server.",
                        FailureClass.TRANSIENT),
                Arguments.of(
                        "failure",
                        "toomanyrequests: You have reached your pull rate limit",
                        FailureClass.TRANSIENT),
                Arguments.of(
                        "failure",
                        "[ERROR] Could not transfer artifact org.x:y:pom:1.0 from/to central"
                                + " (https://repo.maven.apache.org/maven2): status code: 502",
                        FailureClass.DEPENDENCY),
                Arguments.of(
                        "failure",
                        "ERROR: HTTP error 503 while getting https://files.pythonhosted.org/x.whl",
                        FailureClass.DEPENDENCY),
                Arguments.of(
                        "failure",
                        "[ERROR] Failed to execute goal on project w: Could not resolve dependencies"
                                + " for project a:w:jar:1.0: Could not find artifact a:b:jar:9.9 in"
                                + " central",
                        FailureClass.PERMANENT),
                Arguments.of(
                        "failure",
                        "npm ERR! code ETARGET\nnpm ERR! notarget No matching version found for"
                                + " left-pad@^9.0.0.",
                        FailureClass.PERMANENT),
                Arguments.of("failure", "error[E0308]: mismatched types", FailureClass.PERMANENT),
                Arguments.of("failure", "--- FAIL: TestSpin (0.01s)", FailureClass.PERMANENT));
    }

    @ParameterizedTest(name = "[{index}] {1} -> {2}")
    @MethodSource("failures")
    void classifiesTypicalFailureOutput(String conclusion, String text, FailureClass expected) {
        assertThat(classifier.classify("o/r", conclusion, text, Map.of())).isEqualTo(expected);
    }

    @Test
    void namesTheSignatureThatDecided() {
        assertThat(classifier.explain("o/r", "failure", "read ECONNRESET", Map.of()))
                .isEqualTo(new FailureClassifier.Verdict(FailureClass.TRANSIENT, "network"));
        assertThat(classifier.explain("o/r", "failure", "x", Map.of("permanent", List.of("^x$"))))
                .isEqualTo(new FailureClassifier.Verdict(FailureClass.PERMANENT, "repo:permanent"));
        assertThat(classifier.explain("o/r", "failure", "nothing known", Map.of()).signature())
                .isNull();
    }

    @Test
    void repositoryPatternsComeBeforeTheDefaults() {
        Map<String, List<String>> patterns = Map.of("transient", List.of("step Upload failed"));

        assertThat(
                        classifier.classify(
                                "o/r",
                                "failure",
                                "job deploy: failure\nstep Upload failed",
                                patterns))
                .isEqualTo(FailureClass.TRANSIENT);
    }

    @Test
    void ignoresPatternsRe2CannotCompileAndUnknownClasses() {
        Map<String, List<String>> patterns =
                Map.of(
                        "transient",
                        List.of("(unclosed", "\\1 backreference"),
                        "weird",
                        List.of(".*"));

        assertThat(classifier.classify("o/r", "failure", "AssertionError", patterns))
                .isEqualTo(FailureClass.PERMANENT);
    }

    @Test
    @Timeout(10)
    void matchesCatastrophicBacktrackingPatternsInLinearTime() {
        // (a+)+$ takes exponential time in backtracking engines on this input
        Map<String, List<String>> patterns = Map.of("permanent", List.of("(a+)+$"));
        String hostile = "a".repeat(50_000) + "!";

        long start = System.nanoTime();
        FailureClass cls = classifier.classify("o/r", "failure", hostile, patterns);

        assertThat(cls).isEqualTo(FailureClass.UNKNOWN);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void compilesEachPatternOnceAfterTravellingToTheTaskAsJavaSerialization() throws Exception {
        // how the classifier reaches a task manager: inside CiRetryPlanner, Java-serialised
        FailureClassifier shipped = InstantiationUtil.clone(new FailureClassifier());
        Map<String, List<String>> repoPatterns = Map.of("permanent", List.of("(?i)golden file"));
        String text = "nothing any pattern knows";

        shipped.classify("octo-org/widgets", "failure", text, repoPatterns);
        long first = shipped.compilations();
        for (int i = 0; i < 100; i++) {
            shipped.classify("octo-org/widgets", "failure", text, repoPatterns);
        }

        int patterns = 1 + FailureClassifier.DEFAULT_SIGNATURES.size();
        assertThat(first).isEqualTo(patterns);
        assertThat(shipped.compilations()).as("compiled again per failure").isEqualTo(first);
    }
}
