package io.repostream.flink.rules.routing;

import static io.repostream.flink.Events.T0;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.OTHER;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.REPO;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.answer;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.assigned;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.comment;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.issue;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.merged;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.pull;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.push;
import static io.repostream.flink.rules.routing.RoutingEventsFixture.review;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.Routing;
import io.repostream.schemas.Routing.Candidate;
import io.repostream.schemas.TargetKind;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
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
 * The routing rule through the operator harness as the job runs it (its policy section's gate, its
 * declared payload fields, keyed by installation). Each row of {@link #choices}: the policy's
 * section, what happened (events, in order), and the choices expected, as {@code type(login)}.
 * {@link io.repostream.flink.Events#T0} is a Monday, 09:00 UTC.
 */
class RoutingFunctionTest {
    private static final List<String> BUG = List.of("bug");
    private static final List<String> NONE = List.of();

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;
    private RoutingFunction function;

    @AfterEach
    void closeHarness() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static Instant minute(long m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    /** alice and bob as candidates, nine to five in UTC; CODEOWNERS not read. */
    private static Routing.Builder both() {
        return Routing.builder()
                .candidates(List.of(Candidate.of("alice"), Candidate.of("bob")))
                .codeowners(false);
    }

    static Stream<Arguments> choices() {
        return Stream.of(
                Arguments.of(
                        "a triaged issue goes to who merged work with its label",
                        both().build(),
                        List.of(
                                merged(1, minute(1), "bob", "Fix the parser", BUG),
                                issue(REPO, "opened", 7, minute(2), "carol", BUG)),
                        List.of("add_assignees(bob)")),
                Arguments.of(
                        "an issue waiting for triage is not assigned until it has a label",
                        both().build(),
                        List.of(
                                issue(
                                        REPO,
                                        "opened",
                                        7,
                                        minute(1),
                                        "carol",
                                        List.of("needs-triage")),
                                issue(
                                        REPO,
                                        "labeled",
                                        7,
                                        minute(2),
                                        "carol",
                                        List.of("needs-triage", "docs"))),
                        List.of("add_assignees(alice)")),
                Arguments.of(
                        "an item is routed once",
                        both().build(),
                        List.of(
                                issue(REPO, "opened", 7, minute(1), "carol", BUG),
                                issue(
                                        REPO,
                                        "labeled",
                                        7,
                                        minute(2),
                                        "carol",
                                        List.of("bug", "ui"))),
                        List.of("add_assignees(alice)")),
                Arguments.of(
                        "never the author, however expert",
                        both().build(),
                        List.of(
                                merged(1, minute(1), "alice", "Fix the parser", BUG),
                                issue(REPO, "opened", 7, minute(2), "alice", BUG)),
                        List.of("add_assignees(bob)")),
                Arguments.of(
                        "someone at max_open_assignments is skipped, however expert",
                        both().maxOpenAssignments(1).build(),
                        List.of(
                                merged(1, minute(1), "alice", "Fix the parser", BUG),
                                assigned(REPO, 3, minute(2), "alice"),
                                issue(REPO, "opened", 7, minute(3), "carol", BUG)),
                        List.of("add_assignees(bob)")),
                Arguments.of(
                        "the cap counts work in the installation's other repositories",
                        both().maxOpenAssignments(1).build(),
                        List.of(
                                assigned(OTHER, 3, minute(1), "alice"),
                                issue(REPO, "opened", 7, minute(2), "carol", BUG)),
                        List.of("add_assignees(bob)")),
                Arguments.of(
                        "the rule's own choice counts against the cap at once",
                        both().maxOpenAssignments(1).build(),
                        List.of(
                                issue(REPO, "opened", 7, minute(1), "carol", BUG),
                                issue(REPO, "opened", 8, minute(2), "carol", BUG),
                                issue(REPO, "opened", 9, minute(3), "carol", BUG)),
                        List.of("add_assignees(alice)", "add_assignees(bob)")),
                Arguments.of(
                        "a closed item no longer counts against the cap",
                        both().maxOpenAssignments(1).build(),
                        List.of(
                                assigned(REPO, 3, minute(1), "alice"),
                                assigned(REPO, 4, minute(1), "bob"),
                                issue(REPO, "closed", 3, minute(2), "carol", BUG),
                                issue(REPO, "opened", 7, minute(3), "carol", BUG)),
                        List.of("add_assignees(alice)")),
                Arguments.of(
                        "bots and ignored users are never chosen",
                        Routing.builder()
                                .candidates(
                                        List.of(
                                                Candidate.of("renovate[bot]"),
                                                Candidate.of("release-helper"),
                                                Candidate.of("bob")))
                                .codeowners(false)
                                .build(),
                        List.of(issue(REPO, "opened", 7, minute(1), "carol", BUG)),
                        List.of("add_assignees(bob)")),
                Arguments.of(
                        "less open work wins between equals",
                        both().build(),
                        List.of(
                                assigned(REPO, 3, minute(1), "alice"),
                                issue(REPO, "opened", 7, minute(2), "carol", BUG)),
                        List.of("add_assignees(bob)")),
                Arguments.of(
                        "a faster first response wins between equals",
                        both().build(),
                        List.of(
                                assigned(REPO, 3, minute(1), "alice"),
                                assigned(REPO, 4, minute(1), "bob"),
                                comment(4, minute(31), "bob"),
                                comment(3, minute(1 + 3 * 24 * 60), "alice"),
                                issue(REPO, "opened", 7, minute(3 * 24 * 60 + 10), "carol", BUG)),
                        List.of("add_assignees(bob)")),
                Arguments.of(
                        "outside their working hours a candidate yields to one inside them",
                        Routing.builder()
                                .candidates(
                                        List.of(
                                                // 09:00 UTC is 18:00 in Tokyo
                                                new Candidate(
                                                        "alice",
                                                        "Asia/Tokyo",
                                                        List.of(DayOfWeek.MONDAY),
                                                        LocalTime.of(9, 0),
                                                        LocalTime.of(17, 0)),
                                                Candidate.of("bob")))
                                .codeowners(false)
                                .build(),
                        List.of(issue(REPO, "opened", 7, minute(1), "carol", BUG)),
                        List.of("add_assignees(bob)")),
                Arguments.of(
                        "a reverted merge lowers past performance",
                        both().build(),
                        List.of(
                                merged(1, minute(1), "alice", "Add the cache", NONE),
                                merged(2, minute(1), "bob", "Add the index", NONE),
                                merged(5, minute(2), "carol", "Revert \"Add the cache\"", NONE),
                                issue(REPO, "opened", 7, minute(3), "dave", BUG)),
                        List.of("add_assignees(bob)")),
                Arguments.of(
                        "a ready pull request gets a reviewer, a draft does not",
                        both().build(),
                        List.of(
                                pull(
                                        "opened",
                                        9,
                                        minute(1),
                                        "carol",
                                        NONE,
                                        pr -> pr.put("draft", true)),
                                pull("ready_for_review", 9, minute(2), "carol", NONE, pr -> {})),
                        List.of("request_reviewers(alice)")),
                Arguments.of(
                        "a pull request that has a reviewer asked already is left alone",
                        both().build(),
                        List.of(
                                pull(
                                        "opened",
                                        9,
                                        minute(1),
                                        "carol",
                                        NONE,
                                        pr ->
                                                pr.putArray("requested_reviewers")
                                                        .addObject()
                                                        .put("login", "dave"))),
                        NONE),
                Arguments.of(
                        "a reviewer who reviewed its label's pull requests is asked",
                        both().build(),
                        List.of(
                                review(1, minute(1), "bob"),
                                pull("opened", 9, minute(2), "carol", NONE, pr -> {})),
                        List.of("request_reviewers(bob)")),
                Arguments.of(
                        "assign_issues and request_reviewers off",
                        both().assignIssues(false).requestReviewers(false).build(),
                        List.of(
                                issue(REPO, "opened", 7, minute(1), "carol", BUG),
                                pull("opened", 9, minute(2), "carol", NONE, pr -> {})),
                        NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("choices")
    void choosesByScore(
            String name, Routing routing, List<GitHubEvent> events, List<String> expected)
            throws Exception {
        harness = harness(routing);

        run(events);

        assertThat(written(harness.extractOutputValues())).containsExactlyElementsOf(expected);
    }

    @Test
    void staysOffWhereThePolicyHasNoRoutingSection() throws Exception {
        function = new RoutingFunction();
        harness = RuleHarness.of(Rules.ROUTING, function);
        harness.processBroadcastElement(RepoPolicy.builder(REPO).updatedAt(T0).build(), 0);

        run(List.of(issue(REPO, "opened", 7, minute(1), "carol", BUG)));

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void theChoiceSaysWhyWithEveryCandidatesScore() throws Exception {
        harness = harness(both().maxOpenAssignments(2).build());

        run(
                List.of(
                        merged(1, minute(1), "bob", "Fix the parser", BUG),
                        assigned(REPO, 3, minute(2), "alice"),
                        assigned(REPO, 4, minute(2), "alice"),
                        issue(REPO, "opened", 7, minute(3), "carol", BUG)));

        ActionRecord choice = harness.extractOutputValues().get(0);
        assertThat(choice.type()).isEqualTo(ActionType.ADD_ASSIGNEES);
        assertThat(choice.target()).isEqualTo(7);
        assertThat(choice.producedBy()).isEqualTo(RoutingFunction.RULE);
        assertThat(choice.reason())
                .startsWith("assignment of " + REPO + "#7: @bob ")
                .contains("expertise 1.00×0.35", "workload 1.00×0.25", "best of 1");
        assertThat(choice.evidence())
                .anySatisfy(e -> assertThat(e).startsWith("@bob "))
                .anySatisfy(e -> assertThat(e).startsWith("skipped @alice: 2 open"));
        assertThat(function.skippedForCap()).isEqualTo(1);
    }

    @Test
    void nobodyToChooseIsCountedAndNothingProposed() throws Exception {
        harness = harness(both().maxOpenAssignments(1).build());

        run(
                List.of(
                        assigned(REPO, 3, minute(1), "alice"),
                        assigned(REPO, 4, minute(1), "bob"),
                        issue(REPO, "opened", 7, minute(2), "carol", BUG)));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(function.withoutCandidate()).isEqualTo(1);
    }

    @Test
    void proposesDryRunsInShadowMode() throws Exception {
        harness = harness(both().mode(RepoPolicy.Mode.SHADOW).build());

        run(List.of(issue(REPO, "opened", 7, minute(1), "carol", BUG)));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(a -> assertThat(a.dryRun()).isTrue());
    }

    @Test
    void readsCodeownersWhereGitHubLooksAndChoosesAmongItsUsers() throws Exception {
        harness = harness(Routing.builder().build());

        // the first event of the repository asks for .github/CODEOWNERS; nobody to choose yet
        run(List.of(issue(REPO, "opened", 7, minute(1), "carol", BUG)));
        ActionRecord first = only(ActionType.READ_FILE);
        assertThat(first.params().path("path").asText()).isEqualTo(".github/CODEOWNERS");
        assertThat(first.params().path("ref").asText()).isEqualTo("main");
        assertThat(first.typedTarget().kind()).isEqualTo(TargetKind.REF);
        assertThat(first.typedTarget().id()).isEqualTo("refs/heads/main");
        assertThat(function.withoutCandidate()).isEqualTo(1);

        // not there: the root next
        run(List.of(answer(first, minute(2), 404, null)));
        ActionRecord second = only(ActionType.READ_FILE);
        assertThat(second.params().path("path").asText()).isEqualTo("CODEOWNERS");

        // an answer to the superseded read changes nothing
        run(List.of(answer(first, minute(3), 404, null)));
        assertThat(harness.extractOutputValues()).isEmpty();

        // found: its users are candidates, its teams are not (review requests name users)
        run(
                List.of(
                        answer(
                                second,
                                minute(4),
                                200,
                                "* @octocat @octo-org/core\n*.md carol@example.com\n"),
                        issue(REPO, "opened", 8, minute(5), "carol", BUG)));
        assertThat(written(harness.extractOutputValues()))
                .containsExactly("add_assignees(octocat)");
        assertThat(harness.extractOutputValues().get(0).reason()).endsWith("(a code owner)");

        // a push to the default branch that changes a CODEOWNERS reads it again, from the top
        run(List.of(push(minute(6), "feature", "octocat", "CODEOWNERS")));
        assertThat(harness.extractOutputValues()).isEmpty();
        run(List.of(push(minute(7), "main", "octocat", "src/app.js", "docs/CODEOWNERS")));
        ActionRecord again = only(ActionType.READ_FILE);
        assertThat(again.params().path("path").asText()).isEqualTo(".github/CODEOWNERS");
        assertThat(again.actionId()).isNotEqualTo(first.actionId());
    }

    @Test
    void withoutAnyCodeownersTheCandidatesAreThePolicys() throws Exception {
        harness = harness(Routing.builder().candidates(List.of(Candidate.of("bob"))).build());

        run(List.of(issue(REPO, "opened", 7, minute(1), "carol", List.of("needs-triage"))));
        ActionRecord read = only(ActionType.READ_FILE);
        run(List.of(answer(read, minute(2), 404, null)));
        read = only(ActionType.READ_FILE);
        run(List.of(answer(read, minute(3), 404, null)));
        read = only(ActionType.READ_FILE);
        assertThat(read.params().path("path").asText()).isEqualTo("docs/CODEOWNERS");
        run(
                List.of(
                        answer(read, minute(4), 404, null),
                        issue(REPO, "labeled", 7, minute(5), "carol", BUG)));

        assertThat(written(harness.extractOutputValues())).containsExactly("add_assignees(bob)");
    }

    /** The one action output since the last call, of {@code type}. */
    private ActionRecord only(ActionType type) {
        List<ActionRecord> out = new ArrayList<>(harness.extractOutputValues());
        harness.getOutput().clear();
        assertThat(out).singleElement().satisfies(a -> assertThat(a.type()).isEqualTo(type));
        return out.get(0);
    }

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness(Routing routing) throws Exception {
        function = new RoutingFunction();
        var h = RuleHarness.of(Rules.ROUTING, function);
        for (String repo : List.of(REPO, OTHER)) {
            h.processBroadcastElement(
                    RepoPolicy.builder(repo)
                            .routing(routing)
                            .ignoreUsers(List.of("release-helper"))
                            .updatedAt(T0)
                            .build(),
                    0);
        }
        return h;
    }

    private void run(List<GitHubEvent> events) throws Exception {
        harness.getOutput().clear();
        for (GitHubEvent e : events) {
            harness.processElement(e, e.occurredAt().toEpochMilli());
        }
    }

    /** {@code type(login)}, or {@code type(path)} for a read. */
    private static List<String> written(List<ActionRecord> actions) {
        List<String> out = new ArrayList<>();
        for (ActionRecord a : actions) {
            String who =
                    switch (a.type()) {
                        case ADD_ASSIGNEES -> a.params().path("assignees").get(0).asText();
                        case REQUEST_REVIEWERS -> a.params().path("reviewers").get(0).asText();
                        default -> a.params().path("path").asText();
                    };
            out.add(a.type().wireName() + "(" + who + ")");
        }
        return out;
    }
}
