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
 * A section given as {@code lifecycle: {}} has Prow's defaults (whether it is on: {@link
 * CommandsSectionTest}); bots are read one way; the labels of the two steps differ.
 */
class LifecycleSectionTest {
    @Test
    void anEmptySectionHasProwsPeriodsAndLabels() throws Exception {
        Lifecycle lifecycle =
                Json.mapper()
                        .readValue("{\"repo\":\"o/r\",\"lifecycle\":{}}", RepoPolicy.class)
                        .lifecycle();

        assertThat(lifecycle.staleAfter()).isEqualTo(Duration.ofDays(90));
        assertThat(lifecycle.rottenAfter()).isEqualTo(Duration.ofDays(30));
        assertThat(lifecycle.closeAfter()).isEqualTo(Duration.ofDays(30));
        assertThat(lifecycle.staleLabel()).isEqualTo("lifecycle/stale");
        assertThat(lifecycle.rottenLabel()).isEqualTo("lifecycle/rotten");
        assertThat(lifecycle.exemptLabels()).containsExactly("lifecycle/frozen");
        assertThat(lifecycle.awaitingResponse().label()).isEqualTo("awaiting-author");
        assertThat(lifecycle.awaitingResponse().closeAfter()).isEqualTo(Duration.ofDays(14));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "login ending in [bot] | renovate[bot] | User | true",
                "account of type Bot | some-app | Bot | true",
                "listed in bots, any case | Release-Helper | User | true",
                "a person | octocat | User | false",
                "a login that only looks like a bot | some-bot | User | false",
            })
    void botsAreTheAppsAndTheListedLogins(String name, String login, String type, boolean bot) {
        Lifecycle lifecycle = Lifecycle.builder().bots(List.of("release-helper")).build();

        assertThat(lifecycle.isBot(login, type)).isEqualTo(bot);
    }

    @Test
    void refusesTheSameLabelForStaleAndRotten() {
        assertThatThrownBy(() -> Lifecycle.builder().staleLabel("old").rottenLabel("OLD").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must differ");
    }
}
