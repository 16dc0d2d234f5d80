package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.json.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The slash-command framework and the lifecycle rule came after sections: each one's section turns
 * it on in either form of a policy, and its absence leaves it off in both (a comment starting with
 * {@code /} gets no answer from us, no item is marked stale, in a repository that did not ask).
 */
class CommandsSectionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no policy | | off",
                "flat policy, as before sections | {\"repo\":\"o/r\",\"triage_label\":\"t\"} | off",
                "sectioned, no SECTION | {\"repo\":\"o/r\",\"policy_version\":2,\"triage\":{}} | off",
                "flat policy with SECTION | {\"repo\":\"o/r\",\"SECTION\":{}} | on",
                "sectioned with SECTION | {\"repo\":\"o/r\",\"policy_version\":2,\"SECTION\":{}} | on",
                "SECTION in shadow | {\"repo\":\"o/r\",\"SECTION\":{\"mode\":\"shadow\"}} | shadow",
                "SECTION off | {\"repo\":\"o/r\",\"SECTION\":{\"mode\":\"off\"}} | off",
            })
    void theSectionOfAFeatureAddedAfterSectionsDecides(String name, String json, String mode)
            throws Exception {
        for (String section :
                List.of("commands", "lifecycle", "routing", "completion", "maintenance")) {
            RepoPolicy policy =
                    json == null
                            ? RepoPolicy.defaults("o/r")
                            : Json.mapper()
                                    .readValue(json.replace("SECTION", section), RepoPolicy.class);
            assertThat(policy.mode(section)).as(section).isEqualTo(Mode.of(mode));
            // and it survives the topic: written, then read again
            RepoPolicy again =
                    Json.mapper()
                            .readValue(Json.mapper().writeValueAsString(policy), RepoPolicy.class);
            assertThat(again.mode(section)).as(section).isEqualTo(Mode.of(mode));
            assertThat(again).isEqualTo(policy);
        }
    }
}
