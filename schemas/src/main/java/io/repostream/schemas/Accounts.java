package io.repostream.schemas;

import java.util.Collection;
import java.util.Locale;

/**
 * Who acted, read one way by every rule and service. GitHub logins are case-insensitive ({@code
 * Octocat} and {@code octocat} are one account), so a list of logins matches in any case. A GitHub
 * App acts as {@code <slug>[bot]}, an account of type {@code Bot}; the Events API's actors do not
 * carry a type, so the {@code [bot]} suffix alone marks one too (a login such as {@code some-bot}
 * is an ordinary account).
 */
public final class Accounts {
    private static final String BOT_SUFFIX = "[bot]";

    private Accounts() {}

    /** Whether {@code logins} names {@code login}, in any case; null or empty names nobody. */
    public static boolean named(Collection<String> logins, String login) {
        if (login == null || login.isEmpty()) {
            return false;
        }
        for (String named : logins) {
            if (named.equalsIgnoreCase(login)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the account is a bot: of type {@code Bot}, or with a login ending in {@code [bot]}
     * (in any case) whatever its type says.
     *
     * @param type the payload's {@code type} of the user, or null/empty when it has none
     */
    public static boolean isBot(String login, String type) {
        return "Bot".equals(type)
                || (login != null && login.toLowerCase(Locale.ROOT).endsWith(BOT_SUFFIX));
    }
}
