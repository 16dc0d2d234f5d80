package io.repostream.flink.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.RepoPolicy;
import java.util.Locale;

/**
 * Who acted, read one way by every rule: GitHub logins are case-insensitive, so {@code
 * ignore_users} matches them in any case; a bot is an account of type {@code Bot} or one whose
 * login ends in {@code [bot]} (GitHub Apps), whether or not the payload names its type (the Events
 * API's actors do not).
 */
public final class Accounts {
    private Accounts() {}

    /** Whether the policy's {@code ignore_users} names {@code login}, in any case. */
    public static boolean ignored(RepoPolicy policy, String login) {
        if (login == null || login.isEmpty()) {
            return false;
        }
        for (String ignored : policy.ignoreUsers()) {
            if (ignored.equalsIgnoreCase(login)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code user} (a payload's user object) is a bot account. */
    public static boolean isBot(JsonNode user) {
        return "Bot".equals(user.path("type").asText())
                || user.path("login").asText("").toLowerCase(Locale.ROOT).endsWith("[bot]");
    }
}
