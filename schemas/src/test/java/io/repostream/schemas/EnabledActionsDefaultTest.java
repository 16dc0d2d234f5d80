package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A policy that leaves {@code enabled_actions} out enables a list named one by one: a type added in
 * an upgrade must not switch itself on in every repository. Adding a type to {@link ActionType}
 * fails this test until its author decides, here, which side it is on (and a new type belongs on
 * the opt-in side).
 */
class EnabledActionsDefaultTest {
    private static final Set<ActionType> ON_BY_DEFAULT =
            EnumSet.of(
                    ActionType.ADD_LABELS,
                    ActionType.REMOVE_LABEL,
                    ActionType.CREATE_COMMENT,
                    ActionType.CLOSE_ISSUE,
                    ActionType.REOPEN_ISSUE,
                    ActionType.ADD_ASSIGNEES,
                    ActionType.REMOVE_ASSIGNEES,
                    ActionType.REQUEST_REVIEWERS,
                    ActionType.RERUN_FAILED_JOBS,
                    ActionType.RERUN_WORKFLOW);
    private static final Set<ActionType> ONLY_WHEN_NAMED =
            EnumSet.of(
                    ActionType.CANCEL_WORKFLOW_RUN,
                    ActionType.MERGE_PULL_REQUEST,
                    // merge automation (issue 16): only where a policy turns the queue on
                    ActionType.CREATE_CHECK_RUN,
                    ActionType.CREATE_COMMIT_STATUS,
                    ActionType.CREATE_REF,
                    ActionType.UPDATE_REF,
                    ActionType.DELETE_REF,
                    ActionType.MERGE_BRANCH,
                    // SLA escalation (issue 17): only where a policy names them
                    ActionType.NOTIFY_SLACK,
                    ActionType.PAGERDUTY_EVENT);

    /** Reads change nothing on GitHub: {@code enabled_actions} names mutations only. */
    private static final Set<ActionType> READS =
            EnumSet.of(
                    ActionType.READ_COLLABORATOR_PERMISSION,
                    ActionType.READ_FILE,
                    ActionType.READ_JOB_LOG,
                    ActionType.READ_COMPARE);

    @Test
    void everyActionTypeIsEitherOnByDefaultOrOnlyWhenAPolicyNamesIt() {
        for (ActionType type : ActionType.values()) {
            if (READS.contains(type)) {
                assertThat(type.read()).as("%s is a read", type).isTrue();
                assertThat(RepoPolicy.defaultEnabledActions()).doesNotContain(type);
                continue;
            }
            assertThat(type.read()).as("%s is a mutation", type).isFalse();
            assertThat(ON_BY_DEFAULT.contains(type) ^ ONLY_WHEN_NAMED.contains(type))
                    .as("%s must be on exactly one side", type)
                    .isTrue();
        }
        assertThat(RepoPolicy.defaultEnabledActions()).isEqualTo(ON_BY_DEFAULT);
        assertThat(RepoPolicy.defaults("octo/widgets").enabledActions()).isEqualTo(ON_BY_DEFAULT);
    }
}
