package io.repostream.executor.github;

import java.util.Map;

/**
 * A GitHub App permission at a level, as GitHub names them ({@code issues: write}): what a handler
 * needs, checked against what an installation was granted ({@code GET
 * /app/installations/{installation_id}} answers its {@code permissions}).
 *
 * <p>Which permission an endpoint needs is GitHub's "Permissions required for GitHub Apps" (the
 * data behind it: {@code src/github-apps/data/fpt-2022-11-28/server-to-server-permissions.json} in
 * github/docs), not a guess.
 *
 * @param name GitHub's permission name ({@code issues}, {@code pull_requests}, {@code actions},
 *     {@code contents}, ...)
 * @param level {@code read} or {@code write}
 */
public record AppPermission(String name, String level) {
    public static final AppPermission ISSUES_WRITE = new AppPermission("issues", "write");
    public static final AppPermission PULL_REQUESTS_WRITE =
            new AppPermission("pull_requests", "write");
    public static final AppPermission ACTIONS_WRITE = new AppPermission("actions", "write");
    public static final AppPermission ACTIONS_READ = new AppPermission("actions", "read");
    public static final AppPermission CONTENTS_WRITE = new AppPermission("contents", "write");
    public static final AppPermission CONTENTS_READ = new AppPermission("contents", "read");
    public static final AppPermission METADATA_READ = new AppPermission("metadata", "read");
    public static final AppPermission CHECKS_WRITE = new AppPermission("checks", "write");
    public static final AppPermission STATUSES_WRITE = new AppPermission("statuses", "write");

    public AppPermission {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a permission needs a name");
        }
        if (!"read".equals(level) && !"write".equals(level)) {
            throw new IllegalArgumentException("a permission level is read or write, not " + level);
        }
    }

    /**
     * Whether {@code granted} (name to level) includes this permission: write and admin cover read.
     */
    public boolean grantedBy(Map<String, String> granted) {
        String has = granted.get(name);
        if (has == null) {
            return false;
        }
        return switch (has) {
            case "admin" -> true;
            case "write" -> true;
            case "read" -> "read".equals(level);
            default -> false;
        };
    }

    @Override
    public String toString() {
        return name + ": " + level;
    }
}
