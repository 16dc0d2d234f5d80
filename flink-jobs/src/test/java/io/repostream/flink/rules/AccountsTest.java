package io.repostream.flink.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountsTest {
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
        ObjectNode user = JsonNodeFactory.instance.objectNode().put("login", login);
        if (!type.isEmpty()) {
            user.put("type", type);
        }

        assertThat(Accounts.isBot(user)).isEqualTo(bot);
    }
}
