package io.repostream.executor.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.TargetState;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How each action type is undone, given the state before the action, right after it, and now. Only
 * the part the action changed counts; a human's change to it is a conflict.
 */
class UndoPlanTest {
    private static final String REPO = "acme/widgets";

    private static TargetState issue(String state, List<String> labels, List<String> assignees) {
        return TargetState.issue(state, labels, assignees);
    }

    private static TargetState pr(List<String> reviewers) {
        return new TargetState(
                "pull_request",
                "open",
                null,
                null,
                null,
                reviewers,
                "abc",
                false,
                null,
                null,
                null,
                null,
                null);
    }

    private static TargetState run(String status, String conclusion, int attempt) {
        return new TargetState(
                "workflow_run",
                null,
                null,
                null,
                null,
                null,
                "abc",
                null,
                status,
                conclusion,
                attempt,
                null,
                null);
    }

    static Stream<Arguments> plans() {
        List<String> none = List.of();
        return Stream.of(
                Arguments.of(
                        "added label still there: removed",
                        new AddLabelsHandler(),
                        issue("open", none, none),
                        issue("open", List.of("bug"), none),
                        issue("open", List.of("bug", "p1"), none),
                        UndoPlan.Restore.class,
                        "remove labels [bug]"),
                Arguments.of(
                        "added label removed by a human: conflict",
                        new AddLabelsHandler(),
                        issue("open", none, none),
                        issue("open", List.of("bug"), none),
                        issue("open", none, none),
                        UndoPlan.Conflict.class,
                        "[bug] added by the action were removed"),
                Arguments.of(
                        "label that was there before: nothing to undo",
                        new AddLabelsHandler(),
                        issue("open", List.of("bug"), none),
                        issue("open", List.of("bug"), none),
                        issue("open", List.of("bug"), none),
                        UndoPlan.NothingToUndo.class,
                        "changed no labels"),
                Arguments.of(
                        "removed label still absent: added back",
                        new RemoveLabelHandler(),
                        issue("open", List.of("stale"), none),
                        issue("open", none, none),
                        issue("open", none, none),
                        UndoPlan.Restore.class,
                        "add labels [stale] back"),
                Arguments.of(
                        "removed label re-added by a human: conflict",
                        new RemoveLabelHandler(),
                        issue("open", List.of("stale"), none),
                        issue("open", none, none),
                        issue("open", List.of("stale"), none),
                        UndoPlan.Conflict.class,
                        "were added back"),
                Arguments.of(
                        "closed issue still closed: reopened",
                        new CloseIssueHandler(),
                        issue("open", none, none),
                        issue("closed", none, none),
                        issue("closed", none, none),
                        UndoPlan.Restore.class,
                        "reopen acme/widgets#7"),
                Arguments.of(
                        "closed issue reopened by a human: conflict",
                        new CloseIssueHandler(),
                        issue("open", none, none),
                        issue("closed", none, none),
                        issue("open", none, none),
                        UndoPlan.Conflict.class,
                        "was reopened since"),
                Arguments.of(
                        "reopened issue still open: closed again",
                        new ReopenIssueHandler(),
                        issue("closed", none, none),
                        issue("open", none, none),
                        issue("open", none, none),
                        UndoPlan.Restore.class,
                        "close acme/widgets#7"),
                Arguments.of(
                        "added assignee still assigned: unassigned",
                        new AddAssigneesHandler(),
                        issue("open", none, none),
                        issue("open", none, List.of("octocat")),
                        issue("open", none, List.of("octocat")),
                        UndoPlan.Restore.class,
                        "remove assignees [octocat]"),
                Arguments.of(
                        "removed assignee re-assigned: conflict",
                        new RemoveAssigneesHandler(),
                        issue("open", none, List.of("octocat")),
                        issue("open", none, none),
                        issue("open", none, List.of("octocat")),
                        UndoPlan.Conflict.class,
                        "were added back"),
                Arguments.of(
                        "requested reviewer still requested: request removed",
                        new RequestReviewersHandler(),
                        pr(none),
                        pr(List.of("hubot")),
                        pr(List.of("hubot")),
                        UndoPlan.Restore.class,
                        "remove requested reviewers [hubot]"),
                Arguments.of(
                        "re-run still running: cancelled",
                        RerunHandler.failedJobs(),
                        run("completed", "failure", 1),
                        run("queued", null, 2),
                        run("in_progress", null, 2),
                        UndoPlan.Restore.class,
                        "cancel attempt 2"),
                Arguments.of(
                        "re-run already finished: cannot be undone",
                        RerunHandler.workflow(),
                        run("completed", "failure", 1),
                        run("queued", null, 2),
                        run("completed", "success", 2),
                        UndoPlan.Conflict.class,
                        "already finished (success)"),
                Arguments.of(
                        "cancelled run: irreversible",
                        new CancelWorkflowRunHandler(),
                        run("in_progress", null, 1),
                        run("completed", "cancelled", 1),
                        run("completed", "cancelled", 1),
                        UndoPlan.Irreversible.class,
                        "cannot be resumed"),
                Arguments.of(
                        "merge: irreversible",
                        new MergePullRequestHandler(),
                        pr(none),
                        pr(none),
                        pr(none),
                        UndoPlan.Irreversible.class,
                        "merge cannot be undone"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void plansTheUndoOfOnlyWhatTheActionChanged(
            String name,
            ActionHandler handler,
            TargetState before,
            TargetState after,
            TargetState current,
            Class<? extends UndoPlan> expected,
            String description) {
        UndoPlan plan = handler.planUndo(REPO, 7, before, after, current);
        assertThat(plan).isInstanceOf(expected);
        assertThat(plan.description()).contains(description);
    }

    @org.junit.jupiter.api.Test
    void deletesTheCommentTheActionCreated() {
        TargetState before = TargetState.issue("open", List.of(), List.of());
        UndoPlan plan =
                new CreateCommentHandler()
                        .planUndo(REPO, 7, before, before.withCommentId(4242L), before);
        assertThat(plan).isInstanceOf(UndoPlan.Restore.class);
        assertThat(plan.description()).isEqualTo("delete comment 4242 on acme/widgets#7");
    }

    @org.junit.jupiter.api.Test
    void everyActionTypeHasExactlyOneHandler() {
        Handlers handlers = Handlers.standard();
        for (io.repostream.schemas.ActionType type : io.repostream.schemas.ActionType.values()) {
            if (type.read() || type.notification()) {
                // reads have read handlers (ReadProcessor), and nothing to undo; notifications
                // are delivered by NotificationProcessor, not through GitHub
                continue;
            }
            assertThat(handlers.of(type).type()).isEqualTo(type);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Handlers(List.of(new AddLabelsHandler(), new AddLabelsHandler())))
                .hasMessageContaining("two handlers registered for add_labels");
    }
}
