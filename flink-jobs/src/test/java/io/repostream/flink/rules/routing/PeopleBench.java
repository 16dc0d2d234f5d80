package io.repostream.flink.rules.routing;

import static io.repostream.flink.rules.routing.RoutingEventsFixture.REPO;

import io.repostream.flink.Events;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.flink.rules.lifecycle.LifecycleFunction;
import io.repostream.flink.rules.sla.SlaDeadlineFunction;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.Lifecycle;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.EscalationLevel;
import io.repostream.schemas.RepoPolicy.Sla;
import io.repostream.schemas.Routing;
import io.repostream.schemas.Routing.Candidate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's "Measured": the people rules (routing, SLA escalation, lifecycle) on a composed
 * history of one repository, each event one of GitHub's real example payloads
 * (RoutingEventsFixture), run through the rules' operator harnesses as the job runs them, in
 * event-time order, with the people's reactions to the rules' choices composed as they happen. The
 * shares (issues a day, who answers, how soon, what closes) are this class's assumptions, printed
 * with the result; see flink-jobs/bench/people/README.md. Not a unit test (surefire runs it only
 * when named).
 */
class PeopleBench {
    private static final int WEEKS = Integer.getInteger("bench.weeks", 26);
    private static final int ISSUES_PER_DAY = Integer.getInteger("bench.issuesPerDay", 6);
    private static final long SEED = Long.getLong("bench.seed", 42L);

    private static final List<String> LABELS = List.of("bug", "docs", "ui", "api", "infra");

    /** Each person and the two labels they work on ("infra": nobody's). */
    private static final Map<String, List<String>> PEOPLE =
            Map.of(
                    "alice", List.of("bug", "api"),
                    "bob", List.of("bug", "ui"),
                    "carol", List.of("docs", "ui"),
                    "dave", List.of("api", "docs"),
                    "erin", List.of("bug", "docs"),
                    "frank", List.of("ui", "api"),
                    "grace", List.of("bug", "ui"),
                    "heidi", List.of("api", "docs"));

    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            routing;
    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord> sla;
    private KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            lifecycle;

    private final Random random = new Random(SEED);
    private final PriorityQueue<GitHubEvent> queue =
            new PriorityQueue<>((a, b) -> a.occurredAt().compareTo(b.occurredAt()));
    private final Map<String, Set<String>> workedOn = new HashMap<>();
    private final Map<String, Set<Long>> open = new TreeMap<>();
    private final Map<Long, String> labelOf = new HashMap<>();
    private final Set<Long> closed = new HashSet<>();
    private final Set<Long> answered = new HashSet<>();
    private final Map<Integer, int[]> weeks = new TreeMap<>();
    private int assignments;
    private int assignmentsToWhoWorkedOnIt;
    private int reassignments;
    private double ratioSum;
    private int ratioDays;
    private double worstRatio;

