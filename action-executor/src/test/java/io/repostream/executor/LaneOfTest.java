package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.support.Actions;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TypedTarget;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which actions share a lane (keep their order) and which do not, by their typed target. */
class LaneOfTest {
    private static final String REPO = "acme/lanes";

    private static ActionRecord untyped(ActionType type, long target) {
        return Actions.of(type, REPO, target, Actions.params());
    }

    private static ActionRecord typed(ActionType type, TypedTarget target) {
        return Actions.builder(type, REPO, 1, Actions.params()).on(target).build();
    }

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of(
                        "a label and a merge of #7 (one item: issues and PRs share numbers)",
                        untyped(ActionType.ADD_LABELS, 7),
                        untyped(ActionType.MERGE_PULL_REQUEST, 7),
                        true),
                Arguments.of(
                        "a label on issue 7 typed and one untyped",
                        typed(ActionType.ADD_LABELS, TypedTarget.issue(7)),
                        untyped(ActionType.ADD_LABELS, 7),
                        true),
                Arguments.of(
                        "a label on pull request 7 and a comment on issue 7",
                        typed(ActionType.ADD_LABELS, TypedTarget.pullRequest(7)),
                        typed(ActionType.CREATE_COMMENT, TypedTarget.issue(7)),
                        true),
                Arguments.of(
                        "a rerun of run 7 typed and a cancel of run 7 untyped",
                        typed(ActionType.RERUN_FAILED_JOBS, TypedTarget.workflowRun(7)),
                        untyped(ActionType.CANCEL_WORKFLOW_RUN, 7),
                        true),
                Arguments.of(
                        "a rerun of run 7 and a label on issue 7 (untyped)",
                        untyped(ActionType.RERUN_FAILED_JOBS, 7),
                        untyped(ActionType.ADD_LABELS, 7),
                        false),
                Arguments.of(
                        "a rerun of run 7 and a label on issue 7 (typed)",
                        typed(ActionType.RERUN_WORKFLOW, TypedTarget.workflowRun(7)),
                        typed(ActionType.ADD_LABELS, TypedTarget.issue(7)),
                        false),
                Arguments.of(
                        "a ref and a commit",
                        typed(ActionType.ADD_LABELS, TypedTarget.ref("refs/heads/main")),
                        typed(ActionType.ADD_LABELS, TypedTarget.commit("a".repeat(40))),
                        false),
                Arguments.of(
                        "workflow 7 and run 7",
                        typed(ActionType.RERUN_WORKFLOW, TypedTarget.workflow("7")),
                        typed(ActionType.RERUN_WORKFLOW, TypedTarget.workflowRun(7)),
                        false),
                Arguments.of(
                        "issue 7 of two repos",
                        untyped(ActionType.ADD_LABELS, 7),
                        Actions.addLabels("acme/other", 7, "x"),
                        false));
    }

    @ParameterizedTest(name = "{0}: same lane {3}")
    @MethodSource("pairs")
    void actionsShareALaneExactlyWhenTheyActOnOneTarget(
            String what, ActionRecord a, ActionRecord b, boolean shared) {
        assertThat(ActionExecutor.laneOf(a).equals(ActionExecutor.laneOf(b)))
                .as(ActionExecutor.laneOf(a) + " vs " + ActionExecutor.laneOf(b))
                .isEqualTo(shared);
    }
}
