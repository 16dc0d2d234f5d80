package io.repostream.flink.governors;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.KeyedStates;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The installation governor as the scheduler of an installation's write slots, on the harness's
 * virtual processing-time clock, which {@link #runUntil} moves a quarter second at a time (the
 * timers fire as they would on the wall clock).
 */
class InstallationRateGovernorTest {
    private static final long NOW = T0.toEpochMilli();
    private static final String SLA = "sla-monitor@1";
    private static final String TRIAGE = "triage-label@1";

    private KeyedOneInputStreamOperatorTestHarness<String, GovernorInput, ActionRecord> harness;
    private InstallationRateGovernor governor;
    private long clock = NOW;

    @BeforeEach
    void openHarness() throws Exception {
        open(secondApart(), null);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void givesTheInstallationsWritesOneSlotASecondAcrossItsRepositories() throws Exception {
        for (int i = 0; i < 10; i++) {
            propose(label("o/repo-" + (i % 3), 100 + i, "l-" + i, TRIAGE, 5L));
        }

        // released only the horizon (3 s) ahead
        assertThat(slots()).containsExactly(at(0), at(1), at(2), at(3));
        runUntil(NOW + 20_000);
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactly(
                        "l-0", "l-1", "l-2", "l-3", "l-4", "l-5", "l-6", "l-7", "l-8", "l-9");
        assertThat(slots()).containsExactlyElementsOf(secondsFrom(0, 10));
    }

    @Test
    void slaBreachesComingDueWhile200TriageLabelsDrainGetSlotsWithinFiveSeconds() throws Exception {
        for (int i = 0; i < 200; i++) {
            propose(label("o/a", 1_000 + i, "triage-" + i, TRIAGE, 5L));
        }
        runUntil(NOW + 20_000); // the burst drains at a write a second

        Map<String, Long> arrived = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            // one breach every 3 s while the labels drain
            arrived.put("breach-" + i, clock);
            propose(label("o/a", 1 + i, "breach-" + i, SLA, 5L));
            runUntil(clock + 3_000);
        }
        runUntil(NOW + 300_000);

        List<ActionRecord> out = harness.extractOutputValues();
        assertThat(out).hasSize(210);
        assertThat(out)
                .filteredOn(a -> a.actionId().startsWith("breach-"))
                .hasSize(10)
                .allSatisfy(
                        a ->
                                assertThat(a.notBefore().toEpochMilli() - arrived.get(a.actionId()))
                                        .isBetween(0L, 5_000L));
        // the labels keep their order; every slot is a second of its own
        assertThat(out)
                .filteredOn(a -> a.actionId().startsWith("triage-"))
                .extracting(ActionRecord::actionId)
                .containsExactlyElementsOf(
                        IntStream.range(0, 200).mapToObj(i -> "triage-" + i).toList());
        assertSlotsASecondApart(out);
        // drained: nothing queued, no timer, the metrics back to zero
        assertThat(KeyedStates.entries(harness, "installation-queue")).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(governor.queueMetrics().depth()).isZero();
        assertThat(governor.queueMetrics().slotWait().getCount()).isEqualTo(210);
    }

    @Test
    void tenSlaBreachesAtOnceTakeTheNextTenSlotsBeforeTheQueuedLabels() throws Exception {
        for (int i = 0; i < 200; i++) {
            propose(label("o/a", 1_000 + i, "triage-" + i, TRIAGE, 5L));
        }
        runUntil(NOW + 20_000);
        long arrived = clock;
        assertThat(governor.queueMetrics().depth()).isEqualTo(200 - 24);
        assertThat(governor.queueMetrics().oldestWaitMs(clock)).isEqualTo(20_000);
        for (int i = 0; i < 10; i++) {
            propose(label("o/a", 1 + i, "breach-" + i, SLA, 5L));
        }
        runUntil(NOW + 300_000);

        List<ActionRecord> out = harness.extractOutputValues();
        // released up to the horizon (3 s) already: the breaches come right after
        assertThat(out.subList(24, 34))
                .extracting(ActionRecord::actionId)
                .containsExactlyElementsOf(
                        IntStream.range(0, 10).mapToObj(i -> "breach-" + i).toList());
        assertThat(out.get(33).notBefore().toEpochMilli() - arrived).isEqualTo(13_000);
        assertSlotsASecondApart(out);
    }

