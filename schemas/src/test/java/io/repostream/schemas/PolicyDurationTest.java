package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.json.RecordValidationException;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One table of durations, good and bad, for the parser and the JSON Schema alike. */
class PolicyDurationTest {

    static Stream<Arguments> goodDurations() {
        return Stream.of(
                good("5m", Duration.ofMinutes(5)),
                good("2h", Duration.ofHours(2)),
                good("3d", Duration.ofDays(3)),
                good("45s", Duration.ofSeconds(45)),
                good("1h30m", Duration.ofMinutes(90)),
                good("1d12h", Duration.ofHours(36)),
                good("2h0m30s", Duration.ofSeconds(7230)),
                good("90m", Duration.ofMinutes(90)),
                good("PT5M", Duration.ofMinutes(5)),
                good("PT1H30M", Duration.ofMinutes(90)),
                good("P3D", Duration.ofDays(3)),
                good("P1DT2H", Duration.ofHours(26)),
                good("PT120H", Duration.ofDays(5)),
                good("PT0.5S", Duration.ofMillis(500)),
                good("P1.5D", Duration.ofHours(36)));
    }

    static Stream<String> badDurations() {
        return Stream.of(
                "5", "m", "5 m", "5min", "1m30h", "5M", "1.5h", "-5m", "1w", "pt5m", "PT", "P",
                "P1W", "-PT5M", "PT-5M", "P1DT", "PT1,5S", "", " 5m", "5m ");
    }

    private static Arguments good(String text, Duration expected) {
        return Arguments.of(text, expected);
    }

    /** A policy whose retry delays and P0 targets are {@code text}. */
    private static ObjectNode policyWith(String text) {
        ObjectNode tree = Json.mapper().createObjectNode().put("repo", "octo-org/hello-world");
        tree.putObject("retry").put("base_delay", text).put("max_delay", text);
        tree.putObject("sla")
                .putObject("targets")
                .putObject("P0")
                .put("first_response", text)
                .put("resolution", text);
        return tree;
    }

    private static RepoPolicy decode(JsonNode tree) {
        return Topics.CONFIG.valueCodec().decode(tree.toString().getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodDurations")
    void theParserReadsEveryFormTheSchemaAccepts(String text, Duration expected) {
        assertThat(PolicyDuration.parse(text)).isEqualTo(expected);
        assertThat(Topics.CONFIG.valueCodec().schema().violations(policyWith(text))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodDurations")
    void aPolicyOnTheTopicMayWriteEveryDurationInEitherForm(String text, Duration expected) {
        RepoPolicy policy = decode(policyWith(text));

        assertThat(policy.ci().retry().baseDelay()).isEqualTo(expected);
        assertThat(policy.ci().retry().maxDelay()).isEqualTo(expected);
        assertThat(policy.sla().targets().get("P0").firstResponse()).isEqualTo(expected);
        assertThat(policy.sla().targets().get("P0").resolution()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("badDurations")
    void theParserAndTheSchemaRefuseTheSameDurationsAndSayWhatAGoodOneLooksLike(String text) {
        assertThatThrownBy(() -> PolicyDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> saysWhatAValidDurationLooksLike(e.getMessage()));

        assertThat(Topics.CONFIG.valueCodec().schema().violations(policyWith(text)))
                .hasSize(4)
                .allSatisfy(PolicyDurationTest::saysWhatAValidDurationLooksLike);
        assertThatThrownBy(() -> decode(policyWith(text)))
                .isInstanceOf(RecordValidationException.class)
                .hasMessageContaining("base_delay")
                .hasMessageContaining("first_response");
    }

    private static void saysWhatAValidDurationLooksLike(String message) {
        assertThat(message).contains("5m, 2h, 3d, 1h30m", "PT5M").doesNotContain("\\d", "(?");
    }
}
