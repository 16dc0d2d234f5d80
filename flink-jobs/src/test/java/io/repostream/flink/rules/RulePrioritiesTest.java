package io.repostream.flink.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** An action's priority is the one its rule's descriptor declares for the action's type. */
class RulePrioritiesTest {

    static Stream<Arguments> actionsOfTodaysRules() {
        return Stream.of(
                // produced_by, type, priority (as before the descriptors)
                Arguments.of("sla-monitor@1", ActionType.ADD_LABELS, ActionPriority.SLA_BREACH),
                Arguments.of("sla-monitor@1", ActionType.CREATE_COMMENT, ActionPriority.SLA_BREACH),
                Arguments.of("sla-monitor@1", ActionType.ADD_ASSIGNEES, ActionPriority.SLA_BREACH),
                Arguments.of("sla-monitor@1", ActionType.NOTIFY_SLACK, ActionPriority.SLA_BREACH),
                Arguments.of(
                        "sla-monitor@1", ActionType.PAGERDUTY_EVENT, ActionPriority.SLA_BREACH),
                Arguments.of("ci-retry@1", ActionType.RERUN_FAILED_JOBS, ActionPriority.RERUN),
                Arguments.of("ci-classifier@1", ActionType.CREATE_COMMENT, ActionPriority.ROUTINE),
                Arguments.of("ci-classifier@1", ActionType.ADD_LABELS, ActionPriority.ROUTINE),
                Arguments.of("triage-label@1", ActionType.ADD_LABELS, ActionPriority.ROUTINE),
                Arguments.of(
                        "merge-eligibility@1", ActionType.CREATE_CHECK_RUN, ActionPriority.ROUTINE),
                Arguments.of(
                        "merge-eligibility@1",
                        ActionType.MERGE_PULL_REQUEST,
                        ActionPriority.ROUTINE),
                Arguments.of(
                        "ci-success-predictor@1", ActionType.ADD_LABELS, ActionPriority.ROUTINE),
                Arguments.of("routing@1", ActionType.ADD_ASSIGNEES, ActionPriority.ROUTINE),
                Arguments.of("routing@1", ActionType.REQUEST_REVIEWERS, ActionPriority.ROUTINE),
                Arguments.of("routing@1", ActionType.READ_FILE, ActionPriority.ROUTINE),
                Arguments.of("completion@1", ActionType.CLOSE_ISSUE, ActionPriority.ROUTINE),
                Arguments.of("completion@1", ActionType.ADD_LABELS, ActionPriority.ROUTINE),
                Arguments.of("completion@1", ActionType.CREATE_COMMENT, ActionPriority.ROUTINE),
                Arguments.of("maintenance@1", ActionType.DELETE_REF, ActionPriority.ROUTINE),
                Arguments.of("completion@1", ActionType.READ_COMPARE, ActionPriority.ROUTINE),
                // a version the registry does not list yet: the rule's name decides
                Arguments.of("sla-monitor@2", ActionType.CREATE_COMMENT, ActionPriority.SLA_BREACH),
                // producers the job does not know: re-runs before everything else
                Arguments.of("test@1", ActionType.RERUN_FAILED_JOBS, ActionPriority.RERUN),
                Arguments.of("test@1", ActionType.RERUN_WORKFLOW, ActionPriority.RERUN),
                Arguments.of("test@1", ActionType.ADD_LABELS, ActionPriority.ROUTINE),
                Arguments.of("no-version", ActionType.CLOSE_ISSUE, ActionPriority.ROUTINE));
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @MethodSource("actionsOfTodaysRules")
    void anActionGetsThePriorityItsRuleDeclares(
            String producedBy, ActionType type, ActionPriority expected) {
        assertThat(ActionPriority.of(action(producedBy, type))).isEqualTo(expected);
    }

    @Test
    void aRuleDeclaresThePriorityOfEachTypeItEmits() {
        Rule<?> urgentLabels =
                Rule.builder("urgent-labels", "urgent-labels@1", Rules.CI_COMPLETIONS)
                        .function(() -> null)
                        .policySection("urgent")
                        .emits(ActionPriority.SLA_BREACH, ActionType.ADD_LABELS)
                        .emits(ActionPriority.RERUN, ActionType.CREATE_COMMENT)
                        .build();
        var priorities = Rules.priorities(List.of(urgentLabels));

        assertThat(Rules.priorityOf(action("urgent-labels@1", ActionType.ADD_LABELS), priorities))
                .isEqualTo(ActionPriority.SLA_BREACH);
        assertThat(
                        Rules.priorityOf(
                                action("urgent-labels@1", ActionType.CREATE_COMMENT), priorities))
                .isEqualTo(ActionPriority.RERUN);
        // a type the rule does not declare is routine
        assertThat(Rules.priorityOf(action("urgent-labels@1", ActionType.CLOSE_ISSUE), priorities))
                .isEqualTo(ActionPriority.ROUTINE);
    }

    private static ActionRecord action(String producedBy, ActionType type) {
        return new ActionRecord(
                "a-1",
                "o/r",
                1,
                type,
                JsonNodeFactory.instance.objectNode(),
                "test",
                List.of(),
                1,
                producedBy,
                List.of("ev"),
                null,
                Instant.EPOCH,
                null,
                null,
                false);
    }
}