    @Test
    void theLabelsOfTenBreachesAtOnceTakeTheFirstSlotsAndTheirCommentsFollow() throws Exception {
        for (int i = 0; i < 50; i++) {
            propose(label("o/a", 1_000 + i, "triage-" + i, TRIAGE, 5L));
        }
        runUntil(NOW + 10_000);
        long arrived = clock;
        for (int i = 0; i < 10; i++) {
            // what the SLA rule emits at a breach: the label, then the comment, on one item
            propose(label("o/a", 1 + i, "breach-" + i + ":label", SLA, 5L));
            propose(comment("o/a", 1 + i, "breach-" + i + ":comment", 5L));
        }
        runUntil(NOW + 300_000);

        List<ActionRecord> out = harness.extractOutputValues();
        List<String> breaches =
                out.stream()
                        .map(ActionRecord::actionId)
                        .filter(id -> id.startsWith("breach-"))
                        .toList();
        assertThat(breaches.subList(0, 10)).allMatch(id -> id.endsWith(":label"));
        assertThat(breaches.subList(10, 20)).allMatch(id -> id.endsWith(":comment"));
        // the last of the ten labels goes ten slots after the horizon already released
        assertThat(
                        out.stream()
                                        .filter(a -> a.actionId().equals("breach-9:label"))
                                        .findFirst()
                                        .orElseThrow()
                                        .notBefore()
                                        .toEpochMilli()
                                - arrived)
                .isEqualTo(13_000);
        assertSlotsASecondApart(out);
    }

    @Test
    void keepsArrivalOrderPerTargetAndLetsATargetsEarlierActionsGoWithItsUrgentOne()
            throws Exception {
        for (int i = 0; i < 5; i++) {
            propose(label("o/a", 100 + i, "filler-" + i, TRIAGE, 5L)); // 4 released, 1 queued
        }
        propose(label("o/a", 2, "other-label", TRIAGE, 5L));
        propose(label("o/a", 1, "first-label", TRIAGE, 5L));
        propose(label("o/a", 1, "second-label", TRIAGE, 5L));
        propose(label("o/a", 1, "breach", SLA, 5L));
        runUntil(NOW + 30_000);

        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactly(
                        "filler-0",
                        "filler-1",
                        "filler-2",
                        "filler-3",
                        // #1's labels go before the breach on #1, and with its priority
                        "first-label",
                        "second-label",
                        "breach",
                        "filler-4",
                        "other-label");
    }

    @Test
    void keepsOrderPerTypedTargetAsTheExecutorsLanesDo() throws Exception {
        for (int i = 0; i < 5; i++) {
            propose(label("o/a", 100 + i, "filler-" + i, TRIAGE, 5L)); // 4 released, 1 queued
        }
        propose(label("o/a", 7, "issue-7-label", TRIAGE, 5L));
        // run 7 is another target than issue 7: its re-run lends no priority to the label
        ActionRecord rerun = label("o/a", 7, "run-7-rerun", "ci-retry@1", 5L);
        propose(
                new ActionRecord(
                        rerun.actionId(),
                        rerun.repo(),
                        rerun.target(),
                        ActionType.RERUN_FAILED_JOBS,
                        rerun.params(),
                        rerun.reason(),
                        rerun.evidence(),
                        rerun.confidence(),
                        rerun.producedBy(),
                        rerun.causedBy(),
                        rerun.installationId(),
                        rerun.createdAt(),
                        null,
                        null,
                        false));
        runUntil(NOW + 30_000);

        assertThat(harness.extractOutputValues().subList(4, 7))
                .extracting(ActionRecord::actionId)
                .containsExactly("run-7-rerun", "filler-4", "issue-7-label");
    }

