package io.repostream.flink.rules.completion;

import static io.repostream.flink.rules.completion.WorkEvents.MERGE_SHA;
import static io.repostream.flink.rules.completion.WorkEvents.REPO;
import static io.repostream.flink.rules.completion.WorkEvents.checkSuite;
import static io.repostream.flink.rules.completion.WorkEvents.comment;
import static io.repostream.flink.rules.completion.WorkEvents.issue;
import static io.repostream.flink.rules.completion.WorkEvents.merged;
import static io.repostream.flink.rules.completion.WorkEvents.minute;
import static io.repostream.flink.rules.completion.WorkEvents.pullRequest;
import static io.repostream.flink.rules.completion.WorkEvents.push;
import static io.repostream.flink.rules.completion.WorkEvents.status;
import static io.repostream.flink.rules.completion.WorkEvents.workflowRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.Events;
import io.repostream.flink.KeyedStates;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.Completion;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.TypedTarget;
import java.time.Duration;
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
 * The completion rule through the operator harness as the job runs it (its policy section's gate,
 * its declared payload fields), on real example payloads. Each row: a policy section, what happens
 * (events and watermarks, minutes after {@link Events#T0}), and the actions expected as {@code
 * type(what)@minute}. The default work: a push of a fix with its test to branch {@code fix-login},
 * pull request #34 from it saying "Fixes #12", merged into main at minute 10, a green check suite
 * on the merge at 15; the rule decides at 40 ({@code decide_after} 30 minutes).
 */
class CompletionFunctionTest {
    private static final List<String> CODE_AND_TEST = List.of("src/login.js", "test/login.test.js");
    private static final List<String> CODE_ONLY = List.of("src/login.js");
    private static final Completion ON = Completion.defaults();

    private static final List<String> CLOSED =
            List.of("create_comment(close)@40", "close_issue(completed)@40");
    private static final List<String> SUGGESTED =
            List.of("add_labels(status/likely-done)@40", "create_comment(suggest)@40");
    private static final List<String> NOTHING = List.of();

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;

    @AfterEach
    void closeHarness() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** A watermark at {@code minutes} after T0. */
    private record Watermark(double minutes) {}

    private static final Watermark DECIDED = new Watermark(41);

    /** The default work with {@code body}, changing {@code paths}, then {@code more}. */
    private static List<Object> work(String body, List<String> paths, Object... more) {
        List<Object> steps = new ArrayList<>();
        steps.add(push("fix-login", "a1a1a1a", "Fix the login", paths, 1));
        steps.add(pullRequest("opened", 34, "Fix the login", body, "fix-login", "main", false, 2));
        steps.add(merged(34, body, "fix-login", "main", 10));
        steps.addAll(List.of(more));
        return steps;
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of(
                        "a closing keyword, merged, green, tests touched: closed as completed",
                        ON,
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        CLOSED),
                Arguments.of(
                        "nothing before decide_after has passed",
                        ON,
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                new Watermark(39)),
                        NOTHING),
                Arguments.of(
                        "no test touched: labelled as likely done",
                        ON,
                        work("Fixes #12", CODE_ONLY, checkSuite(MERGE_SHA, "success", 15), DECIDED),
                        SUGGESTED),
                Arguments.of(
                        "no check reported on the merge: labelled",
                        ON,
                        work("Fixes #12", CODE_AND_TEST, DECIDED),
                        SUGGESTED),
                Arguments.of(
                        "a red check suite: labelled",
                        ON,
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "failure", 15),
                                DECIDED),
                        SUGGESTED),
                Arguments.of(
                        "one green and one red: not green",
                        ON,
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                workflowRun(MERGE_SHA, "failure", 16),
                                DECIDED),
                        SUGGESTED),
                Arguments.of(
                        "green from a commit status",
                        ON,
                        work("fixes #12", CODE_AND_TEST, status(MERGE_SHA, "success", 15), DECIDED),
                        CLOSED),
                Arguments.of(
                        "green from a workflow run; a pending status says nothing",
                        ON,
                        work(
                                "fixes #12",
                                CODE_AND_TEST,
                                status(MERGE_SHA, "pending", 12),
                                workflowRun(MERGE_SHA, "success", 15),
                                DECIDED),
                        CLOSED),
                Arguments.of(
                        "the issue's URL",
                        ON,
                        work(
                                "Resolves: https://github.com/octo-org/widgets/issues/12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        CLOSED),
                Arguments.of(
                        "refs #12 only, a weak link: labelled at most",
                        ON,
                        work(
                                "Refs #12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        SUGGESTED),
                Arguments.of(
                        "a branch named for the issue only: labelled at most",
                        ON,
                        List.of(
                                push("12-fix-login", "a1a1a1a", "Fix", CODE_AND_TEST, 1),
                                merged(34, "", "12-fix-login", "main", 10),
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        SUGGESTED),
                Arguments.of(
                        "a weak link scaled below suggest_at: nothing",
                        ON.toBuilder().weakLinkFactor(0.5).build(),
                        work(
                                "Refs #12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        NOTHING),
                Arguments.of(
                        "closed without merging: nothing",
                        ON,
                        List.of(
                                pullRequest(
                                        "closed",
                                        34,
                                        "Fix",
                                        "Fixes #12",
                                        "fix-login",
                                        "main",
                                        false,
                                        10),
                                DECIDED),
                        NOTHING),
                Arguments.of(
                        "a maintainer says it is still broken after the merge: labelled",
                        ON,
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                comment(12, "This is still broken on 2.3 :(", "OWNER", 20),
                                DECIDED),
                        SUGGESTED),
                Arguments.of(
                        "a contributor's complaint does not count",
                        ON,
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                comment(12, "still broken for me", "NONE", 20),
                                DECIDED),
                        CLOSED),
                Arguments.of(
                        "a maintainer's comment before the merge does not count",
                        ON,
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                comment(12, "it is not fixed in 2.2", "MEMBER", 5),
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        CLOSED),
                Arguments.of(
                        "another pull request linked to the issue is still open: labelled",
                        ON,
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                pullRequest(
                                        "opened",
                                        35,
                                        "Docs",
                                        "Fixes #12",
                                        "docs-login",
                                        "main",
                                        false,
                                        3),
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        SUGGESTED),
                Arguments.of(
                        "closed on GitHub before the decision: nothing",
                        ON,
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                issue("closed", 12, List.of(), 20),
                                DECIDED),
                        NOTHING),
                Arguments.of(
                        "a feature without docs touched: labelled",
                        ON,
                        prepend(
                                issue("labeled", 12, List.of("Enhancement"), 0),
                                work(
                                        "Fixes #12",
                                        CODE_AND_TEST,
                                        checkSuite(MERGE_SHA, "success", 15),
                                        DECIDED)),
                        SUGGESTED),
                Arguments.of(
                        "a feature with docs touched: closed",
                        ON,
                        prepend(
                                issue("labeled", 12, List.of("Enhancement"), 0),
                                work(
                                        "Fixes #12",
                                        List.of("src/a.js", "test/a.test.js", "docs/login.md"),
                                        checkSuite(MERGE_SHA, "success", 15),
                                        DECIDED)),
                        CLOSED),
                Arguments.of(
                        "merged into a branch the policy does not count: nothing",
                        ON.toBuilder().branches(List.of("release/*")).build(),
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        NOTHING),
                Arguments.of(
                        "merged into a release branch the policy counts: closed",
                        ON.toBuilder().branches(List.of("release/*")).build(),
                        List.of(
                                push("fix-login", "a1a1a1a", "Fix", CODE_AND_TEST, 1),
                                merged(34, "Fixes #12", "fix-login", "release/1.x", 10),
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        CLOSED),
                Arguments.of(
                        "any branch by default, unlike GitHub: a release branch counts",
                        ON,
                        List.of(
                                push("fix-login", "a1a1a1a", "Fix", CODE_AND_TEST, 1),
                                merged(34, "Fixes #12", "fix-login", "release/1.x", 10),
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        CLOSED),
                Arguments.of(
                        "a commit with a closing keyword pushed to main, green: closed",
                        ON,
                        List.of(
                                push(
                                        "main",
                                        "b2b2b2b",
                                        "Fix the login\n\nCloses: #12",
                                        CODE_AND_TEST,
                                        10),
                                status("b2b2b2b", "success", 15),
                                DECIDED),
                        CLOSED),
                Arguments.of(
                        "a commit with a closing keyword pushed to a feature branch: nothing",
                        ON,
                        List.of(
                                push("fix-login", "b2b2b2b", "fixes #12", CODE_AND_TEST, 10),
                                status("b2b2b2b", "success", 15),
                                DECIDED),
                        NOTHING),
                Arguments.of(
                        "a link to another owner's repository is not followed",
                        ON,
                        work(
                                "Fixes other-org/widgets#12",
                                CODE_AND_TEST,
                                checkSuite(MERGE_SHA, "success", 15),
                                DECIDED),
                        NOTHING),
                Arguments.of(
                        "a check after the decision takes a labelled issue to closed",
                        ON,
                        work(
                                "Fixes #12",
                                CODE_AND_TEST,
                                DECIDED,
                                checkSuite(MERGE_SHA, "success", 50)),
                        List.of(
                                "add_labels(status/likely-done)@40",
                                "create_comment(suggest)@40",
                                "create_comment(close)@40",
                                "close_issue(completed)@40")),
                Arguments.of(
                        "close_at lowered by the policy: closed without tests",
                        ON.toBuilder().closeAt(0.85).build(),
                        work("Fixes #12", CODE_ONLY, checkSuite(MERGE_SHA, "success", 15), DECIDED),
                        CLOSED),
                Arguments.of(
                        "a polled push without its commit list is compared, nothing decided yet",
                        ON,
                        List.of(WorkEvents.polledPush("main", "b2b2b2b", 10), DECIDED),
                        List.of("read_compare(b2b2b2b)@10")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void decidesFromTheEvidence(
            String name, Completion completion, List<Object> steps, List<String> expected)
            throws Exception {
        harness = harness(policy(REPO, completion));

        run(steps);

        assertThat(written(harness.extractOutputValues())).isEqualTo(expected);
    }

    @Test
    void theCloseCarriesItsEvidenceAndIsForgottenWithItsTimers() throws Exception {
        harness = harness(policy(REPO, ON));

        run(work("Fixes #12", CODE_AND_TEST, checkSuite(MERGE_SHA, "success", 15), DECIDED));

        List<ActionRecord> actions = harness.extractOutputValues();
        ActionRecord close = actions.get(1);
        assertThat(close.repo()).isEqualTo(REPO);
        assertThat(close.target()).isEqualTo(12);
        assertThat(close.producedBy()).isEqualTo("completion@1");
        assertThat(close.confidence()).isEqualTo(1.0);
        assertThat(close.params().path("state_reason").asText()).isEqualTo("completed");
        assertThat(close.evidence())
                .contains(
                        "[x] merged: pull request #34 (main) landed",
                        "[x] checks_green: pull request #34 at c4295bd: green",
                        "[x] tests_touched: pull request #34 (main) changed tests");
        assertThat(close.reason()).contains("octo-org/widgets#12 is done");
        assertThat(close.causedBy()).contains("pr-34-opened", "pr-34-closed");
        assertThat(actions.get(0).params().path("body").asText())
                .contains("confidence 1.0", "- [x] no_objection");
        assertThat(
                        KeyedStates.entries(
                                harness,
                                "completion-trails",
                                "completion-pulls",
                                "completion-shas",
                                "completion-branches"))
                .isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void anIssueInAnotherRepositoryOfTheOwnerIsClosedThere() throws Exception {
        String gadgets = "octo-org/gadgets";
        harness = harness(policy(REPO, ON));
        harness.processBroadcastElement(policy(gadgets, ON), 0);

        run(
                work(
                        "Fixes octo-org/gadgets#7",
                        CODE_AND_TEST,
                        checkSuite(MERGE_SHA, "success", 15),
                        DECIDED));

        assertThat(harness.extractOutputValues())
                .extracting(a -> a.repo() + "#" + a.target() + " " + a.type().wireName())
                .containsExactly(gadgets + "#7 create_comment", gadgets + "#7 close_issue");
    }

    @Test
    void inShadowModeTheCloseIsADryRun() throws Exception {
        harness = harness(policy(REPO, ON.toBuilder().mode(Mode.SHADOW).build()));

        run(work("Fixes #12", CODE_AND_TEST, checkSuite(MERGE_SHA, "success", 15), DECIDED));

        assertThat(harness.extractOutputValues()).hasSize(2).allMatch(ActionRecord::dryRun);
    }

    @Test
    void aRepositoryWhosePolicyHasNoCompletionSectionIsLeftAlone() throws Exception {
        harness = harness(RepoPolicy.builder(REPO).updatedAt(Events.T0).build());

        run(work("Fixes #12", CODE_AND_TEST, checkSuite(MERGE_SHA, "success", 15), DECIDED));

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aReopenedIssueIsClosedAgainOnlyForNewWork() throws Exception {
        harness = harness(policy(REPO, ON));
        run(work("Fixes #12", CODE_AND_TEST, checkSuite(MERGE_SHA, "success", 15), DECIDED));
        // the executor's undo (or a person) reopens it; our own close came back first
        run(
                List.of(
                        issue("closed", 12, List.of(), 41),
                        issue("reopened", 12, List.of(), 45),
                        checkSuite(MERGE_SHA, "success", 50),
                        new Watermark(200)));

        assertThat(written(harness.extractOutputValues())).isEqualTo(CLOSED);
    }

    @Test
    void aLinkEditedOutOfThePullRequestNoLongerCounts() throws Exception {
        harness = harness(policy(REPO, ON));

        run(
                List.of(
                        push("fix-login", "a1a1a1a", "Fix", CODE_AND_TEST, 1),
                        pullRequest(
                                "opened", 34, "Fix", "Fixes #12", "fix-login", "main", false, 2),
                        pullRequest(
                                "edited", 34, "Fix", "Fixes #13", "fix-login", "main", false, 5),
                        merged(34, "Fixes #13", "fix-login", "main", 10),
                        checkSuite(MERGE_SHA, "success", 15),
                        DECIDED));

        assertThat(harness.extractOutputValues())
                .extracting(a -> a.target() + " " + a.type().wireName())
                .containsExactly("13 create_comment", "13 close_issue");
        assertThat(KeyedStates.entries(harness, "completion-trails")).isZero();
    }

    @Test
    void moreWorkOnOneOfTwoIssuesOfAMergeLeavesTheOtherIssuesDecisionInPlace() throws Exception {
        harness = harness(policy(REPO, ON));
        String secondSha = "d00d00d00d00d00d00d00d00d00d00d00d00d00d";

        run(
                work(
                        "Fixes #12, fixes #13",
                        CODE_AND_TEST,
                        checkSuite(MERGE_SHA, "success", 15),
                        push("fix-more", "b2b2b2b", "More on the login", CODE_AND_TEST, 16),
                        pullRequest(
                                "closed",
                                35,
                                "More",
                                "Fixes #12",
                                "fix-more",
                                "main",
                                true,
                                secondSha,
                                20),
                        checkSuite(secondSha, "success", 25),
                        new Watermark(51)));

        // both issues land at minute 10 (decided at 40); #12 lands again at 20 (decided at 50)
        assertThat(harness.extractOutputValues())
                .extracting(
                        a ->
                                a.target()
                                        + " "
                                        + a.type().wireName()
                                        + "@"
                                        + Duration.between(Events.T0, a.createdAt()).toMinutes())
                .containsExactly(
                        "13 create_comment@40",
                        "13 close_issue@40",
                        "12 create_comment@50",
                        "12 close_issue@50");
        assertThat(KeyedStates.entries(harness, "completion-trails", "completion-due")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aDecisionReadsOnlyTheTrailsDueThen() throws Exception {
        harness = harness(policy(REPO, ON));

        run(work("Fixes #12", CODE_AND_TEST, checkSuite(MERGE_SHA, "success", 15)));

        assertThat(KeyedStates.entries(harness, "completion-due")).isEqualTo(1);
        run(List.of(DECIDED));
        assertThat(written(harness.extractOutputValues())).isEqualTo(CLOSED);
        assertThat(KeyedStates.entries(harness, "completion-due")).isZero();
    }

    @Test
    void aClosedIssueTakesItsPendingDecisionAndTimerWithIt() throws Exception {
        harness = harness(policy(REPO, ON));

        run(
                work(
                        "Fixes #12",
                        CODE_AND_TEST,
                        checkSuite(MERGE_SHA, "success", 15),
                        issue("closed", 12, List.of(), 20)));

        assertThat(KeyedStates.entries(harness, "completion-trails", "completion-due")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aPolledPushIsCompletedWithTheComparisonAndItsFixLandsOnTheDefaultBranch()
            throws Exception {
        harness = harness(policy(REPO, ON));
        String before = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";
        String head = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
        run(List.of(WorkEvents.polledPush("main", before, head, 10)));
        ActionRecord read = harness.extractOutputValues().get(0);

        run(
                List.of(
                        WorkEvents.compared(
                                read,
                                "read",
                                List.of("a1a1a1a", "Refactor", head, "Fix the login\n\nFixes #12"),
                                List.of("src/login.js", "test/login.test.js"),
                                11),
                        checkSuite(head, "success", 15),
                        DECIDED));

        assertThat(read.type()).isEqualTo(ActionType.READ_COMPARE);
        assertThat(read.typedTarget()).isEqualTo(TypedTarget.ref("refs/heads/main"));
        assertThat(read.params().path("head").asText()).isEqualTo(head);
        assertThat(read.params().path("base").asText()).isEqualTo(before);
        assertThat(written(harness.extractOutputValues()))
                .containsExactly(
                        "read_compare(" + head + ")@10",
                        "create_comment(close)@40",
                        "close_issue(completed)@40");
        assertThat(harness.extractOutputValues().get(2).evidence())
                .contains("[x] tests_touched: commit b2b2b2b (main) changed tests");
        assertThat(
                        KeyedStates.entries(
                                harness,
                                "completion-compares",
                                "completion-trails",
                                "completion-due"))
                .isZero();
    }

    @Test
    void aPolledPushThatMadeABranchIsComparedWithTheDefaultBranch() throws Exception {
        harness = harness(policy(REPO, ON));

        run(List.of(WorkEvents.polledPush("main", "b2b2b2b", 10)));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        read -> {
                            assertThat(read.params().path("base").asText()).isEqualTo("master");
                            assertThat(read.params().path("head").asText()).isEqualTo("b2b2b2b");
                        });
    }

    @Test
    void aFailedComparisonLeavesThePushUnreadAndIsForgotten() throws Exception {
        harness = harness(policy(REPO, ON));
        run(List.of(WorkEvents.polledPush("main", "b2b2b2b", 10)));
        ActionRecord read = harness.extractOutputValues().get(0);

        run(List.of(WorkEvents.compared(read, "failed", null, null, 11), DECIDED));

        assertThat(harness.extractOutputValues()).containsExactly(read);
        assertThat(KeyedStates.entries(harness, "completion-compares", "completion-trails"))
                .isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void abandonedWorkIsForgotten() throws Exception {
        harness = harness(policy(REPO, ON));

        run(
                List.of(
                        pullRequest(
                                "opened", 34, "Fix", "Fixes #12", "fix-login", "main", false, 2),
                        pullRequest(
                                "closed", 34, "Fix", "Fixes #12", "fix-login", "main", false, 10),
                        DECIDED));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(KeyedStates.entries(harness, "completion-trails", "completion-pulls")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private static List<Object> prepend(Object first, List<Object> rest) {
        List<Object> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness(RepoPolicy policy) throws Exception {
        var h = RuleHarness.of(Rules.COMPLETION, new CompletionFunction());
        h.processBroadcastElement(policy, 0);
        return h;
    }

    private static RepoPolicy policy(String repo, Completion completion) {
        return RepoPolicy.builder(repo).completion(completion).updatedAt(Events.T0).build();
    }

    private void run(List<Object> steps) throws Exception {
        for (Object step : steps) {
            if (step instanceof Watermark w) {
                harness.watermark(minute(w.minutes()).toEpochMilli());
            } else {
                GitHubEvent e = (GitHubEvent) step;
                harness.processElement(e, e.occurredAt().toEpochMilli());
            }
        }
    }

    /** {@code type(what)@minute}: what names the label, the close's reason, the comment's kind. */
    private static List<String> written(List<ActionRecord> actions) {
        List<String> out = new ArrayList<>();
        for (ActionRecord a : actions) {
            String what =
                    switch (a.type()) {
                        case ADD_LABELS -> a.params().path("labels").get(0).asText();
                        case CLOSE_ISSUE -> a.params().path("state_reason").asText();
                        case READ_COMPARE -> a.params().path("head").asText();
                        case CREATE_COMMENT ->
                                a.params().path("body").asText().startsWith("Closing")
                                        ? "close"
                                        : "suggest";
                        default -> a.params().toString();
                    };
            long minutes = Duration.between(Events.T0, a.createdAt()).toMinutes();
            out.add(a.type().wireName() + "(" + what + ")@" + minutes);
        }
        return out;
    }
}
