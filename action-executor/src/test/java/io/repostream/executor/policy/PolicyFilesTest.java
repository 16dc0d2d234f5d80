package io.repostream.executor.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.RepoPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How policy files are read: YAML mistakes by line and column, durations as people write them. */
class PolicyFilesTest {
    @TempDir Path dir;

    private List<RepoPolicy> read(String yaml) throws Exception {
        return PolicyFiles.read(
                List.of(Files.writeString(dir.resolve("p.yaml"), yaml)), Instant.EPOCH);
    }

    static Stream<Arguments> yamlMistakes() {
        return Stream.of(
                Arguments.of(
                        "unquoted [bot] login in a flow list",
                        "repo: acme/api\nignore_users: [dependabot[bot], renovate[bot]]\n",
                        "line 2, column 26"),
                Arguments.of(
                        "tab indentation",
                        "repo: acme/api\nsla:\n\twarn_fraction: 0.5\n",
                        "line 3, column 1"),
                Arguments.of(
                        "unclosed quote",
                        "repo: acme/api\ntriage_label: \"triage\n",
                        "line 3, column 1"),
                Arguments.of(
                        "a key without its value's indentation",
                        "repo: acme/api\nsla:\n  warn_fraction: 0.5\n business_hours_only: true\n",
                        "line 4, column 2"),
                Arguments.of(
                        "a key given twice",
                        "repo: acme/api\ndry_run: true\ndry_run: false\n",
                        "line 3, column 8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yamlMistakes")
    void aYamlMistakeIsReportedWithItsFileLineAndColumn(
            String mistake, String yaml, String location) {
        assertThatThrownBy(() -> read(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("p.yaml") + ": not YAML")
                .hasMessageContaining(location);
    }

    @Test
    void aLoginWithBracketsInAFlowListIsReportedWithAHintToQuoteIt() {
        assertThatThrownBy(() -> read("repo: acme/api\nignore_users: [dependabot[bot]]\n"))
                .hasMessageContaining("quote");
    }

    @Test
    void durationsMayBeWrittenShortOrInIso8601() throws Exception {
        RepoPolicy policy =
                read("""
                                repo: acme/api
                                sla:
                                  targets:
                                    P0: {first_response: 5m, resolution: 4h}
                                    P1: {first_response: 1h30m, resolution: 3d}
                                    P2: {first_response: PT2H, resolution: P5D}
                                retry: {base_delay: 30s, max_delay: 1h}
                                """)
                        .get(0);

        assertThat(policy.sla().targets().get("P0").firstResponse())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.sla().targets().get("P1").firstResponse())
                .isEqualTo(Duration.ofMinutes(90));
        assertThat(policy.sla().targets().get("P1").resolution()).isEqualTo(Duration.ofDays(3));
        assertThat(policy.sla().targets().get("P2").resolution()).isEqualTo(Duration.ofDays(5));
        assertThat(policy.ci().retry().baseDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.ci().retry().maxAttempts()).isEqualTo(3);
    }

    @Test
    void aBadDurationIsExplainedInWordsAndExamplesWithItsField() {
        assertThatThrownBy(() -> read("repo: acme/api\nretry: {base_delay: 5 minutes}\n"))
                .hasMessageContaining("policy 1 (acme/api)")
                .hasMessageContaining("/retry/base_delay")
                .hasMessageContaining("5m, 2h, 3d, 1h30m")
                .hasMessageContaining("PT5M")
                .hasMessageNotContaining("\\d");
    }
}