    @Test
    void keepsContentCreationTo80PerMinuteWhenWritesAreSpacedCloser() throws Exception {
        reopen(new InstallationRateGovernor(Duration.ofMillis(100), Duration.ofSeconds(3)));
        for (int i = 0; i < 81; i++) {
            // one installation, many repositories: the limit is the token's
            propose(comment("o/repo-" + (i % 7), "c-" + i, 5L));
        }
        runUntil(NOW + 120_000);

        List<ActionRecord> out = harness.extractOutputValues();
        assertThat(out).hasSize(81);
        assertThat(out.get(79).notBefore()).isEqualTo(T0.plusMillis(7_900));
        assertThat(out.get(80).notBefore()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void keepsContentCreationTo500PerHour() throws Exception {
        for (int i = 0; i < InstallationRateGovernor.CONTENT_PER_HOUR + 1; i++) {
            propose(comment("o/a", "c-" + i, 5L));
        }
        runUntil(NOW + Duration.ofMinutes(61).toMillis());

        List<ActionRecord> out = harness.extractOutputValues();
        assertThat(out).hasSize(InstallationRateGovernor.CONTENT_PER_HOUR + 1);
        assertThat(out.get(InstallationRateGovernor.CONTENT_PER_HOUR - 1).notBefore())
                .isEqualTo(at(InstallationRateGovernor.CONTENT_PER_HOUR - 1));
        // the 501st waits until the first comment has left the hour
        assertThat(out.get(InstallationRateGovernor.CONTENT_PER_HOUR).notBefore())
                .isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void keepsInstallationsApart() throws Exception {
        for (int i = 0; i < 80; i++) {
            propose(comment("o/a", "a-" + i, 5L));
        }
        propose(comment("o/b", "b", 6L));

        assertThat(harness.extractOutputValues())
                .filteredOn(a -> a.actionId().equals("b"))
                .singleElement()
                .satisfies(a -> assertThat(a.notBefore()).isEqualTo(T0));
    }

    @Test
    void waitsForTheQuotaResetWhenGitHubReportsFewRequestsLeft() throws Exception {
        Instant reset = T0.plus(Duration.ofMinutes(20));
        harness.processElement(
                new GovernorInput(null, audit("o/a", 12, reset), "installation:5"), NOW);

        propose(comment("o/b", "c", 5L));
        assertThat(harness.extractOutputValues()).isEmpty();
        runUntil(reset.toEpochMilli());

        assertThat(slots()).containsExactly(reset);
    }

    @Test
    void anActionWaitingForItsOwnNotBeforeHoldsUpNoOther() throws Exception {
        Instant backoff = T0.plus(Duration.ofMinutes(10));
        propose(
                label("o/a", 7, "rerun", "ci-retry@1", 5L)
                        .withNotBefore(backoff)); // a re-run's backoff
        propose(label("o/a", 8, "label", TRIAGE, 5L));
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId)
                .containsExactly("label");

        runUntil(backoff.toEpochMilli());
        assertThat(harness.extractOutputValues())
                .extracting(ActionRecord::actionId, ActionRecord::notBefore)
                .containsExactly(tuple("label", T0), tuple("rerun", backoff));
    }

    @Test
    void aDryRunTakesNoSlot() throws Exception {
        for (int i = 0; i < 10; i++) {
            propose(label("o/a", 100 + i, "l-" + i, TRIAGE, 5L));
        }
        propose(label("o/a", 1, "dry", TRIAGE, 5L).asDryRun());

        assertThat(harness.extractOutputValues())
                .filteredOn(a -> a.actionId().equals("dry"))
                .singleElement()
                .satisfies(a -> assertThat(a.notBefore()).isNull());
    }

    @Test
    void dropsAWriteThatGetsNoSlotBeforeItExpires() throws Exception {
        for (int i = 0; i < 20; i++) {
            propose(label("o/a", 100 + i, "l-" + i, TRIAGE, 5L));
        }
        propose(label("o/a", 1, "late", TRIAGE, 5L).withExpiresAt(T0.plusSeconds(10)));
        runUntil(NOW + 60_000);

        assertThat(harness.extractOutputValues())
                .hasSize(20)
                .extracting(ActionRecord::actionId)
                .doesNotContain("late");
        assertThat(governor.drops().count(ActionDrops.Reason.INSTALLATION_LIMIT_EXHAUSTED))
                .isEqualTo(1);
        assertThat(harness.getSideOutput(ActionDrops.AUDITS))
                .extracting(StreamRecord::getValue)
                .singleElement()
                .satisfies(a -> assertThat(a.actionId()).isEqualTo("late"));
        assertThat(harness.getSideOutput(GovernorSignals.TAG))
                .extracting(r -> r.getValue().metric())
                .contains("actions_dropped");
        assertThat(KeyedStates.entries(harness, "installation-queue")).isZero();
    }

    @Test
    void theQueueSurvivesASnapshotAndRestore() throws Exception {
        reopen(secondApart(), new EmbeddedRocksDBStateBackend());
        for (int i = 0; i < 30; i++) {
            propose(label("o/a", 100 + i, "l-" + i, TRIAGE, 5L));
        }
        runUntil(NOW + 10_000);
        List<ActionRecord> before = new ArrayList<>(harness.extractOutputValues());
        OperatorSubtaskState snapshot = harness.snapshot(1, clock);
        harness.close();

        open(secondApart(), snapshot);
        propose(label("o/a", 1, "breach", SLA, 5L));
        runUntil(NOW + 60_000);

        List<ActionRecord> all = new ArrayList<>(before);
        all.addAll(harness.extractOutputValues());
        Set<String> ids = new HashSet<>();
        all.forEach(a -> assertThat(ids.add(a.actionId())).as(a.actionId()).isTrue());
        assertThat(all).hasSize(31);
        assertSlotsASecondApart(all);
        // the breach, proposed after the restore, went before the labels still queued
        assertThat(all.get(before.size()).actionId()).isEqualTo("breach");
        assertThat(KeyedStates.entries(harness, "installation-queue")).isZero();
    }

    @Test
    void releasesEveryQueuedActionWithItsSlotWhenTheInputEnds() throws Exception {
        harness.close();
        governor = secondApart();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new InstallationRateLimitsOperator(governor),
                        (KeySelector<GovernorInput, String>) GovernorInput::installationKey,
                        Types.STRING);
        harness.open();
        harness.setProcessingTime(clock);
        for (int i = 0; i < 10; i++) {
            propose(label("o/a", 100 + i, "l-" + i, TRIAGE, 5L));
        }
        propose(label("o/b", 1, "other-installation", TRIAGE, 6L));
        assertThat(harness.extractOutputValues()).hasSize(5);

        // a bounded job's end or a stop with drain: no timer fires again
        harness.endInput();

        assertThat(harness.extractOutputValues())
                .hasSize(11)
                .filteredOn(a -> a.installationId() == 5L)
                .extracting(ActionRecord::notBefore)
                .containsExactlyElementsOf(secondsFrom(0, 10));
        assertThat(KeyedStates.entries(harness, "installation-queue")).isZero();
    }

    /** Slots a second apart (GitHub's pace, without the default's tenth), released 3 s ahead. */
    private static InstallationRateGovernor secondApart() {
        return new InstallationRateGovernor(Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    private void open(InstallationRateGovernor function, OperatorSubtaskState restore)
            throws Exception {
        governor = function;
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function),
                        (KeySelector<GovernorInput, String>) GovernorInput::installationKey,
                        Types.STRING);
        if (restore != null) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
            harness.initializeState(restore);
        }
        harness.open();
        harness.setProcessingTime(clock);
    }

