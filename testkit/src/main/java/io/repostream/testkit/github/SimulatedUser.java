package io.repostream.testkit.github;

/**
 * A GitHub account the simulator knows: token owners, issue authors, assignees, and organisations
 * that own repositories.
 */
record SimulatedUser(String login, long id, boolean organization) {

    SimulatedUser(String login, long id) {
        this(login, id, false);
    }

    /** Apps act as {@code name[bot]} accounts, which GitHub types as {@code Bot}. */
    String type() {
        if (organization) {
            return "Organization";
        }
        return login.endsWith("[bot]") ? "Bot" : "User";
    }
}
