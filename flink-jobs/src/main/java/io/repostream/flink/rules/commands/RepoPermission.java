package io.repostream.flink.rules.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * A person's permission on a repository, weakest first, as GitHub's repository roles order them.
 * Read from GitHub's answer to {@code GET
 * /repos/{owner}/{repo}/collaborators/{username}/permission} (an enrichment event), never from the
 * comment: {@code role_name} names the role (read, triage, write, maintain, admin); a custom role
 * falls back to the legacy base role in {@code permission} (admin, write, read, none), which maps
 * maintain to write and triage to read.
 */
public enum RepoPermission {
    NONE,
    READ,
    TRIAGE,
    WRITE,
    MAINTAIN,
    ADMIN;

    /** Whether this permission includes {@code needed}. */
    public boolean includes(RepoPermission needed) {
        return compareTo(needed) >= 0;
    }

    /** The permission in GitHub's answer; {@link #NONE} when it names none this knows. */
    public static RepoPermission of(JsonNode answer) {
        RepoPermission role = named(answer.path("role_name").asText(""));
        return role != NONE ? role : named(answer.path("permission").asText(""));
    }

    private static RepoPermission named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "read" -> READ;
            case "triage" -> TRIAGE;
            case "write" -> WRITE;
            case "maintain" -> MAINTAIN;
            case "admin" -> ADMIN;
            default -> NONE;
        };
    }

    /** The lowercase name GitHub gives the role. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
