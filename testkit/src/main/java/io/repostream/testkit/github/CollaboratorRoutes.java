package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /repos/{owner}/{repo}/collaborators/{username}/permission}, as GitHub's REST
 * description has it: {@code permission} is the legacy base role ({@code admin}, {@code write},
 * {@code read}, {@code none}; maintain reads as write, triage as read), {@code role_name} the role
 * itself, {@code user} the collaborator with its {@code permissions} booleans. An unknown
 * repository or account is a 404. Conditional requests (ETag, 304) come from the request pipeline.
 */
final class CollaboratorRoutes {
    /** GitHub's base repository roles, weakest first. */
    static final List<String> ROLES = List.of("read", "triage", "write", "maintain", "admin");

    private final SimulatedGitHub state;
    private final GitHubJson json;

    CollaboratorRoutes(SimulatedGitHub state, GitHubJson json) {
        this.state = state;
        this.json = json;
    }

    ApiResponse permission(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String username = request.param("username");
        if (!state.knowsUser(username)) {
            throw ApiError.notFound();
        }
        String role = roleOf(repo, username);
        ObjectNode user = json.user(username);
        ObjectNode permissions = user.putObject("permissions");
        int level = ROLES.indexOf(role);
        permissions.put("pull", level >= ROLES.indexOf("read"));
        permissions.put("triage", level >= ROLES.indexOf("triage"));
        permissions.put("push", level >= ROLES.indexOf("write"));
        permissions.put("maintain", level >= ROLES.indexOf("maintain"));
        permissions.put("admin", level >= ROLES.indexOf("admin"));
        user.put("role_name", role);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("permission", legacy(role));
        body.put("role_name", role);
        body.set("user", user);
        return ApiResponse.ok(body);
    }

    private static String roleOf(SimulatedRepo repo, String username) {
        if (repo.owner.equalsIgnoreCase(username)) {
            return "admin";
        }
        return repo.collaborators.getOrDefault(username.toLowerCase(Locale.ROOT), "none");
    }

    private static String legacy(String role) {
        return switch (role) {
            case "admin" -> "admin";
            case "maintain", "write" -> "write";
            case "triage", "read" -> "read";
            default -> "none";
        };
    }
}
