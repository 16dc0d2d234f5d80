package io.repostream.flink.rules.maintenance;

import static io.repostream.flink.rules.maintenance.RepoEvents.REPO;

import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.Maintenance;
import io.repostream.schemas.Maintenance.DeleteMergedBranches;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/**
 * Where the maintenance rule's windows land, against a fixed nightly cron at 02:00 in the
 * repository's time zone, on four weeks of activity composed from real example payloads
 * (@octokit/webhooks-examples, through {@link RepoEvents}: issue comments by people, completed
 * workflow runs, merged pull requests) for four teams whose hourly rates are this class's
 * assumptions (below, printed with the result); counts per hour are Poisson draws from them.
 *
 * <p>Truth is the activity that happened, not the rule's profile: each hour of the evaluated weeks
 * (the last three: the rule learns during the first) gets the issue's impact from its own counts
 * (weights 0.4 people, 0.3 runs, 0.2 merges, 0.1 issue activity, each kind divided by its busiest
 * hour of those weeks); a window "lands in the lowest-impact quarter" when its hour's impact is at
 * most the 25th percentile of all those hours. The rule runs the one task it has, deleting merged
 * branches; each window's deletions are counted with it. Not a unit test (surefire runs it only
 * when named): {@code bench/maintenance/run.sh}; results in flink-jobs/bench/maintenance/README.md.
 */
class MaintenanceBench {
    private static final long SEED = Long.getLong("bench.seed", 42L);
    private static final LocalDate START = LocalDate.of(2026, 3, 2); // a Monday
    private static final int WEEKS = 4;
    private static final int CRON_HOUR = 2;

    /**
     * A team: its zone, and its expected counts per local hour (people, runs, merges, issue events)
     * as functions of the local time.
     */
    private record Team(
            String name,
            String zone,
            String assumptions,
            ToDoubleFunction<ZonedDateTime> people,
            ToDoubleFunction<ZonedDateTime> runs,
            ToDoubleFunction<ZonedDateTime> merges) {}

