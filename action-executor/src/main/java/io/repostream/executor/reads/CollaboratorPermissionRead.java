package io.repostream.executor.reads;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.CollaboratorReads;
import io.repostream.executor.github.CollaboratorReads.Conditional;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code read_collaborator_permission}: {@code params.username}'s permission on the repository
 * ({@code GET /repos/{owner}/{repo}/collaborators/{username}/permission}). GitHub's answer carries
 * the role ({@code role_name}: read, triage, write, maintain, admin or a custom role) and the
 * legacy base role ({@code permission}: admin, write, read, none). Permission: {@code metadata:
 * read}, as GitHub's docs list for the collaborators endpoints ("List repository collaborators");
 * not yet checked against github/docs' server-to-server-permissions.json for this one.
 */
public final class CollaboratorPermissionRead implements ReadHandler<CollaboratorReads> {
    /** GitHub logins: letters, digits and single hyphens, at most 39; bots end in [bot]. */
    private static final Pattern LOGIN =
            Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\\[bot\\])?");

    @Override
    public ActionType type() {
        return ActionType.READ_COLLABORATOR_PERMISSION;
    }

    @Override
    public AppPermission permission() {
        return AppPermission.METADATA_READ;
    }

    @Override
    public void validate(ActionRecord action) {
        String username = action.params().path("username").asText("");
        if (!LOGIN.matcher(username).matches()) {
            throw new IllegalArgumentException(
                    "params.username must be a GitHub login, got '"
                            + username
                            + "' for "
                            + action.targetRef());
        }
    }

    @Override
    public String resource(ActionRecord action) {
        return action.repo()
                + "/collaborators/"
                + username(action).toLowerCase(Locale.ROOT)
                + "/permission";
    }

    @Override
    public GitHubResult<Conditional> read(
            CollaboratorReads github, ActionRecord action, String etag) {
        return github.collaboratorPermission(action.repo(), username(action), etag);
    }

    private static String username(ActionRecord action) {
        return action.params().path("username").asText();
    }
}
