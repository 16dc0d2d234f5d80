package io.repostream.flink.rules.routing;

import static io.repostream.flink.Events.T0;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.REPO;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.comment;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.issue;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.merged;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.flink.rules.sla.SlaDeadlineFunction;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Sla;
import io.repostream.schemas.Routing;
import io.repostream.schemas.Routing.Candidate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reassignment at an SLA warning (issue 17, {@code routing.reassign_on_sla_warning}): the SLA
 * rule's own warnings (its side output, as the job unions them into the routing rule's input) reach
 * the routing rule; an item whose chosen holder has not answered on it goes, once, to the next best
 * candidate, with a comment. Both rules run in their harnesses as the job runs them.
 */
class RoutingReassignmentTest {
    private static final List<String> BUG = List.of("bug");

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            routing;
    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord> sla;

    @AfterEach
    void closeHarnesses() throws Exception {
        routing.close();
        sla.close();
    }

    private static Instant minute(long m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    static Stream<Arguments> warnings() {
        return Stream.of(
                Arguments.of(
                        "the assignee has not answered: the next best takes it, with a comment",
                        true,
                        List.of(),
                        List.of(
                                "add_assignees(alice)",
                                "remove_assignees(bob)",
                                "create_comment(@bob)")),
                Arguments.of(
                        "the assignee answered before the warning: nothing changes",
                        true,
                        List.of(comment(7, minute(5), "bob")),
                        List.of()),
                Arguments.of(
                        "somebody else answered: the assignee still has not, so it moves",
                        true,
                        List.of(comment(7, minute(5), "carol")),
                        List.of(
                                "add_assignees(alice)",
                                "remove_assignees(bob)",
                                "create_comment(@bob)")),
                Arguments.of(
                        "the policy does not ask for it: nothing changes",
                        false,
                        List.of(),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("warnings")
    void reassignsAtTheSlaWarningWhenTheAssigneeHasNotAnswered(
            String name, boolean reassign, List<GitHubEvent> meanwhile, List<String> expected)
            throws Exception {
        open(reassign);
        both(merged(1, minute(1), "bob", "Fix the parser", BUG));
        both(issue(REPO, "opened", 7, minute(2), "carol", BUG));
        assertThat(written(routing.extractOutputValues())).containsExactly("add_assignees(bob)");
        routing.getOutput().clear();
        for (GitHubEvent e : meanwhile) {
            both(e);
        }

        // P1's first response is due in 30 min: the warning at 80 %, minute 26
        warnings(minute(26));

        assertThat(written(routing.extractOutputValues())).containsExactlyElementsOf(expected);
        if (!expected.isEmpty()) {
            ActionRecord choice = routing.extractOutputValues().get(0);
            assertThat(choice.reason())
                    .startsWith("reassignment of " + REPO + "#7 (no answer from @bob by the SLA")
                    .contains("@alice");
            assertThat(choice.evidence()).contains("skipped @bob: holds it and has not answered");
            assertThat(choice.createdAt()).isEqualTo(minute(26));
        }
    }

    @Test
    void reassignsOnlyOnceAnItemLife() throws Exception {
        open(true);
        both(merged(1, minute(1), "bob", "Fix the parser", BUG));
        both(issue(REPO, "opened", 7, minute(2), "carol", BUG));
        routing.getOutput().clear();

        // the response warning, then the resolution warning (80 % of a day): alice is silent too
        warnings(T0.plus(Duration.ofDays(2)));

        assertThat(written(routing.extractOutputValues()))
                .containsExactly(
                        "add_assignees(alice)", "remove_assignees(bob)", "create_comment(@bob)");
    }

    private void open(boolean reassign) throws Exception {
        routing = RuleHarness.of(Rules.ROUTING, new RoutingFunction());
        sla = RuleHarness.of(Rules.SLA, new SlaDeadlineFunction());
        RepoPolicy policy =
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(300)
                        .routing(
                                Routing.builder()
                                        .candidates(
                                                List.of(Candidate.of("alice"), Candidate.of("bob")))
                                        .codeowners(false)
                                        .reassignOnSlaWarning(reassign)
                                        .build())
                        .sla(Sla.builder().defaultPriority("P1").build())
                        .updatedAt(T0)
                        .build();
        routing.processBroadcastElement(policy, 0);
        sla.processBroadcastElement(policy, 0);
    }

    /** The event reaches both rules, as the job's source gives it to both. */
    private void both(GitHubEvent e) throws Exception {
        sla.processElement(e, e.occurredAt().toEpochMilli());
        routing.processElement(e, e.occurredAt().toEpochMilli());
    }

    /** The watermark reaches {@code at}; the SLA rule's warnings so far go to the routing rule. */
    private void warnings(Instant at) throws Exception {
        sla.watermark(at.toEpochMilli());
        RuleHarness.forward(sla, SlaDeadlineFunction.WARNINGS, routing);
    }

    /** {@code type(login)}; a comment as {@code create_comment(<whom it names first>)}. */
    private static List<String> written(List<ActionRecord> actions) {
        List<String> out = new ArrayList<>();
        for (ActionRecord a : actions) {
            String who =
                    switch (a.type()) {
                        case ADD_ASSIGNEES, REMOVE_ASSIGNEES ->
                                a.params().path("assignees").get(0).asText();
                        case REQUEST_REVIEWERS -> a.params().path("reviewers").get(0).asText();
                        case CREATE_COMMENT ->
                                a.params()
                                        .path("body")
                                        .asText()
                                        .replaceAll("(?s)^.*?(@[a-z]+).*$", "$1");
                        default -> a.type().wireName();
                    };
            out.add(a.type().wireName() + "(" + who + ")");
        }
        return out;
    }
}
