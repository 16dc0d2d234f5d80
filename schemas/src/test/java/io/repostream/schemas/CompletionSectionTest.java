package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.json.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A section given as {@code completion: {}} closes at 0.9 and suggests at 0.6 on any branch
 * (whether it is on: {@link CommandsSectionTest}); thresholds and weights are fractions.
 */
class CompletionSectionTest {
    @Test
    void anEmptySectionClosesAtNinetyPercentOnAnyBranch() throws Exception {
        Completion completion =
                Json.mapper()
                        .readValue("{\"repo\":\"o/r\",\"completion\":{}}", RepoPolicy.class)
                        .completion();

        assertThat(completion.closeAt()).isEqualTo(0.9);
        assertThat(completion.suggestAt()).isEqualTo(0.6);
        assertThat(completion.suggestLabel()).isEqualTo("status/likely-done");
        assertThat(completion.branches()).isEmpty();
        assertThat(completion.decideAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(completion.weights().merged()).isEqualTo(0.35);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "close_at above 1 | {\"close_at\": 1.5} | completion.close_at",
                "negative weight | {\"weights\": {\"merged\": -0.1}} | completion.weights.merged",
                "suggest above close | {\"close_at\": 0.5, \"suggest_at\": 0.7} | must not be above",
                "empty label | {\"suggest_label\": \" \"} | completion.suggest_label",
            })
    void refusesSettingsItCannotFollow(String name, String section, String message) {
        assertThatThrownBy(
                        () ->
                                Json.mapper()
                                        .readValue(
                                                "{\"repo\":\"o/r\",\"completion\":" + section + "}",
                                                RepoPolicy.class))
                .hasMessageContaining(message);
    }

    @Test
    void featureLabelsCompareInAnyCase() {
        Completion completion = Completion.defaults();

        assertThat(completion.isFeature(List.of("bug", "Enhancement"))).isTrue();
        assertThat(completion.isFeature(List.of("bug"))).isFalse();
    }
}
