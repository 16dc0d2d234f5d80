package io.repostream.flink.rules.merge;

import static io.repostream.flink.rules.merge.PullRequestScenario.REPO;
import static io.repostream.flink.rules.merge.PullRequestScenario.SHA_1;
import static io.repostream.flink.rules.merge.PullRequestScenario.SHA_2;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.KeyedStates;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.MergeEligibility;
import io.repostream.schemas.MergeQueue;
import io.repostream.schemas.MergeQueue.Branch;
import io.repostream.schemas.MergeQueue.Coverage;
import io.repostream.schemas.MergeQueue.MergeMethod;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.TypedTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule {@code merge-eligibility@1} as the job runs it (its declared fields, inside its policy
 * section's gate), on GitHub's real webhook payloads: one row per condition of eligibility, then
 * when it reports, when it merges, and what it keeps.
 */
class MergeEligibilityTest {
    private static final Branch MAIN = Branch.builder("main").requiredChecks("build").build();
    private static final Pattern UNMET =
            Pattern.compile("^- ✗ \\*\\*([^*]+)\\*\\*", Pattern.MULTILINE);

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;
    private PullRequestScenario pr;

    @BeforeEach
    void open() throws Exception {
        harness = RuleHarness.of(Rules.MERGE_ELIGIBILITY);
        pr = new PullRequestScenario();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void policy(Mode mode, Branch... branches) throws Exception {
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .mergeQueue(new MergeQueue(mode, List.of(branches)))
                        .build(),
                0);
    }

    private List<ActionRecord> send(List<GitHubEvent> events) throws Exception {
        for (GitHubEvent e : events) {
            harness.processElement(e, e.occurredAt().toEpochMilli());
        }
        List<ActionRecord> actions = List.copyOf(harness.extractOutputValues());
        harness.getOutput().clear();
        return actions;
    }

    private List<ActionRecord> send(GitHubEvent... events) throws Exception {
        return send(List.of(events));
    }

    /** Opened with the label, approved by alice, {@code build} green: every default condition. */
    private List<GitHubEvent> ready() {
        return List.of(
                pr.pullRequest("opened"),
                pr.review("alice", "approved", 1),
                pr.checkRun("build", "success", null));
    }

    private static List<ActionRecord> ofType(List<ActionRecord> actions, ActionType type) {
        return actions.stream().filter(a -> a.type() == type).toList();
    }

    private static List<String> unmet(ActionRecord checkRun) {
        List<String> names = new ArrayList<>();
        Matcher m = UNMET.matcher(checkRun.params().path("summary").asText());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    record Row(
            String name,
            Branch branch,
            Consumer<PullRequestScenario> before,
            Function<PullRequestScenario, List<GitHubEvent>> after,
            List<String> unmet) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(
            String name,
            Branch branch,
            Consumer<PullRequestScenario> before,
            Function<PullRequestScenario, List<GitHubEvent>> after,
            String... unmet) {
        return new Row(name, branch, before, after, List.of(unmet));
    }

    private static final Consumer<PullRequestScenario> AS_IS = s -> {};
    private static final Function<PullRequestScenario, List<GitHubEvent>> NOTHING_MORE =
            s -> List.of();

    static Stream<Arguments> conditions() {
        Branch coverage =
                Branch.builder("main")
                        .requiredChecks("build")
                        .coverage(new Coverage("codecov/project", null))
                        .build();
        return Stream.of(
                        row("every condition met", MAIN, AS_IS, NOTHING_MORE),
                        row("a draft", MAIN, s -> s.draft = true, NOTHING_MORE, "not a draft"),
                        row(
                                "a blocking label by glob",
                                MAIN,
                                s -> s.labels.add("do-not-merge/needs-docs"),
                                NOTHING_MORE,
                                "no blocking label"),
                        row(
                                "on hold",
                                MAIN,
                                s -> s.labels.add("hold"),
                                NOTHING_MORE,
                                "no blocking label"),
                        row(
                                "the required check failed",
                                MAIN,
                                AS_IS,
                                s -> List.of(s.checkRun("build", "failure", null)),
                                "required checks"),
                        row(
                                "the required check runs again",
                                MAIN,
                                AS_IS,
                                s -> List.of(s.checkRun("build", "in_progress", null, null, 9L)),
                                "required checks"),
                        row(
                                "a required check never reported",
                                Branch.builder("main").requiredChecks("build", "lint").build(),
                                AS_IS,
                                NOTHING_MORE,
                                "required checks"),
                        row(
                                "neutral and skipped pass, as on GitHub",
                                Branch.builder("main").requiredChecks("build", "docs").build(),
                                AS_IS,
                                s ->
                                        List.of(
                                                s.checkRun("build", "neutral", null),
                                                s.checkRun("docs", "skipped", null))),
                        row(
                                "a failed run re-run green",
                                MAIN,
                                AS_IS,
                                s ->
                                        List.of(
                                                s.checkRun("build", "failure", null),
                                                s.checkRun("build", "success", null))),
                        row(
                                "an older failure delivered late does not win",
                                MAIN,
                                AS_IS,
                                s ->
                                        List.of(
                                                PullRequestScenario.at(
                                                        s.checkRun("build", "failure", null),
                                                        s.clock.minusSeconds(60)))),
                        row(
                                "its check suite re-requested",
                                MAIN,
                                AS_IS,
                                s -> List.of(s.checkSuite("rerequested", 118578147L)),
                                "required checks"),
                        row(
                                "a required commit status green",
                                Branch.builder("main").requiredChecks("ci/circleci").build(),
                                AS_IS,
                                s -> List.of(s.status("ci/circleci", "success", "passed"))),
                        row(
                                "a required commit status pending",
                                Branch.builder("main").requiredChecks("ci/circleci").build(),
                                AS_IS,
                                s -> List.of(s.status("ci/circleci", "pending", null)),
                                "required checks"),
                        row(
                                "a required commit status in error",
                                Branch.builder("main").requiredChecks("ci/circleci").build(),
                                AS_IS,
                                s -> List.of(s.status("ci/circleci", "error", null)),
                                "required checks"),
                        row(
                                "a check run and a status of one name: both must pass",
                                MAIN,
                                AS_IS,
                                s -> List.of(s.status("build", "failure", null)),
                                "required checks"),
                        row(
                                "a required workflow green",
                                Branch.builder("main").requiredChecks("CI").build(),
                                AS_IS,
                                s -> List.of(s.workflowRun("CI", "success"))),
                        row(
                                "a required workflow failed",
                                Branch.builder("main").requiredChecks("CI").build(),
                                AS_IS,
                                s -> List.of(s.workflowRun("CI", "failure")),
                                "required checks"),
                        row(
                                "a push: the checks start over",
                                MAIN,
                                AS_IS,
                                s -> {
                                    s.head = SHA_2;
                                    return List.of(s.pullRequest("synchronize"));
                                },
                                "required checks"),
                        row(
                                "two approvals needed, one given",
                                Branch.builder("main")
                                        .requiredChecks("build")
                                        .minApprovals(2)
                                        .build(),
                                AS_IS,
                                NOTHING_MORE,
                                "approvals"),
                        row(
                                "two reviewers approve",
                                Branch.builder("main")
                                        .requiredChecks("build")
                                        .minApprovals(2)
                                        .build(),
                                AS_IS,
                                s -> List.of(s.review("bob", "approved", 2))),
                        row(
                                "one reviewer's two approvals count once",
                                Branch.builder("main")
                                        .requiredChecks("build")
                                        .minApprovals(2)
                                        .build(),
                                AS_IS,
                                s -> List.of(s.review("alice", "approved", 3)),
                                "approvals"),
                        row(
                                "changes requested",
                                MAIN,
                                AS_IS,
                                s -> List.of(s.review("bob", "changes_requested", 2)),
                                "no changes requested"),
                        row(
                                "changes requested, then approved by the same reviewer",
                                MAIN,
                                AS_IS,
                                s ->
                                        List.of(
                                                s.review("bob", "changes_requested", 2),
                                                s.review("bob", "approved", 3))),
                        row(
                                "the approver changes their mind",
                                MAIN,
                                AS_IS,
                                s -> List.of(s.review("alice", "changes_requested", 2)),
                                "approvals",
                                "no changes requested"),
                        row(
                                "a comment after an approval keeps it",
                                MAIN,
                                AS_IS,
                                s -> List.of(s.review("alice", "commented", 2))),
                        row(
                                "the approval dismissed",
                                MAIN,
                                AS_IS,
                                s -> List.of(s.dismissed("alice", 1)),
                                "approvals"),
                        row(
                                "a changes request dismissed",
                                MAIN,
                                AS_IS,
                                s ->
                                        List.of(
                                                s.review("bob", "changes_requested", 2),
                                                s.dismissed("bob", 2))),
                        row(
                                "mergeability not computed yet",
                                MAIN,
                                s -> s.mergeable = null,
                                NOTHING_MORE,
                                "no merge conflict"),
                        row(
                                "a merge conflict",
                                MAIN,
                                s -> s.mergeable = false,
                                NOTHING_MORE,
                                "no merge conflict"),
                        row(
                                "coverage above the threshold, from a status",
                                coverage,
                                AS_IS,
                                s ->
                                        List.of(
                                                s.status(
                                                        "codecov/project",
                                                        "success",
                                                        "83.40% (+0.12%) compared to 1a2b3c"))),
                        row(
                                "coverage below the threshold, from a status",
                                coverage,
                                AS_IS,
                                s -> List.of(s.status("codecov/project", "failure", "79.99%")),
                                "coverage"),
                        row(
                                "coverage from a check run's title",
                                coverage,
                                AS_IS,
                                s ->
                                        List.of(
                                                s.checkRun(
                                                        "codecov/project",
                                                        "success",
                                                        "Coverage 91% of lines"))),
                        row("coverage not reported", coverage, AS_IS, NOTHING_MORE, "coverage"),
                        row(
                                "coverage without a percentage",
                                coverage,
                                AS_IS,
                                s -> List.of(s.status("codecov/project", "success", "done")),
                                "coverage"),
                        row(
                                "too large",
                                Branch.builder("main")
                                        .requiredChecks("build")
                                        .maxChangedLines(100)
                                        .build(),
                                s -> s.additions = 120,
                                NOTHING_MORE,
                                "size"),
                        row(
                                "within the size limit",
                                Branch.builder("main")
                                        .requiredChecks("build")
                                        .maxChangedLines(100)
                                        .build(),
                                AS_IS,
                                NOTHING_MORE),
                        row(
                                "a release branch by pattern",
                                Branch.builder("release/*").requiredChecks("build").build(),
                                s -> s.base = "release/1.2",
                                NOTHING_MORE))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void eachConditionDecidesAndTheCheckRunSaysWhich(Row row) throws Exception {
        policy(Mode.ON, row.branch());
        row.before().accept(pr);
        List<ActionRecord> actions = new ArrayList<>(send(ready()));
        List<ActionRecord> afterwards = send(row.after().apply(pr));
        actions.addAll(afterwards);

        List<ActionRecord> checkRuns = ofType(actions, ActionType.CREATE_CHECK_RUN);
        assertThat(checkRuns).isNotEmpty();
        ActionRecord last = checkRuns.get(checkRuns.size() - 1);
        assertThat(unmet(last)).as(last.params().path("summary").asText()).isEqualTo(row.unmet());
        boolean eligible = row.unmet().isEmpty();
        assertThat(last.params().path("conclusion").asText())
                .isEqualTo(eligible ? "success" : "action_required");
        assertThat(last.params().path("name").asText()).isEqualTo("repostream/merge");
        assertThat(last.params().path("status").asText()).isEqualTo("completed");
        assertThat(last.params().path("pull_number").asLong()).isEqualTo(pr.number);
        assertThat(last.typedTarget()).isEqualTo(TypedTarget.commit(pr.head));
        List<ActionRecord> merges = ofType(actions, ActionType.MERGE_PULL_REQUEST);
        if (eligible) {
            assertThat(merges).hasSize(1);
            assertThat(merges.get(0).params().path("head_sha").asText()).isEqualTo(pr.head);
        } else {
            assertThat(ofType(afterwards, ActionType.MERGE_PULL_REQUEST)).isEmpty();
        }
        if (eligible) {
            assertThat(last.params().path("title").asText()).isEqualTo("Ready to merge");
        } else {
            assertThat(last.params().path("title").asText())
                    .isEqualTo("Not ready: " + String.join(", ", row.unmet()));
        }
    }

    @Test
    void anEligiblePullRequestIsMergedOncePerHeadCommitAtThatCommit() throws Exception {
        policy(
                Mode.ON,
                Branch.builder("main")
                        .requiredChecks("build")
                        .mergeMethod(MergeMethod.SQUASH)
                        .build());

        List<ActionRecord> first = send(ready());
        List<ActionRecord> merges = ofType(first, ActionType.MERGE_PULL_REQUEST);
        assertThat(merges).hasSize(1);
        assertThat(merges.get(0).params().path("head_sha").asText()).isEqualTo(SHA_1);
        assertThat(merges.get(0).params().path("merge_method").asText()).isEqualTo("squash");
        assertThat(merges.get(0).target()).isEqualTo(pr.number);
        assertThat(merges.get(0).producedBy()).isEqualTo("merge-eligibility@1");
        assertThat(merges.get(0).dryRun()).isFalse();

        // still eligible, and eligible again after a wobble: no second merge of the same head
        assertThat(ofType(send(pr.review("bob", "approved", 2)), ActionType.MERGE_PULL_REQUEST))
                .isEmpty();
        send(pr.checkRun("build", "failure", null));
        assertThat(
                        ofType(
                                send(pr.checkRun("build", "success", null)),
                                ActionType.MERGE_PULL_REQUEST))
                .isEmpty();

        // a push: judged again at the new head, merged at that head once green
        pr.head = SHA_2;
        assertThat(ofType(send(pr.pullRequest("synchronize")), ActionType.MERGE_PULL_REQUEST))
                .isEmpty();
        List<ActionRecord> again =
                ofType(send(pr.checkRun("build", "success", null)), ActionType.MERGE_PULL_REQUEST);
        assertThat(again).hasSize(1);
        assertThat(again.get(0).params().path("head_sha").asText()).isEqualTo(SHA_2);
        assertThat(again.get(0).actionId()).isNotEqualTo(merges.get(0).actionId());
    }

    @Test
    void aReportIsMadeOnlyWhenTheVerdictChangesEachUnderItsOwnId() throws Exception {
        policy(Mode.ON, MAIN);

        List<ActionRecord> reports = ofType(send(ready()), ActionType.CREATE_CHECK_RUN);
        assertThat(reports).hasSize(3); // opened (no approval, no check), approved, green
        // the same event again, a check nobody requires, a comment review: nothing new to say
        assertThat(send(pr.checkRun("lint", "failure", null), pr.review("carol", "commented", 7)))
                .isEmpty();
        // failing, then green again: two reports, each under a new id, though the last says
        // what an earlier one said (the executor applies an id once)
        List<ActionRecord> more =
                ofType(
                        send(
                                pr.checkRun("build", "failure", null),
                                pr.checkRun("build", "success", null)),
                        ActionType.CREATE_CHECK_RUN);
        assertThat(more).hasSize(2);
        assertThat(more.get(1).params().path("summary").asText())
                .isEqualTo(reports.get(2).params().path("summary").asText());
        List<String> ids = new ArrayList<>();
        Stream.concat(reports.stream(), more.stream()).forEach(a -> ids.add(a.actionId()));
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids.get(0))
                .isEqualTo("merge-eligibility@1:" + REPO + "#2:" + SHA_1 + ":report:1");
    }

    @Test
    void aPullRequestWithoutTheLabelGetsNoCheckRunUntilItAsksAndOneMoreWhenItStopsAsking()
            throws Exception {
        policy(Mode.ON, MAIN);
        pr.labels.clear();

        assertThat(send(ready())).isEmpty();
        pr.labels.add("automerge");
        List<ActionRecord> labelled = send(pr.pullRequest("labeled"));
        assertThat(ofType(labelled, ActionType.CREATE_CHECK_RUN)).hasSize(1);
        assertThat(ofType(labelled, ActionType.MERGE_PULL_REQUEST)).hasSize(1);

        pr.labels.clear();
        List<ActionRecord> unlabelled = send(pr.pullRequest("unlabeled"));
        assertThat(unlabelled).hasSize(1);
        assertThat(unmet(unlabelled.get(0))).containsExactly("label");
        assertThat(send(pr.review("bob", "changes_requested", 9))).isEmpty();
    }

    @Test
    void everyVerdictChangeGoesToTheQueueStateOutputLabelledOrNot() throws Exception {
        policy(Mode.ON, MAIN);
        pr.labels.clear();

        send(ready());
        var records = harness.getSideOutput(MergeEligibilityFunction.ELIGIBILITY);
        List<MergeEligibility> changes = new ArrayList<>();
        records.forEach(r -> changes.add(r.getValue()));
        assertThat(changes).hasSize(3);
        MergeEligibility last = changes.get(2);
        assertThat(last.repo()).isEqualTo(REPO);
        assertThat(last.base()).isEqualTo("main");
        assertThat(last.pullNumber()).isEqualTo(2);
        assertThat(last.headSha()).isEqualTo(SHA_1);
        assertThat(last.eligible()).isFalse();
        assertThat(last.reasons()).containsExactly("label: `automerge` is missing");
    }

    @Test
    void inShadowModeEveryActionIsADryRun() throws Exception {
        policy(Mode.SHADOW, MAIN);

        List<ActionRecord> actions = send(ready());
        assertThat(ofType(actions, ActionType.MERGE_PULL_REQUEST)).hasSize(1);
        assertThat(actions).isNotEmpty().allMatch(ActionRecord::dryRun);
    }

    @Test
    void withoutTheSectionOrForAnotherBaseNothingHappens() throws Exception {
        harness.processBroadcastElement(RepoPolicy.defaults(REPO), 0);
        assertThat(send(ready())).isEmpty();

        policy(Mode.ON, Branch.of("release/*"));
        assertThat(send(pr.review("bob", "approved", 2), pr.checkRun("build", "failure", null)))
                .isEmpty();
    }

    @Test
    void ourOwnCheckRunIsNotACheckOfThePullRequest() throws Exception {
        policy(Mode.ON, Branch.builder("main").requiredChecks("repostream/merge").build());

        send(ready());
        List<ActionRecord> actions = send(pr.checkRun("repostream/merge", "success", null));
        assertThat(actions).isEmpty();
    }

    @Test
    void checksThatArriveBeforeThePullRequestCount() throws Exception {
        policy(Mode.ON, MAIN);

        send(pr.checkRun("build", "success", null));
        List<ActionRecord> actions =
                send(pr.pullRequest("opened"), pr.review("alice", "approved", 1));
        assertThat(ofType(actions, ActionType.MERGE_PULL_REQUEST)).hasSize(1);
    }

    @Test
    void aClosedPullRequestLeavesNoStateBehind() throws Exception {
        policy(Mode.ON, MAIN);
        send(ready());
        pr.head = SHA_2;
        send(pr.pullRequest("synchronize"), pr.checkRun("build", "success", null));
        assertThat(
                        KeyedStates.entries(
                                harness, "pull-requests", "check-reports", "pull-requests-by-head"))
                .isEqualTo(3);

        send(pr.pullRequest("closed"));

        assertThat(
                        KeyedStates.entries(
                                harness, "pull-requests", "check-reports", "pull-requests-by-head"))
                .isZero();
        // and a review redelivered after the close does not bring it back
        assertThat(send(PullRequestScenario.at(pr.review("bob", "approved", 5), pr.clock)))
                .isNotNull();
    }
}
