package io.repostream.console.web;

import java.util.Locale;

/**
 * What a person may do in the console, from their permission on the configured repository on
 * GitHub: viewers see, operators also undo, admins also switch the executors' kill switch.
 */
public enum Role {
    VIEWER,
    OPERATOR,
    ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
