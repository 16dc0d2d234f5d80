package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Shared settings are read one way by every rule: {@code ignore_users} and bot accounts. */
class AccountsTest {
    private static final RepoPolicy POLICY =
            RepoPolicy.builder("octo-org/a")
                    .ignoreUsers(List.of("Dependabot[bot]", "release-robot"))
                    .build();

    @ParameterizedTest(name = "{0}: ignored {1}")
    @CsvSource({
        "dependabot[bot], true",
        "DEPENDABOT[BOT], true",
        "Release-Robot, true",
        "dependabot, false", // the app's account is dependabot[bot]; a user may be dependabot
        "octocat, false",
        "'', false"
    })
    void ignoreUsersMatchesLoginsInAnyCase(String login, boolean ignored) {
        assertThat(POLICY.ignores(login)).isEqualTo(ignored);
        assertThat(RepoPolicy.defaults("octo-org/a").ignores(login)).isFalse();
    }

    @ParameterizedTest(name = "{0} ({1}): bot {2}")
    @CsvSource({
        "dependabot[bot], Bot, true",
        "dependabot[bot], '', true", // a polled actor has no type
        "Renovate[BOT], '', true",
        "github-actions[bot], User, true",
        "octocat, User, false",
        "octocat, '', false",
        "some-bot, User, false", // only GitHub's [bot] suffix marks an app account
        "'', Bot, true"
    })
    void aBotIsOfTypeBotOrHasAnAppLogin(String login, String type, boolean bot) {
        assertThat(Accounts.isBot(login, type)).isEqualTo(bot);
    }
}