    private static boolean weekday(ZonedDateTime t) {
        return t.getDayOfWeek() != DayOfWeek.SATURDAY && t.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    private static boolean between(ZonedDateTime t, int from, int to) {
        return t.getHour() >= from && t.getHour() < to;
    }

    static List<Team> teams() {
        return List.of(
                new Team(
                        "office-berlin",
                        "Europe/Berlin",
                        "weekdays 08-19 four people, evenings 19-23 one; nightly CI of 6 runs at"
                                + " 02:00; merges in office hours",
                        t -> weekday(t) && between(t, 8, 19) ? 4 : between(t, 19, 23) ? 1 : 0,
                        t -> t.getHour() == 2 ? 6 : weekday(t) && between(t, 8, 19) ? 3 : 0,
                        t -> weekday(t) && between(t, 9, 18) ? 0.5 : 0),
                new Team(
                        "follow-the-sun",
                        "UTC",
                        "three sites (UTC-8, UTC, UTC+5:30) cover 03-21 UTC with two people an"
                                + " hour, 21-03 half a person; CI runs with them",
                        t -> between(t, 3, 21) ? 2 : 0.5,
                        t -> between(t, 3, 21) ? 2 : 0.3,
                        t -> between(t, 3, 21) ? 0.3 : 0),
                new Team(
                        "night-releases-new-york",
                        "America/New_York",
                        "weekdays 09-18 three people; releases 01-03 on weekdays with two people"
                                + " and 8 runs an hour; quiet 04-08",
                        t ->
                                weekday(t) && between(t, 9, 18)
                                        ? 3
                                        : weekday(t) && between(t, 1, 3) ? 2 : 0.2,
                        t ->
                                weekday(t) && between(t, 1, 3)
                                        ? 8
                                        : weekday(t) && between(t, 9, 18) ? 2 : 0,
                        t -> weekday(t) && between(t, 1, 3) ? 1 : 0.1),
                new Team(
                        "hobby-tokyo",
                        "Asia/Tokyo",
                        "evenings 19-02 two people, weekends 10-02 three; mornings 03-10 nobody;"
                                + " CI with them",
                        t ->
                                between(t, 19, 24) || between(t, 0, 2)
                                        ? 2
                                        : !weekday(t) && between(t, 10, 19) ? 3 : 0,
                        t -> between(t, 3, 10) ? 0 : 1,
                        t -> between(t, 20, 23) ? 0.2 : 0));
    }

    /** One hour's activity as it happened. */
    private record Hour(ZonedDateTime start, int people, int runs, int merges, int issues) {}

    @Test
    void shareOfWindowsInTheLowestImpactQuarterAgainstANightlyCron() throws Exception {
        Random random = new Random(SEED);
        StringBuilder report = new StringBuilder();
        report.append(
                String.format(
                        Locale.ROOT,
                        "maintenance windows vs a nightly cron at %02d:00 local; %d weeks from %s,"
                                + " the first learned only; seed %d%n",
                        CRON_HOUR,
                        WEEKS,
                        START,
                        SEED));
        int allWindows = 0;
        int allLearnedLow = 0;
        int allCron = 0;
        int allCronLow = 0;
        for (Team team : teams()) {
            ZoneId zone = ZoneId.of(team.zone());
            List<Hour> hours = new ArrayList<>();
            List<GitHubEvent> events = new ArrayList<>();
            int branch = 0;
            ZonedDateTime end = START.plusWeeks(WEEKS).atStartOfDay(zone);
            for (ZonedDateTime h = START.atStartOfDay(zone); h.isBefore(end); h = h.plusHours(1)) {
                int people = poisson(random, team.people().applyAsDouble(h));
                int runs = poisson(random, team.runs().applyAsDouble(h));
                int merges = poisson(random, team.merges().applyAsDouble(h));
                int issues = 0;
                for (int p = 0; p < people; p++) {
                    int comments = 1 + poisson(random, 1);
                    for (int c = 0; c < comments; c++) {
                        events.add(comment("dev" + p, at(h, random)));
                        issues++;
                    }
                }
                for (int r = 0; r < runs; r++) {
                    events.add(RepoEvents.workflowRun("ci-bot[bot]", at(h, random)));
                }
                for (int m = 0; m < merges; m++) {
                    branch++;
                    GitHubEvent merge =
                            RepoEvents.merged(
                                    branch,
                                    "work-" + branch,
                                    String.format(Locale.ROOT, "%040x", branch),
                                    at(h, random));
                    // merged by the merge queue's bot: the truth counts no person for it either
                    ((com.fasterxml.jackson.databind.node.ObjectNode) merge.payload().get("sender"))
                            .put("login", "merge-queue[bot]")
                            .put("type", "Bot");
                    events.add(merge);
                }
                hours.add(new Hour(h, people, runs, merges, issues));
            }
            events.sort((a, b) -> a.occurredAt().compareTo(b.occurredAt()));

            List<Long> windows = new ArrayList<>();
            Map<Long, Integer> deletions = new HashMap<>();
            runRule(team, events, windows, deletions);

            ZonedDateTime evalFrom = START.plusWeeks(1).atStartOfDay(zone);
            List<Hour> evaluated =
                    hours.stream().filter(h -> !h.start().isBefore(evalFrom)).toList();
            Map<Long, Double> impact = impacts(evaluated);
            double[] sorted = impact.values().stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            double q25 = sorted[(sorted.length - 1) / 4];

            int learned = 0;
            int learnedLow = 0;
            int deleted = 0;
            int deletedLow = 0;
            for (long w : windows) {
                Double i = impact.get(w);
                if (i == null) {
                    continue; // a window after the composed weeks
                }
                learned++;
                int d = deletions.getOrDefault(w, 0);
                deleted += d;
                if (i <= q25) {
                    learnedLow++;
                    deletedLow += d;
                }
            }
            java.util.TreeMap<Integer, Integer> windowHours = new java.util.TreeMap<>();
            for (long w : windows) {
                if (impact.containsKey(w)) {
                    windowHours.merge(
                            Instant.ofEpochMilli(w).atZone(zone).getHour(), 1, Integer::sum);
                }
            }
            int cron = 0;
            int cronLow = 0;
            for (Hour h : evaluated) {
                if (h.start().getHour() == CRON_HOUR) {
                    cron++;
                    if (impact.get(h.start().toInstant().toEpochMilli()) <= q25) {
                        cronLow++;
                    }
                }
            }
            allWindows += learned;
            allLearnedLow += learnedLow;
            allCron += cron;
            allCronLow += cronLow;
            report.append(
                    String.format(
                            Locale.ROOT,
                            "%-24s %-17s learned windows in lowest quarter %2d/%2d (%5.1f%%),"
                                    + " their deletions %3d/%3d; cron %2d/%2d (%5.1f%%); q25 impact"
                                    + " %.3f; %d events%n    window local hour: count %s%n"
                                    + "    assumptions: %s%n",
                            team.name(),
                            team.zone(),
                            learnedLow,
                            learned,
                            100.0 * learnedLow / Math.max(1, learned),
                            deletedLow,
                            deleted,
                            cronLow,
                            cron,
                            100.0 * cronLow / Math.max(1, cron),
                            q25,
                            events.size(),
                            windowHours,
                            team.assumptions()));
        }
        report.append(
                String.format(
                        Locale.ROOT,
                        "all teams: learned %d/%d (%.1f%%), cron %d/%d (%.1f%%)%n",
                        allLearnedLow,
                        allWindows,
                        100.0 * allLearnedLow / Math.max(1, allWindows),
                        allCronLow,
                        allCron,
                        100.0 * allCronLow / Math.max(1, allCron)));
        String out = System.getProperty("bench.out");
        if (out != null) {
            Files.writeString(Path.of(out), report.toString());
        }
        System.out.print(report);
    }

    private static void runRule(
            Team team, List<GitHubEvent> events, List<Long> windows, Map<Long, Integer> deletions)
            throws Exception {
        Set<ActionType> enabled = EnumSet.copyOf(RepoPolicy.defaultEnabledActions());
        enabled.add(ActionType.DELETE_REF);
        RepoPolicy policy =
                RepoPolicy.builder(REPO)
                        .enabledActions(enabled)
                        .maintenance(
                                Maintenance.builder()
                                        .timeZone(team.zone())
                                        .deleteMergedBranches(
                                                new DeleteMergedBranches(
                                                        true, Duration.ofDays(1), null, 1000))
                                        .build())
                        .updatedAt(Instant.EPOCH)
                        .build();
        try (var harness = RuleHarness.of(Rules.MAINTENANCE, new MaintenanceFunction())) {
            harness.processBroadcastElement(policy, 0);
            long watermark = Long.MIN_VALUE;
            for (GitHubEvent e : events) {
                long t = e.occurredAt().toEpochMilli();
                if (t - 1 > watermark) {
                    watermark = t - 1;
                    harness.watermark(watermark);
                }
                harness.processElement(e, t);
            }
            harness.watermark(events.get(events.size() - 1).occurredAt().toEpochMilli());
            var signals = harness.getSideOutput(MaintenanceFunction.SIGNALS);
            for (StreamRecord<RepoMetrics> r : signals) {
                if (r.getValue().metric().equals(MaintenanceFunction.WINDOWS_METRIC)) {
                    windows.add(r.getValue().windowStart().toEpochMilli());
                }
            }
            for (ActionRecord a : harness.extractOutputValues()) {
                deletions.merge(a.notBefore().toEpochMilli(), 1, Integer::sum);
            }
        }
    }

    /** The issue's impact of each hour, from its own counts, by the hour's start (epoch ms). */
    private static Map<Long, Double> impacts(List<Hour> hours) {
        double maxP = hours.stream().mapToInt(Hour::people).max().orElse(0);
        double maxR = hours.stream().mapToInt(Hour::runs).max().orElse(0);
        double maxM = hours.stream().mapToInt(Hour::merges).max().orElse(0);
        double maxI = hours.stream().mapToInt(Hour::issues).max().orElse(0);
        Map<Long, Double> impact = new HashMap<>();
        for (Hour h : hours) {
            double i =
                    0.4 * ratio(h.people(), maxP)
                            + 0.3 * ratio(h.runs(), maxR)
                            + 0.2 * ratio(h.merges(), maxM)
                            + 0.1 * ratio(h.issues(), maxI);
            impact.put(h.start().toInstant().toEpochMilli(), i);
        }
        return impact;
    }

    private static double ratio(double v, double max) {
        return max <= 0 ? 0 : v / max;
    }

    private static GitHubEvent comment(String login, Instant at) {
        return RepoEvents.comment(login, at);
    }

    /** A moment within the hour (the first and last minute left out). */
    private static Instant at(ZonedDateTime hour, Random random) {
        return hour.toInstant().plusSeconds(60 + random.nextInt(58 * 60));
    }

    private static int poisson(Random random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
