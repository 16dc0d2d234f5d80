package io.repostream.console.web;

/**
 * What every page's frame needs: where the scripts are, who is signed in (null on the sign-in
 * page), the session's CSRF token that every state-changing request must carry, and whether the
 * console runs without sign-in (then every page says so).
 */
public record PageChrome(Assets assets, Person person, String csrfToken, boolean localMode) {

    /** The htmx {@code hx-headers} value that sends the CSRF token with every htmx request. */
    public String csrfHeaders() {
        return "{\"" + Csrf.HEADER + "\": \"" + csrfToken + "\"}";
    }

    public boolean may(Role role) {
        return person != null && person.may(role);
    }
}
