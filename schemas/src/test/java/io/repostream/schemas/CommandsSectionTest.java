package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The slash-command framework came after sections: its section turns it on in either form of a
 * policy, and its absence leaves it off in both (a comment starting with {@code /} gets no answer
 * from us in a repository that did not ask for commands).
 */
class CommandsSectionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no policy | | off",
                "flat policy, as before sections | {\"repo\":\"o/r\",\"triage_label\":\"t\"} | off",
                "sectioned, no commands | {\"repo\":\"o/r\",\"policy_version\":2,\"triage\":{}} | off",
                "flat policy with commands | {\"repo\":\"o/r\",\"commands\":{}} | on",
                "sectioned with commands | {\"repo\":\"o/r\",\"policy_version\":2,\"commands\":{}} | on",
                "commands in shadow | {\"repo\":\"o/r\",\"commands\":{\"mode\":\"shadow\"}} | shadow",
                "commands off | {\"repo\":\"o/r\",\"commands\":{\"mode\":\"off\"}} | off",
            })
    void theCommandsSectionDecides(String name, String json, String mode) throws Exception {
        RepoPolicy policy =
                json == null
                        ? RepoPolicy.defaults("o/r")
                        : Json.mapper().readValue(json, RepoPolicy.class);
        assertThat(policy.mode("commands")).isEqualTo(Mode.of(mode));
        // and it survives the topic: written, then read again
        RepoPolicy again =
                Json.mapper().readValue(Json.mapper().writeValueAsString(policy), RepoPolicy.class);
        assertThat(again.mode("commands")).isEqualTo(Mode.of(mode));
        assertThat(again).isEqualTo(policy);
    }
}