    @Test
    void theMeasuredFiguresOfIssue17() throws Exception {
        RoutingFunction routingFunction = new RoutingFunction();
        routing = RuleHarness.of(Rules.ROUTING, routingFunction);
        sla = RuleHarness.of(Rules.SLA, new SlaDeadlineFunction());
        lifecycle = RuleHarness.of(Rules.LIFECYCLE, new LifecycleFunction());
        List<Candidate> candidates = new ArrayList<>();
        PEOPLE.keySet().stream().sorted().forEach(p -> candidates.add(Candidate.of(p)));
        RepoPolicy policy =
                RepoPolicy.builder(REPO)
                        .actionBudgetPerHour(300)
                        .routing(
                                Routing.builder()
                                        .candidates(candidates)
                                        .codeowners(false)
                                        .reassignOnSlaWarning(true)
                                        .build())
                        .sla(
                                Sla.builder()
                                        .escalationLevels(
                                                List.of(new EscalationLevel("#sla", null, null)))
                                        .build())
                        .lifecycle(Lifecycle.defaults())
                        .updatedAt(Events.T0)
                        .build();
        for (var h : List.of(routing, sla, lifecycle)) {
            h.processBroadcastElement(policy, 0);
        }
        compose();
        long started = System.nanoTime();
        int events = 0;
        Instant day = Events.T0;
        Instant end = Events.T0.plus(Duration.ofDays(7L * WEEKS));
        while (!queue.isEmpty() && queue.peek().occurredAt().isBefore(end)) {
            GitHubEvent e = queue.poll();
            while (!day.isAfter(e.occurredAt())) {
                snapshot();
                day = day.plus(Duration.ofDays(1));
            }
            feed(e);
            events++;
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        report(events, ms, routingFunction);
    }

    /** Merged work (expertise) and new issues, day by day; reactions come as the rules act. */
    private void compose() {
        long pr = 1;
        long issue = 10_000;
        for (int d = 0; d < 7 * WEEKS; d++) {
            Instant day = Events.T0.plus(Duration.ofDays(d));
            for (var p : PEOPLE.entrySet()) {
                if (random.nextInt(3) == 0) { // a merged pull request every three days or so
                    String label = p.getValue().get(random.nextInt(2));
                    queue.add(
                            RoutingEventsFixture.merged(
                                    pr++,
                                    day.plus(Duration.ofMinutes(random.nextInt(24 * 60))),
                                    p.getKey(),
                                    "Work " + pr,
                                    List.of(label)));
                }
            }
            for (int i = 0; i < ISSUES_PER_DAY; i++) {
                String label = LABELS.get(random.nextInt(LABELS.size()));
                Instant at = day.plus(Duration.ofMinutes(random.nextInt(24 * 60)));
                labelOf.put(issue, label);
                queue.add(
                        RoutingEventsFixture.issue(
                                REPO,
                                "opened",
                                issue++,
                                at,
                                "user-" + random.nextInt(500),
                                List.of(label)));
            }
        }
    }

    private void feed(GitHubEvent e) throws Exception {
        if ("pull_request".equals(e.type())) {
            String login = e.payload().path("pull_request").path("user").path("login").asText();
            for (var label : e.payload().path("pull_request").path("labels")) {
                workedOn.computeIfAbsent(login, k -> new HashSet<>())
                        .add(label.path("name").asText());
            }
        }
        long number = e.payload().path("issue").path("number").asLong(0);
        if ("issues".equals(e.type()) && "opened".equals(e.action())) {
            week(e.occurredAt())[0]++;
        }
        if ("issues".equals(e.type()) && "closed".equals(e.action())) {
            if (!closed.add(number)) {
                return;
            }
            open.values().forEach(s -> s.remove(number));
        }
        long at = e.occurredAt().toEpochMilli();
        for (var h : List.of(routing, sla, lifecycle)) {
            h.processElement(e, at);
        }
        sla.watermark(at);
        lifecycle.watermark(at);
        RuleHarness.forward(sla, SlaDeadlineFunction.WARNINGS, routing);
        react(routing, e.occurredAt());
        react(sla, e.occurredAt());
        react(lifecycle, e.occurredAt());
    }

    /** What people do about the rules' actions since the last look. */
    private void react(
            KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord> h,
            Instant now) {
        List<ActionRecord> actions = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        for (ActionRecord a : actions) {
            long n = a.target();
            Instant at = a.createdAt() == null || a.createdAt().isBefore(now) ? now : a.createdAt();
            switch (a.type()) {
                case ADD_ASSIGNEES -> {
                    if (!a.producedBy().equals(RoutingFunction.RULE)) {
                        continue; // the SLA rule's escalate_to: none in this policy
                    }
                    String login = a.params().path("assignees").get(0).asText();
                    assignments++;
                    if (a.actionId().contains(":reassign")) {
                        reassignments++;
                        week(at)[2]++;
                    }
                    week(at)[1]++;
                    if (workedOn.getOrDefault(login, Set.of()).contains(labelOf.get(n))) {
                        assignmentsToWhoWorkedOnIt++;
                    }
                    open.computeIfAbsent(login, k -> new HashSet<>()).add(n);
                    queue.add(RoutingEventsFixture.assigned(REPO, n, at.plusSeconds(1), login));
                    // 75 % answer, after an exponential wait of 3 h on average; of those who
                    // answer, 55 % close the issue 1 to 10 days later; nobody else closes it
                    if (random.nextDouble() < 0.75) {
                        Instant answer =
                                at.plusSeconds(
                                        (long) (-Math.log(1 - random.nextDouble()) * 10_800));
                        queue.add(RoutingEventsFixture.comment(n, answer, login));
                        if (random.nextDouble() < 0.55) {
                            queue.add(
                                    RoutingEventsFixture.issue(
                                            REPO,
                                            "closed",
                                            n,
                                            answer.plus(Duration.ofDays(1 + random.nextInt(10))),
                                            "someone",
                                            List.of(labelOf.get(n))));
                        }
                    }
                }
                case REMOVE_ASSIGNEES ->
                        a.params()
                                .path("assignees")
                                .forEach(
                                        l ->
                                                open.getOrDefault(l.asText(), new HashSet<>())
                                                        .remove(n));
                case NOTIFY_SLACK -> {
                    if (a.actionId().endsWith("-incident:L0:slack")) {
                        week(at)[3]++; // an incident opened: a would-be escalation
                    }
                }
                case CLOSE_ISSUE -> {
                    if (a.producedBy().equals(LifecycleFunction.RULE)) {
                        week(at)[4]++;
                        queue.add(
                                RoutingEventsFixture.issue(
                                        REPO,
                                        "closed",
                                        n,
                                        at.plusSeconds(1),
                                        "someone",
                                        List.of(labelOf.getOrDefault(n, "bug"))));
                    }
                }
                default -> {}
            }
        }
    }

    /** Max/mean open assignments per person today (people with none count, as zero). */
    private void snapshot() {
        int max = 0;
        int sum = 0;
        for (String p : PEOPLE.keySet()) {
            int n = open.getOrDefault(p, Set.of()).size();
            max = Math.max(max, n);
            sum += n;
        }
        if (sum > 0) {
            double ratio = max / (sum / (double) PEOPLE.size());
            ratioSum += ratio;
            ratioDays++;
            worstRatio = Math.max(worstRatio, ratio);
        }
    }

    private int[] week(Instant at) {
        int w = (int) (Duration.between(Events.T0, at).toDays() / 7) + 1;
        return weeks.computeIfAbsent(w, k -> new int[5]);
    }

    private void report(int events, long ms, RoutingFunction function) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "people bench: %d weeks, %d issues/day, %d people, %d events, seed %d, %d"
                                + " ms%n",
                        WEEKS,
                        ISSUES_PER_DAY,
                        PEOPLE.size(),
                        events,
                        SEED,
                        ms));
        out.append(
                String.format(
                        Locale.ROOT,
                        "load balance (max/mean open assignments per person, daily): mean %.2f,"
                                + " worst %.2f%n",
                        ratioSum / Math.max(1, ratioDays),
                        worstRatio));
        out.append(
                String.format(
                        Locale.ROOT,
                        "assignments %d (reassignments at an SLA warning %d), to someone who had"
                                + " merged work with the issue's label: %.3f; no candidate: %d%n",
                        assignments,
                        reassignments,
                        assignmentsToWhoWorkedOnIt / (double) Math.max(1, assignments),
                        function.withoutCandidate()));
        int[] total = new int[5];
        out.append(
                "week | issues opened | assignments | reassignments | escalations | closed by"
                        + " lifecycle\n");
        for (var w : weeks.entrySet()) {
            int[] v = w.getValue();
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%d | %d | %d | %d | %d | %d%n",
                            w.getKey(),
                            v[0],
                            v[1],
                            v[2],
                            v[3],
                            v[4]));
            for (int i = 0; i < 5; i++) {
                total[i] += v[i];
            }
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        "per week (mean of %d): escalations %.1f, lifecycle closures %.1f%n",
                        weeks.size(),
                        total[3] / (double) weeks.size(),
                        total[4] / (double) weeks.size()));
        String text = out.toString();
        System.out.print(text);
        String file = System.getProperty("bench.out");
        if (file != null) {
            Files.writeString(Path.of(file), text);
        }
    }
}