    private void reopen(InstallationRateGovernor function) throws Exception {
        harness.close();
        open(function, null);
    }

    private void reopen(InstallationRateGovernor function, EmbeddedRocksDBStateBackend backend)
            throws Exception {
        harness.close();
        governor = function;
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function),
                        (KeySelector<GovernorInput, String>) GovernorInput::installationKey,
                        Types.STRING);
        harness.setStateBackend(backend);
        harness.open();
        harness.setProcessingTime(clock);
    }

    /** Moves the processing-time clock to {@code until}, a quarter second at a time. */
    private void runUntil(long until) throws Exception {
        while (clock < until) {
            clock = Math.min(until, clock + 250);
            harness.setProcessingTime(clock);
        }
    }

    private static void assertSlotsASecondApart(List<ActionRecord> out) {
        List<Long> slots = out.stream().map(a -> a.notBefore().toEpochMilli()).toList();
        assertThat(slots).isSorted();
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i) - slots.get(i - 1)).isGreaterThanOrEqualTo(1_000L);
        }
    }

    private void propose(ActionRecord action) throws Exception {
        harness.processElement(GovernorInput.of(action), clock);
    }

    private List<Instant> slots() {
        return harness.extractOutputValues().stream().map(ActionRecord::notBefore).toList();
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static List<Instant> secondsFrom(int first, int count) {
        List<Instant> slots = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            slots.add(at(i));
        }
        return slots;
    }

    private static ActionRecord label(
            String repo, long target, String id, String producedBy, Long installation) {
        return new ActionRecord(
                id,
                repo,
                target,
                ActionType.ADD_LABELS,
                JsonNodeFactory.instance.objectNode(),
                "test",
                List.of(),
                1,
                producedBy,
                List.of("ev"),
                installation,
                T0,
                null,
                null,
                false);
    }

    private static ActionRecord comment(String repo, String id, Long installation) {
        return comment(repo, 1, id, installation);
    }

    private static ActionRecord comment(String repo, long target, String id, Long installation) {
        return new ActionRecord(
                id,
                repo,
                target,
                ActionType.CREATE_COMMENT,
                JsonNodeFactory.instance.objectNode().put("body", "hi"),
                "test",
                List.of(),
                1,
                SLA,
                List.of("ev"),
                installation,
                T0,
                null,
                null,
                false);
    }

    private static AuditRecord audit(String repo, int remaining, Instant reset) {
        return new AuditRecord(
                "audit-1",
                "a-1",
                repo,
                1,
                ActionType.ADD_LABELS,
                AuditOutcome.APPLIED,
                null,
                null,
                200,
                new RateLimit(
                        5000, remaining, 5000 - remaining, reset.getEpochSecond(), "core", null),
                null,
                "triage-label@1",
                List.of(),
                null,
                T0,
                T0);
    }
}
