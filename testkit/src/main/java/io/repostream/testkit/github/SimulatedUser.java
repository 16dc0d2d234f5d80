package io.repostream.testkit.github;

/** A GitHub account the simulator knows: token owners, issue authors, assignees. */
record SimulatedUser(String login, long id) {

    /** Apps act as {@code name[bot]} accounts, which GitHub types as {@code Bot}. */
    String type() {
        return login.endsWith("[bot]") ? "Bot" : "User";
    }
}
