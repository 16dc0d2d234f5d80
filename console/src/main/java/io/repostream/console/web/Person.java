package io.repostream.console.web;

/**
 * Who is using the console: a GitHub login and the role their permission gives them.
 *
 * @param login the GitHub login, or {@link #LOCAL_LOGIN} in the local/demo mode without sign-in
 * @param role what they may do
 */
public record Person(String login, Role role) {
    /** The name every change is audited under when the console runs without sign-in. */
    public static final String LOCAL_LOGIN = "local-demo (no sign-in)";

    public boolean may(Role needed) {
        return role.allows(needed);
    }
}
