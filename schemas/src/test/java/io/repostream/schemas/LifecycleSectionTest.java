package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.json.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lifecycle rule came after sections: its section turns it on in either form of a policy, its
 * absence leaves it off in both, and a section given as {@code lifecycle: {}} has Prow's defaults.
 */
class LifecycleSectionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no policy | | off",
                "flat policy, as before sections | {\"repo\":\"o/r\",\"triage_label\":\"t\"} | off",
                "sectioned, no lifecycle | {\"repo\":\"o/r\",\"policy_version\":2,\"triage\":{}} | off",
                "flat policy with lifecycle | {\"repo\":\"o/r\",\"lifecycle\":{}} | on",
                "sectioned with lifecycle | {\"repo\":\"o/r\",\"policy_version\":2,\"lifecycle\":{}} | on",
                "lifecycle in shadow | {\"repo\":\"o/r\",\"lifecycle\":{\"mode\":\"shadow\"}} | shadow",
                "lifecycle off | {\"repo\":\"o/r\",\"lifecycle\":{\"mode\":\"off\"}} | off",
            })
    void theLifecycleSectionDecides(String name, String json, String mode) throws Exception {
        RepoPolicy policy =
                json == null
                        ? RepoPolicy.defaults("o/r")
                        : Json.mapper().readValue(json, RepoPolicy.class);
        assertThat(policy.mode("lifecycle")).isEqualTo(Mode.of(mode));
        RepoPolicy again =
                Json.mapper().readValue(Json.mapper().writeValueAsString(policy), RepoPolicy.class);
        assertThat(again).isEqualTo(policy);
    }

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
