package io.repostream.flink.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.RepoPolicy;

/**
 * Who acted, read one way by every rule (the payload side of {@link
 * io.repostream.schemas.Accounts}, which holds the rules): GitHub logins are case-insensitive, so
 * {@code ignore_users} matches them in any case; a bot is an account of type {@code Bot} or one
 * whose login ends in {@code [bot]} (GitHub Apps), whether or not the payload names its type (the
 * Events API's actors do not).
 */
public final class Accounts {
    private Accounts() {}

    /** Whether the policy's {@code ignore_users} names {@code login}, in any case. */
    public static boolean ignored(RepoPolicy policy, String login) {
        return policy.ignores(login);
    }

    /** Whether {@code user} (a payload's user object) is a bot account. */
    public static boolean isBot(JsonNode user) {
        return io.repostream.schemas.Accounts.isBot(
                user.path("login").asText(""), user.path("type").asText(""));
    }
}
