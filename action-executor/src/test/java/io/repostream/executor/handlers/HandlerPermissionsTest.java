package io.repostream.executor.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.reads.ReadProcessor;
import io.repostream.schemas.ActionType;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every handler declares the GitHub App permission its requests need, as GitHub's "Permissions
 * required for GitHub Apps" lists the endpoints it calls (github/docs, {@code
 * src/github-apps/data/fpt-2022-11-28/server-to-server-permissions.json}): issue endpoints (labels,
 * assignees, comments, updating an issue) under "Issues", review requests under "Pull requests",
 * merging under "Contents", re-running and cancelling runs under "Actions".
 */
class HandlerPermissionsTest {
    private final Handlers handlers = Handlers.standard();

    @Test
    void everyRegisteredHandlerDeclaresAPermission() {
        assertThat(
                        Arrays.stream(ActionType.values())
                                .filter(t -> !t.read() && !t.notification())
                                .map(handlers::of))
                .allSatisfy(handler -> assertThat(handler.permission()).isNotNull());
    }

    static Stream<Arguments> permissions() {
        return Stream.of(
                Arguments.of(ActionType.ADD_LABELS, "issues: write"),
                Arguments.of(ActionType.REMOVE_LABEL, "issues: write"),
                Arguments.of(ActionType.CREATE_COMMENT, "issues: write"),
                Arguments.of(ActionType.CLOSE_ISSUE, "issues: write"),
                Arguments.of(ActionType.REOPEN_ISSUE, "issues: write"),
                Arguments.of(ActionType.ADD_ASSIGNEES, "issues: write"),
                Arguments.of(ActionType.REMOVE_ASSIGNEES, "issues: write"),
                Arguments.of(ActionType.REQUEST_REVIEWERS, "pull_requests: write"),
                Arguments.of(ActionType.MERGE_PULL_REQUEST, "contents: write"),
                Arguments.of(ActionType.RERUN_FAILED_JOBS, "actions: write"),
                Arguments.of(ActionType.RERUN_WORKFLOW, "actions: write"),
                Arguments.of(ActionType.CANCEL_WORKFLOW_RUN, "actions: write"),
                // "Checks" lists POST check-runs; "Commit statuses" lists POST statuses/{sha};
                // "Contents" lists the git refs endpoints and POST merges
                Arguments.of(ActionType.CREATE_CHECK_RUN, "checks: write"),
                Arguments.of(ActionType.CREATE_COMMIT_STATUS, "statuses: write"),
                Arguments.of(ActionType.CREATE_REF, "contents: write"),
                Arguments.of(ActionType.UPDATE_REF, "contents: write"),
                Arguments.of(ActionType.DELETE_REF, "contents: write"),
                Arguments.of(ActionType.MERGE_BRANCH, "contents: write"),
                // as GitHub's docs list the collaborators endpoints ("List repository
                // collaborators": metadata: read); this one not yet checked in the data file
                Arguments.of(ActionType.READ_COLLABORATOR_PERMISSION, "metadata: read"),
                // "Contents" lists GET /repos/{owner}/{repo}/contents/{path} (read)
                Arguments.of(ActionType.READ_FILE, "contents: read"),
                // GitHub's REST reference for workflow jobs: "GitHub Apps must have the
                // actions:read permission to use this endpoint"
                Arguments.of(ActionType.READ_JOB_LOG, "actions: read"),
                // the compare endpoint is one of the commits endpoints, read under "Contents"
                Arguments.of(ActionType.READ_COMPARE, "contents: read"));
    }

    @ParameterizedTest(name = "{0} needs {1}")
    @MethodSource("permissions")
    void declaresThePermissionGitHubListsForItsEndpoints(ActionType type, String permission) {
        AppPermission declared =
                type.read()
                        ? ReadProcessor.standardHandlers().stream()
                                .filter(h -> h.type() == type)
                                .findFirst()
                                .orElseThrow()
                                .permission()
                        : handlers.of(type).permission();
        assertThat(declared).hasToString(permission);
    }

    @Test
    void theTableCoversEveryActionTypeThatGoesToGitHub() {
        assertThat(permissions().map(a -> a.get()[0]))
                .containsExactlyInAnyOrder(
                        Arrays.stream(ActionType.values())
                                .filter(t -> !t.notification())
                                .toArray());
    }

    static Stream<Arguments> grants() {
        return Stream.of(
                Arguments.of(AppPermission.ISSUES_WRITE, "write", true),
                Arguments.of(AppPermission.ISSUES_WRITE, "admin", true),
                Arguments.of(AppPermission.ISSUES_WRITE, "read", false),
                Arguments.of(AppPermission.ISSUES_WRITE, null, false),
                Arguments.of(new AppPermission("issues", "read"), "read", true),
                Arguments.of(new AppPermission("issues", "read"), "write", true));
    }

    @ParameterizedTest(name = "{0} granted by issues: {1} is {2}")
    @MethodSource("grants")
    void aPermissionIsGrantedByItsLevelOrAHigherOne(
            AppPermission needed, String granted, boolean expected) {
        java.util.Map<String, String> map = new java.util.HashMap<>();
        if (granted != null) {
            map.put("issues", granted);
        }
        assertThat(needed.grantedBy(map)).isEqualTo(expected);
    }
}
