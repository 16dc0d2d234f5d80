package io.repostream.flink.rules.merge.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.rules.ci.FailureClass;
import io.repostream.flink.rules.merge.queue.QueueInput.Command;
import io.repostream.flink.rules.merge.queue.QueueInput.Verb;
import io.repostream.flink.rules.merge.queue.QueueNotice.Kind;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.MergeQueue.MergeMethod;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MergeQueueMachineTest {
    private static final QueueSettings SETTINGS = QueueSettings.of("main", QueueWorld.CHECK);

    private static int[] range(int from, int to) {
        return IntStream.rangeClosed(from, to).toArray();
    }

    @Test
    void buildsACandidateOnTheBaseTestsItOnceAndFastForwardsTheBase() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(3, 1));
        String base = world.base();
        world.eligible(1, 2, 3);
        world.answerSteps();

        List<QueueStep> steps = world.steps;
        assertThat(steps.get(0).type()).isEqualTo(ActionType.CREATE_REF);
        assertThat(steps.get(0).target()).isEqualTo("refs/heads/repostream/build/main/1");
        assertThat(steps.get(0).param("sha")).isEqualTo(base);
        assertThat(steps.subList(1, 4))
                .extracting(s -> s.type().wireName() + " " + s.target() + " " + s.param("head"))
                .containsExactly(
                        "merge_branch refs/heads/repostream/build/main/1 " + world.head(1),
                        "merge_branch refs/heads/repostream/build/main/1 " + world.head(2),
                        "merge_branch refs/heads/repostream/build/main/1 " + world.head(3));
        assertThat(steps.get(4).type()).isEqualTo(ActionType.CREATE_REF);
        assertThat(steps.get(4).target()).isEqualTo("refs/heads/repostream/queue/main/1");
        assertThat(steps.get(5).type()).isEqualTo(ActionType.DELETE_REF);
        assertThat(steps.get(5).target()).isEqualTo("refs/heads/repostream/build/main/1");
        assertThat(world.runs()).isEqualTo(1);

        world.settle();
        QueueStep land = world.steps(ActionType.UPDATE_REF).get(0);
        assertThat(land.target()).isEqualTo("refs/heads/main");
        assertThat(land.param("force")).isEqualTo("false");
        assertThat(world.landed).containsExactly(1, 2, 3);
        assertThat(world.refs).containsOnlyKeys("refs/heads/main");
        assertThat(world.machine.state().pulls()).isEmpty();
        assertThat(world.machine.state().candidates()).isEmpty();
    }

    static Stream<Arguments> lanes() {
        return Stream.of(
                Arguments.of("fifo", List.of(1, 2, 3), Set.of(), List.of(1, 2, 3)),
                Arguments.of("emergency first", List.of(1, 2, 3), Set.of(3), List.of(1, 3, 2)),
                Arguments.of(
                        "fifo among emergencies",
                        List.of(1, 2, 3, 4),
                        Set.of(4, 3),
                        List.of(1, 3, 4, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lanes")
    void landsTheEmergencyLaneAheadOfTheNormalOneAndFirstComeFirstServedInEach(
            String name, List<Integer> arrivals, Set<Integer> emergency, List<Integer> expected) {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(1, 1));
        for (int n : arrivals) {
            // the first is under test before the others come
            world.apply(new QueueInput.Eligible(n, world.head(n), emergency.contains(n)));
        }
        world.settle();
        assertThat(world.landed).isEqualTo(expected);
    }

    @Test
    void slashMergePriorityMovesAWaitingPullRequestToTheEmergencyLane() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(1, 1));
        world.eligible(1, 2, 3);
        world.apply(new Command(3, Verb.MERGE_PRIORITY));
        world.settle();
        assertThat(world.landed).containsExactly(1, 3, 2);
    }

    static Stream<Arguments> batches() {
        return Stream.of(
                Arguments.of(
                        10, 4, 1, List.of(Set.of(1, 2, 3, 4), Set.of(5, 6, 7, 8), Set.of(9, 10))),
                Arguments.of(5, 8, 1, List.of(Set.of(1, 2, 3, 4, 5))),
                Arguments.of(
                        6,
                        2,
                        3,
                        List.of(Set.of(1, 2), Set.of(1, 2, 3, 4), Set.of(1, 2, 3, 4, 5, 6))));
    }

    @ParameterizedTest(name = "{0} pull requests, batch {1}, budget {2}")
    @MethodSource("batches")
    void testsBatchesOfUpToBatchSizeStackedUpToTheCiBudget(
            int pullCount, int batchSize, int budget, List<Set<Integer>> expected) {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(batchSize, budget));
        world.eligible(range(1, pullCount));
        world.settle();
        assertThat(world.candidatesTested).isEqualTo(expected);
        assertThat(world.landed).isEqualTo(IntStream.rangeClosed(1, pullCount).boxed().toList());
    }

    static Stream<Arguments> culprits() {
        return Stream.of(
                Arguments.of(8, 1),
                Arguments.of(8, 4),
                Arguments.of(8, 5),
                Arguments.of(8, 8),
                Arguments.of(16, 1),
                Arguments.of(16, 11),
                Arguments.of(16, 16));
    }

    @ParameterizedTest(name = "{1} broken among {0}")
    @MethodSource("culprits")
    void bisectsAFailedBatchAndFindsTheCulpritInLog2NCandidatesThenConfirmsItAlone(
            int size, int culprit) {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(size, 1));
        world.broken.add(culprit);
        world.eligible(range(1, size));
        world.settle();

        int log2 = Integer.numberOfTrailingZeros(size);
        int untilCulpritLeft =
                world.candidatesTested.indexOf(Set.of(culprit)) + 1; // the first is the batch
        assertThat(untilCulpritLeft - 1).isLessThanOrEqualTo(log2 + 1);
        assertThat(world.left()).containsExactly(culprit);
        assertThat(world.landed)
                .containsExactlyInAnyOrder(
                        IntStream.rangeClosed(1, size)
                                .filter(n -> n != culprit)
                                .boxed()
                                .toArray(Integer[]::new));
        assertThat(world.baseHistory).noneMatch(content -> content.contains(culprit));
        QueueStep comment =
                world.steps(ActionType.CREATE_COMMENT).stream()
                        .filter(s -> s.target().equals(Integer.toString(culprit)))
                        .findFirst()
                        .orElseThrow();
        assertThat(comment.param("body"))
                .contains("left the merge queue: its candidate failed: build (permanent)");
    }

    @Test
    void ofAPairThatFailsOnlyTogetherTheFirstLandsAndTheSecondLeaves() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(4, 1));
        world.brokenPairs.add(Set.of(2, 3));
        world.eligible(1, 2, 3, 4);
        world.settle();
        assertThat(world.left()).containsExactly(3);
        assertThat(world.landed).containsExactlyInAnyOrder(1, 2, 4);
        assertThat(world.baseHistory).noneMatch(content -> content.containsAll(Set.of(2, 3)));
    }

    @Test
    void aCandidateThatFailsOnlyOnAFlakyCheckIsRerunOnceAndLandsWhole() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(4, 1));
        world.flaky = run -> run == 0;
        world.eligible(1, 2, 3, 4);
        world.settle();
        assertThat(world.steps(ActionType.RERUN_FAILED_JOBS))
                .singleElement()
                .satisfies(s -> assertThat(s.target()).isEqualTo("0"));
        assertThat(world.runs()).isEqualTo(2);
        assertThat(world.candidatesTested).containsExactly(Set.of(1, 2, 3, 4), Set.of(1, 2, 3, 4));
        assertThat(world.landed).containsExactly(1, 2, 3, 4);
        assertThat(world.baseHistory).hasSize(1);
        assertThat(world.notices).noneMatch(n -> n.kind() == Kind.BISECTED);
    }

    @Test
    void aStackedCandidateThatPassesWhileTheOneUnderItIsRerunLandsBothAtOnce() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(2, 2));
        world.flaky = run -> run == 0;
        world.eligible(1, 2, 3, 4);
        world.settle();
        assertThat(world.steps(ActionType.RERUN_FAILED_JOBS)).hasSize(1);
        assertThat(world.steps(ActionType.UPDATE_REF)).hasSize(1);
        assertThat(world.baseHistory).containsExactly(Set.of(1, 2, 3, 4));
        assertThat(world.landed).containsExactly(1, 2, 3, 4);
        assertThat(world.refs).containsOnlyKeys("refs/heads/main");
        assertThat(world.machine.state().candidates()).isEmpty();
    }

    @Test
    void withoutTheFlakeRuleAFlakyFailureIsBisected() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(4, 1).withFlakeAware(false));
        world.flaky = run -> run == 0;
        world.eligible(1, 2, 3, 4);
        world.settle();
        assertThat(world.steps(ActionType.RERUN_FAILED_JOBS)).isEmpty();
        assertThat(world.notices).anyMatch(n -> n.kind() == Kind.BISECTED);
        assertThat(world.runs()).isGreaterThan(2);
        assertThat(world.landed).containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @Test
    void aFlakyFailureThatFailsAgainOnItsRerunIsBisected() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(2, 1));
        world.flaky = run -> run <= 1;
        world.eligible(1, 2);
        world.settle();
        assertThat(world.steps(ActionType.RERUN_FAILED_JOBS)).hasSize(1);
        assertThat(world.notices)
                .anyMatch(
                        n -> n.kind() == Kind.BISECTED && n.detail().contains("again on a rerun"));
        assertThat(world.landed).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void aPermanentFailureIsNotRerun() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(1, 1));
        world.broken.add(1);
        world.eligible(1);
        world.settle();
        assertThat(world.steps(ActionType.RERUN_FAILED_JOBS)).isEmpty();
        assertThat(world.left()).containsExactly(1);
        assertThat(world.runs()).isEqualTo(1);
    }

    @Test
    void landsOnlyInsideAMergeWindowAndNotDuringAFreeze() {
        Instant monday10 = Instant.parse("2026-12-07T10:00:00Z"); // 11:00 in Berlin
        QueueSettings.Window afternoons =
                new QueueSettings.Window(
                        EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                        LocalTime.of(14, 0),
                        LocalTime.of(18, 0));
        QueueSettings.Freeze freeze =
                new QueueSettings.Freeze(
                        Instant.parse("2026-12-07T13:00:00Z"),
                        Instant.parse("2026-12-07T14:00:00Z"),
                        "release");
        QueueWorld world =
                new QueueWorld(
                        SETTINGS.withBatching(2, 1)
                                .withCalendar(
                                        ZoneId.of("Europe/Berlin"),
                                        List.of(afternoons),
                                        List.of(freeze)));
        assertThat(world.now).isEqualTo(monday10);
        world.eligible(1, 2);
        world.settle();
        assertThat(world.candidatesTested).containsExactly(Set.of(1, 2)); // tested ahead
        assertThat(world.landed).isEmpty();

        world.now = Instant.parse("2026-12-07T13:10:00Z"); // 14:10 in Berlin, but frozen
        world.apply(new QueueInput.Tick());
        world.answerSteps();
        assertThat(world.landed).isEmpty();

        world.now = Instant.parse("2026-12-07T14:00:00Z"); // 15:00 in Berlin
        world.apply(new QueueInput.Tick());
        world.answerSteps();
        assertThat(world.landed).containsExactly(1, 2);
    }

    @Test
    void aPushToAPullRequestInACandidateTakesItOutAndTheOthersAreTestedAgain() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(3, 1));
        world.eligible(1, 2, 3);
        world.answerSteps();
        assertThat(world.refs).containsKey("refs/heads/repostream/queue/main/1");

        world.apply(new QueueInput.HeadPushed(2, QueueWorld.sha("new head of 2")));
        world.settle();

        assertThat(world.refs).doesNotContainKey("refs/heads/repostream/queue/main/1");
        assertThat(world.left()).containsExactly(2);
        assertThat(world.steps(ActionType.CREATE_COMMENT))
                .anyMatch(
                        s ->
                                s.target().equals("2")
                                        && s.param("body").contains("new commits were pushed"));
        assertThat(world.landed).containsExactly(1, 3);
        assertThat(world.baseHistory).noneMatch(content -> content.contains(2));
    }

    @Test
    void aPullRequestThatConflictsLeavesWithTheReasonAndTheRestOfTheBatchGoesOn() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(3, 1));
        world.conflicting.add(2);
        world.eligible(1, 2, 3);
        world.settle();
        assertThat(world.left()).containsExactly(2);
        assertThat(world.steps(ActionType.CREATE_COMMENT))
                .anyMatch(s -> s.param("body").contains("merge conflict with main or with #1"));
        assertThat(world.candidatesTested).containsExactly(Set.of(1, 3));
        assertThat(world.landed).containsExactly(1, 3);
    }

    @Test
    void aLandingRefusedAsNotAFastForwardRebuildsOnTheMovedBase() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(2, 1));
        world.eligible(1, 2);
        world.answerSteps();
        // someone pushes to main while the candidate is tested; its push event comes late
        String moved = QueueWorld.sha("direct push");
        world.contents.put(moved, Set.of(99));
        world.refs.put("refs/heads/main", moved);
        world.settle();
        assertThat(world.landed).isEmpty();
        assertThat(world.machine.state().baseSha()).isNull();
        assertThat(world.machine.state().candidates()).isEmpty();

        world.apply(new QueueInput.BasePushed(moved));
        world.settle();
        assertThat(world.landed).containsExactly(1, 2);
        assertThat(world.baseHistory.get(0)).contains(99, 1, 2);
    }

    @Test
    void aHeldPullRequestKeepsItsPlaceButIsNotTestedUntilUnheld() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(2, 1));
        world.apply(new Command(1, Verb.HOLD)); // unknown yet: nothing
        world.eligible(1);
        world.answerSteps();
        world.apply(new Command(1, Verb.HOLD)); // in a candidate: taken out
        world.eligible(2, 3);
        world.settle();
        assertThat(world.landed).containsExactly(2, 3);
        assertThat(world.machine.waiting()).isEmpty();

        world.apply(new Command(1, Verb.UNHOLD));
        world.settle();
        assertThat(world.landed).containsExactly(2, 3, 1);
    }

    @Test
    void unqueueTakesAPullRequestOutUntilSlashMerge() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(2, 1));
        world.eligible(1);
        world.apply(new Command(1, Verb.UNQUEUE));
        world.settle();
        assertThat(world.landed).isEmpty();
        world.apply(new Command(1, Verb.MERGE));
        world.settle();
        assertThat(world.landed).containsExactly(1);
    }

    @Test
    void aPullRequestThatLeftComesBackWithSlashMerge() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(1, 1));
        world.broken.add(1);
        world.eligible(1);
        world.settle();
        assertThat(world.left()).containsExactly(1);
        world.broken.clear(); // e.g. the flaky test it hit was fixed on main
        world.apply(new Command(1, Verb.MERGE));
        world.settle();
        assertThat(world.landed).containsExactly(1);
    }

    @Test
    void aCandidateWithoutAnyCheckWithinTheTimeoutPausesTheQueueAndSaysSo() {
        QueueWorld world =
                new QueueWorld(
                        SETTINGS.withBatching(2, 2).withCheckTimeout(Duration.ofMinutes(45)));
        world.ciReports = false;
        world.eligible(1, 2);
        world.settle();
        assertThat(world.machine.nextDeadline()).isEqualTo(world.now.plus(Duration.ofMinutes(45)));

        world.now = world.now.plus(Duration.ofMinutes(46));
        world.apply(new QueueInput.Tick());
        assertThat(world.machine.state().pauseReason())
                .contains("no check reported on repostream/queue/main/1 within 45 min")
                .contains("repostream/queue/**");
        assertThat(world.steps(ActionType.CREATE_COMMENT))
                .extracting(QueueStep::target)
                .containsExactlyInAnyOrder("1", "2");

        String candidate = world.refs.get("refs/heads/repostream/queue/main/1");
        world.apply(new QueueInput.CheckReported(candidate, QueueWorld.CHECK, true, null, 7));
        world.answerSteps();
        assertThat(world.machine.state().pauseReason()).isNull();
        assertThat(world.landed).containsExactly(1, 2);
    }

    @Test
    void theGlobalPauseStopsNewCandidatesAndLandingsUntilResumed() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(1, 1));
        world.apply(new QueueInput.Pause("incident 42"));
        world.eligible(1);
        world.settle();
        assertThat(world.runs()).isZero();
        world.apply(new QueueInput.Resume());
        world.settle();
        assertThat(world.landed).containsExactly(1);
    }

    @Test
    void squashMergesEachPullRequestPinnedToItsHeadAndDoesNotStackCandidates() {
        QueueWorld world =
                new QueueWorld(SETTINGS.withBatching(2, 4).withMergeMethod(MergeMethod.SQUASH));
        world.eligible(1, 2, 3, 4);
        world.settle();
        assertThat(world.steps(ActionType.MERGE_PULL_REQUEST))
                .extracting(
                        s -> s.target() + " " + s.param("head_sha") + " " + s.param("merge_method"))
                .containsExactly(
                        "1 " + world.head(1) + " squash",
                        "2 " + world.head(2) + " squash",
                        "3 " + world.head(3) + " squash",
                        "4 " + world.head(4) + " squash");
        assertThat(world.steps(ActionType.UPDATE_REF)).isEmpty();
        assertThat(world.candidatesTested).containsExactly(Set.of(1, 2), Set.of(3, 4));
        assertThat(world.landed).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aFailedCandidateTakesDownTheCandidatesStackedOnIt() {
        QueueWorld world = new QueueWorld(SETTINGS.withBatching(2, 3));
        world.broken.add(2);
        world.eligible(range(1, 6));
        world.settle();
        assertThat(world.candidatesTested.subList(0, 3))
                .containsExactly(Set.of(1, 2), Set.of(1, 2, 3, 4), Set.of(1, 2, 3, 4, 5, 6));
        assertThat(world.left()).containsExactly(2);
        assertThat(world.landed).containsExactlyInAnyOrder(1, 3, 4, 5, 6);
        assertThat(world.baseHistory).noneMatch(content -> content.contains(2));
        assertThat(world.refs).containsOnlyKeys("refs/heads/main");
    }

    @Test
    void aFailureClassedTransientOnOneOfTwoRequiredChecksWaitsForTheOtherBeforeRerunning() {
        QueueSettings two = QueueSettings.of("main", "build", "lint").withBatching(2, 1);
        QueueWorld world = new QueueWorld(two);
        world.ciReports = false;
        world.eligible(1, 2);
        world.settle();
        String sha = world.refs.get("refs/heads/repostream/queue/main/1");
        world.apply(new QueueInput.CheckReported(sha, "build", false, FailureClass.TRANSIENT, 5));
        assertThat(world.steps(ActionType.RERUN_FAILED_JOBS)).isEmpty();
        world.apply(new QueueInput.CheckReported(sha, "lint", false, FailureClass.PERMANENT, 6));
        assertThat(world.steps(ActionType.RERUN_FAILED_JOBS)).isEmpty();
        assertThat(world.notices)
                .anyMatch(
                        n -> n.kind() == Kind.BISECTED && n.detail().contains("lint (permanent)"));
    }
}
