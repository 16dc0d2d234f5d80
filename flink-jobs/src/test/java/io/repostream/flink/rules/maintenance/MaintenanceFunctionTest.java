package io.repostream.flink.rules.maintenance;

import static io.repostream.flink.rules.maintenance.RepoEvents.INSTALLATION;
import static io.repostream.flink.rules.maintenance.RepoEvents.REPO;
import static io.repostream.flink.rules.maintenance.RepoEvents.branchEvent;
import static io.repostream.flink.rules.maintenance.RepoEvents.comment;
import static io.repostream.flink.rules.maintenance.RepoEvents.merged;
import static io.repostream.flink.rules.maintenance.RepoEvents.pullRequest;
import static io.repostream.flink.rules.maintenance.RepoEvents.push;
import static io.repostream.flink.rules.maintenance.RepoEvents.workflowRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.KeyedStates;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.Maintenance;
import io.repostream.schemas.Maintenance.DeleteMergedBranches;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.TargetKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The maintenance rule through the operator harness as the job runs it (its section's gate, its
 * declared payload fields), on real example payloads, in simulated days and weeks of event time
 * (watermarks; no sleeps). Branch deletion rows use a fixed window at 03:00 UTC: pull request #34
 * from {@code fix-login} (head {@link #SHA}) merged into main on day 0 at 10:00; {@code after} is 7
 * days, so the first window that may delete it is day 8's. Each row lists the deletions proposed as
 * {@code branch@day}.
 */
class MaintenanceFunctionTest {
    private static final Instant DAY0 = Instant.parse("2026-03-02T00:00:00Z"); // a Monday
    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String OTHER_SHA = "ffac537e6cbbf934b08745a378932722df287a53";

    private static final Maintenance FIXED =
            Maintenance.builder()
                    .window("03:00")
                    .deleteMergedBranches(
                            new DeleteMergedBranches(true, Duration.ofDays(7), null, null))
                    .build();

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness;

    @AfterEach
    void closeHarness() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static Instant day(double d) {
        return DAY0.plus(Duration.ofMinutes(Math.round(d * 24 * 60)));
    }

    /** Day {@code d} at {@code hh:mm} UTC. */
    private static Instant at(int d, int hh, int mm) {
        return DAY0.plus(Duration.ofDays(d)).plus(Duration.ofMinutes(hh * 60L + mm));
    }

    /** Event time has reached {@code at}. */
    private record Watermark(Instant at) {}

    private static Watermark until(int d) {
        return new Watermark(at(d, 23, 59));
    }

    private static final GitHubEvent MERGED = merged(34, "fix-login", SHA, at(0, 10, 0));

    /** The executor's deletion, as GitHub reports it. */
    private static GitHubEvent deletedOn(int d, String branch) {
        return branchEvent("delete", branch, at(d, 3, 10));
    }

    static Stream<Arguments> branches() {
        return Stream.of(
                Arguments.of(
                        "merged over 7 days ago: deleted in the first window after",
                        FIXED,
                        List.of(MERGED, deletedOn(8, "fix-login"), until(10)),
                        List.of("fix-login@8")),
                Arguments.of(
                        "not before 7 days have passed",
                        FIXED,
                        List.of(MERGED, new Watermark(at(8, 2, 59))),
                        List.of()),
                Arguments.of(
                        "deleted by a person before: left alone",
                        FIXED,
                        List.of(MERGED, branchEvent("delete", "fix-login", at(2, 9, 0)), until(10)),
                        List.of()),
                Arguments.of(
                        "deleted in the same push GitHub reports: left alone",
                        FIXED,
                        List.of(MERGED, pushDeleting("fix-login", at(1, 9, 0)), until(10)),
                        List.of()),
                Arguments.of(
                        "created again after our deletion (the undo): not deleted again",
                        FIXED,
                        List.of(
                                MERGED,
                                deletedOn(8, "fix-login"),
                                branchEvent("create", "fix-login", at(8, 5, 0)),
                                until(12)),
                        List.of("fix-login@8")),
                Arguments.of(
                        "pushed to after its merge: kept",
                        FIXED,
                        List.of(MERGED, push("fix-login", OTHER_SHA, at(1, 9, 0)), until(10)),
                        List.of()),
                Arguments.of(
                        "a redelivered push of the merged head changes nothing",
                        FIXED,
                        List.of(
                                MERGED,
                                push("fix-login", SHA, at(1, 9, 0)),
                                deletedOn(8, "fix-login"),
                                until(10)),
                        List.of("fix-login@8")),
                Arguments.of(
                        "a new pull request from the branch: kept",
                        FIXED,
                        List.of(
                                MERGED,
                                pullRequest(
                                        "opened",
                                        35,
                                        "fix-login",
                                        SHA,
                                        REPO,
                                        "main",
                                        false,
                                        at(2, 9, 0)),
                                until(10)),
                        List.of()),
                Arguments.of(
                        "an open pull request into it: kept (deleting a base closes its pull"
                                + " requests)",
                        FIXED,
                        List.of(
                                MERGED,
                                pullRequest(
                                        "opened",
                                        36,
                                        "follow-up",
                                        OTHER_SHA,
                                        REPO,
                                        "fix-login",
                                        false,
                                        at(2, 9, 0)),
                                until(10)),
                        List.of()),
                Arguments.of(
                        "a fork's branch is not ours",
                        FIXED,
                        List.of(
                                pullRequest(
                                        "closed",
                                        34,
                                        "fix-login",
                                        SHA,
                                        "someone/widgets",
                                        "main",
                                        true,
                                        at(0, 10, 0)),
                                until(10)),
                        List.of()),
                Arguments.of(
                        "closed without a merge: kept",
                        FIXED,
                        List.of(
                                pullRequest(
                                        "closed",
                                        34,
                                        "fix-login",
                                        SHA,
                                        REPO,
                                        "main",
                                        false,
                                        at(0, 10, 0)),
                                until(10)),
                        List.of()),
                Arguments.of(
                        "the default branch is never deleted",
                        FIXED,
                        List.of(
                                pullRequest(
                                        "closed",
                                        34,
                                        "main",
                                        SHA,
                                        REPO,
                                        "release/2.0",
                                        true,
                                        at(0, 10, 0)),
                                until(10)),
                        List.of()),
                Arguments.of(
                        "keep names it (release/** by default)",
                        FIXED,
                        List.of(merged(34, "release/1.x", SHA, at(0, 10, 0)), until(10)),
                        List.of()),
                Arguments.of(
                        "its deletion never seen: proposed in three windows, then forgotten",
                        FIXED,
                        List.of(MERGED, until(14)),
                        List.of("fix-login@8", "fix-login@9", "fix-login@10")),
                Arguments.of(
                        "at most max_per_window a window, oldest merges first",
                        FIXED.toBuilder()
                                .deleteMergedBranches(
                                        new DeleteMergedBranches(true, Duration.ofDays(7), null, 2))
                                .build(),
                        List.of(
                                merged(40, "c", OTHER_SHA, at(0, 12, 0)),
                                merged(41, "a", SHA, at(0, 10, 0)),
                                merged(42, "b", SHA, at(0, 11, 0)),
                                deletedOn(8, "a"),
                                deletedOn(8, "b"),
                                deletedOn(9, "c"),
                                until(10)),
                        List.of("a@8", "b@8", "c@9")),
                Arguments.of(
                        "the task not enabled: nothing",
                        Maintenance.builder().window("03:00").build(),
                        List.of(MERGED, until(10)),
                        List.of()));
    }

    private static GitHubEvent pushDeleting(String branch, Instant at) {
        GitHubEvent e = push(branch, "0000000000000000000000000000000000000000", at);
        ((com.fasterxml.jackson.databind.node.ObjectNode) e.payload()).put("deleted", true);
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("branches")
    void deletesMergedBranchesInTheWindow(
            String name, Maintenance m, List<Object> steps, List<String> expected)
            throws Exception {
        harness = harness(policy(m));

        run(steps);

        assertThat(deletions(harness.extractOutputValues())).isEqualTo(expected);
    }

    @Test
    void theDeletionCarriesItsWindowAndTheShaItsUndoRecreates() throws Exception {
        harness = harness(policy(FIXED));

        run(List.of(MERGED, new Watermark(at(8, 3, 0))));

        List<ActionRecord> actions = harness.extractOutputValues();
        assertThat(actions).hasSize(1);
        ActionRecord delete = actions.get(0);
        assertThat(delete.type()).isEqualTo(ActionType.DELETE_REF);
        assertThat(delete.typedTarget().kind()).isEqualTo(TargetKind.REF);
        assertThat(delete.typedTarget().id()).isEqualTo("refs/heads/fix-login");
        assertThat(delete.actionId())
                .isEqualTo(
                        "maintenance@1:octo-org/widgets:delete-branch:fix-login@"
                                + SHA
                                + ":2026-03-10T03:00:00Z");
        assertThat(delete.producedBy()).isEqualTo("maintenance@1");
        assertThat(delete.installationId()).isEqualTo(INSTALLATION);
        assertThat(delete.notBefore()).isEqualTo(at(8, 3, 0));
        assertThat(delete.expiresAt()).isEqualTo(at(8, 4, 0));
        assertThat(delete.params().path("sha").asText()).isEqualTo(SHA);
        assertThat(delete.causedBy()).containsExactly(MERGED.eventId());
        assertThat(delete.reason())
                .isEqualTo(
                        "maintenance window of octo-org/widgets: delete branch fix-login, merged"
                                + " in #34 7 days ago");
        assertThat(delete.evidence())
                .containsExactly(
                        "window: Tue 2026-03-10 03:00 +00:00 to 04:00 UTC (hour of the week tue-03)",
                        "fixed window 03:00 of the day 2026-03-10; profile still learning",
                        "branch fix-login at "
                                + SHA
                                + ": octo-org/widgets#34 from it merged 2026-03-02T10:00:00Z (7"
                                + " days before the window; after: 7 days)");
        assertThat(delete.dryRun()).isFalse();
    }

    @Test
    void inShadowModeTheDeletionIsADryRun() throws Exception {
        harness = harness(policy(FIXED.toBuilder().mode(Mode.SHADOW).build()));

        run(List.of(MERGED, new Watermark(at(8, 3, 0))));

        assertThat(harness.extractOutputValues()).hasSize(1).allMatch(ActionRecord::dryRun);
    }

    @Test
    void withThePolicysDryRunTheDeletionIsADryRun() throws Exception {
        harness = harness(policy(FIXED).toBuilder().dryRun(true).build());

        run(List.of(MERGED, new Watermark(at(8, 3, 0))));

        assertThat(harness.extractOutputValues()).hasSize(1).allMatch(ActionRecord::dryRun);
    }

    @Test
    void aRepositoryWhosePolicyHasNoMaintenanceSectionIsLeftAlone() throws Exception {
        harness = harness(RepoPolicy.builder(REPO).updatedAt(DAY0).build());

        run(List.of(MERGED, until(10)));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(KeyedStates.entries(harness, STATES)).isZero();
    }

    @Test
    void turningTheSectionOffClearsTheRepositorysStateAndTimers() throws Exception {
        harness = harness(policy(FIXED));
        run(List.of(MERGED, until(1)));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processBroadcastElement(
                RepoPolicy.builder(REPO).updatedAt(day(2)).build(), day(2).toEpochMilli());
        run(List.of(until(12)));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(KeyedStates.entries(harness, STATES)).isZero();
    }

    /** A bounded input ends with the last watermark: the window then due runs, and no other. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void theEndOfABoundedInputPlansNoFurtherWindow() throws Exception {
        harness = harness(policy(FIXED));
        run(List.of(MERGED));

        harness.watermark(Long.MAX_VALUE);

        assertThat(deletions(harness.extractOutputValues())).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * Two weeks of a team in UTC: three people comment every hour, and CI runs, except at 04:00,
     * when only a bot comments. The profile is ready after a week (a look each midnight until
     * then); from then on each day's window is at 04:00, and the branch merged on day 0 is deleted
     * in day 8's.
     */
    @Test
    void learnsTheQuietestHourFromTheRepositorysActivityAndRunsTheTasksThere() throws Exception {
        Maintenance learned =
                Maintenance.builder()
                        .deleteMergedBranches(
                                new DeleteMergedBranches(true, Duration.ofDays(7), null, null))
                        .build();
        harness = harness(policy(learned));
        List<Object> steps = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            for (int h = 0; h < 24; h++) {
                if (h == 4) {
                    steps.add(comment("dependabot[bot]", at(d, h, 5)));
                    continue;
                }
                for (String login : List.of("ana", "bo", "cy")) {
                    steps.add(comment(login, at(d, h, 10)));
                }
                steps.add(workflowRun("ana", at(d, h, 20)));
                if (d == 0 && h == 10) {
                    steps.add(MERGED);
                }
                if (d == 8 && h == 5) {
                    steps.add(branchEvent("delete", "fix-login", at(d, h, 0)));
                }
            }
        }
        run(steps);

        List<Instant> windows = new ArrayList<>();
        List<RepoMetrics> profile = new ArrayList<>();
        for (StreamRecord<RepoMetrics> r : harness.getSideOutput(MaintenanceFunction.SIGNALS)) {
            if (r.getValue().metric().equals(MaintenanceFunction.WINDOWS_METRIC)) {
                windows.add(r.getValue().windowStart());
            } else if (r.getValue().windowStart().equals(at(7, 4, 0))) {
                profile.add(r.getValue());
            }
        }
        assertThat(windows).containsExactly(at(7, 4, 0), at(8, 4, 0), at(9, 4, 0));
        assertThat(profile).hasSize(168);
        assertThat(profile)
                .filteredOn(p -> p.labels().get("hour_of_week").endsWith("-04"))
                .extracting(RepoMetrics::value)
                .containsOnly(0.0);
        List<ActionRecord> actions = harness.extractOutputValues();
        assertThat(deletions(actions)).containsExactly("fix-login@8");
        assertThat(actions.get(0).notBefore()).isEqualTo(at(8, 4, 0));
        assertThat(actions.get(0).evidence())
                .contains("choice: lowest-impact hour of the day 2026-03-10")
                .anyMatch(l -> l.startsWith("impact 0.000, rank 1 of 168 hours of the week"));
        // one timer: the next window
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    private static final String[] STATES = {
        "maintenance-profile",
        "maintenance-plan",
        "maintenance-default-branch",
        "maintenance-installation",
        "maintenance-merged-branches",
        "maintenance-open-pulls"
    };

    private static RepoPolicy policy(Maintenance m) {
        Set<ActionType> enabled = EnumSet.copyOf(RepoPolicy.defaultEnabledActions());
        enabled.add(ActionType.DELETE_REF);
        return RepoPolicy.builder(REPO)
                .enabledActions(enabled)
                .maintenance(m)
                .updatedAt(DAY0)
                .build();
    }

    private static KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            harness(RepoPolicy policy) throws Exception {
        var h = RuleHarness.of(Rules.MAINTENANCE, new MaintenanceFunction());
        h.processBroadcastElement(policy, 0);
        return h;
    }

    /**
     * Events in order of event time, each after the watermark has reached just before it (what came
     * before is in), so a window due before an event runs before the event is read.
     */
    private void run(List<Object> steps) throws Exception {
        for (Object step : steps) {
            if (step instanceof Watermark w) {
                watermark(w.at().toEpochMilli());
            } else {
                GitHubEvent e = (GitHubEvent) step;
                watermark(e.occurredAt().toEpochMilli() - 1);
                harness.processElement(e, e.occurredAt().toEpochMilli());
            }
        }
    }

    private long watermark = Long.MIN_VALUE;

    private void watermark(long at) throws Exception {
        if (at > watermark) {
            watermark = at;
            harness.watermark(at);
        }
    }

    /** {@code branch@day} of each deletion proposed. */
    private static List<String> deletions(List<ActionRecord> actions) {
        List<String> out = new ArrayList<>();
        for (ActionRecord a : actions) {
            assertThat(a.type()).isEqualTo(ActionType.DELETE_REF);
            String branch = a.typedTarget().id().substring("refs/heads/".length());
            out.add(branch + "@" + Duration.between(DAY0, a.notBefore()).toDays());
        }
        return out;
    }
}
