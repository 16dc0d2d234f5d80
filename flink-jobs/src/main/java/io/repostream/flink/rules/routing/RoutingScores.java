package io.repostream.flink.rules.routing;

import io.repostream.flink.rules.routing.RoutingState.Person;
import io.repostream.flink.rules.routing.RoutingState.Weight;
import io.repostream.schemas.Routing;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A candidate's score for one item, each part between 0 and 1, weighted by the policy's weights
 * (divided by their sum):
 *
 * <ul>
 *   <li><b>expertise</b>: the candidate's decayed weight for the item's labels in the repository,
 *       plus a quarter of their weight for any work in it, plus 1 for a user {@code CODEOWNERS}
 *       names; divided by the best candidate's, so the most expert scores 1 (0 for all when nobody
 *       has any).
 *   <li><b>workload</b>: {@code 1 - open / max_open_assignments}, their open assignments and review
 *       requests across the installation.
 *   <li><b>response time</b>: {@code 1 / (1 + median / 1 day)} of their times to first response;
 *       0.5 when none is known yet.
 *   <li><b>availability</b>: 1 inside their working hours (their zone, days and hours; a candidate
 *       the policy does not list, from CODEOWNERS, counts as available), 0.25 outside; halved when
 *       they were seen before but not in the last {@link #RECENT}.
 *   <li><b>performance</b>: the share of their merged pull requests not reverted; 0.5 when they
 *       have none.
 * </ul>
 *
 * <p>Ties go to the login first in alphabetical order, so the choice is the same on every replay.
 */
final class RoutingScores {
    private RoutingScores() {}

    /** Activity older than this halves availability. */
    static final Duration RECENT = Duration.ofDays(30);

    /** One candidate's score, with its parts, as the action's reason and evidence show it. */
    record Score(
            String login,
            double expertise,
            double workload,
            double responseTime,
            double availability,
            double performance,
            double total) {

        /** The breakdown, e.g. {@code @alice 0.78 = expertise 1.00×0.35 + ...}. */
        String explain(Routing.Weights w) {
            return String.format(
                    Locale.ROOT,
                    "@%s %.2f = expertise %.2f×%.2f + workload %.2f×%.2f + response time %.2f×%.2f"
                            + " + availability %.2f×%.2f + performance %.2f×%.2f (weights / %.2f)",
                    login,
                    total,
                    expertise,
                    w.expertise(),
                    workload,
                    w.workload(),
                    responseTime,
                    w.responseTime(),
                    availability,
                    w.availability(),
                    performance,
                    w.performance(),
                    w.sum());
        }
    }

    /**
     * The scores of {@code logins} (lowercase, already eligible) for an item of {@code repo} with
     * {@code labels}, best first.
     */
    static List<Score> rank(
            List<String> logins,
            Map<String, Person> people,
            Routing routing,
            String repo,
            List<String> labels,
            java.util.Set<String> codeowners,
            Instant now) {
        List<double[]> raw = new ArrayList<>();
        double bestExpertise = 0;
        for (String login : logins) {
            Person p = people.getOrDefault(login, new Person());
            double e = expertise(p, repo, labels, routing.expertiseHalfLife(), now);
            if (codeowners.contains(login)) {
                e += 1;
            }
            bestExpertise = Math.max(bestExpertise, e);
            raw.add(
                    new double[] {
                        e,
                        workload(p, routing.maxOpenAssignments()),
                        responseTime(p),
                        availability(routing.candidate(login), p, now),
                        performance(p)
                    });
        }
        Routing.Weights w = routing.weights();
        List<Score> scores = new ArrayList<>();
        for (int i = 0; i < logins.size(); i++) {
            double[] r = raw.get(i);
            double expertise = bestExpertise > 0 ? r[0] / bestExpertise : 0;
            double total =
                    (w.expertise() * expertise
                                    + w.workload() * r[1]
                                    + w.responseTime() * r[2]
                                    + w.availability() * r[3]
                                    + w.performance() * r[4])
                            / w.sum();
            scores.add(new Score(logins.get(i), expertise, r[1], r[2], r[3], r[4], total));
        }
        scores.sort(
                Comparator.comparingDouble(Score::total).reversed().thenComparing(Score::login));
        return scores;
    }

    /** {@code weight} as of {@code now}: halved every {@code halfLife}. */
    static double decayed(Weight weight, Duration halfLife, Instant now) {
        long age = Math.max(0, now.toEpochMilli() - weight.at);
        return weight.value * Math.pow(0.5, (double) age / halfLife.toMillis());
    }

    static double expertise(
            Person p, String repo, List<String> labels, Duration halfLife, Instant now) {
        double e = 0;
        for (String label : labels) {
            Weight w = p.expertise.get(repo + "|label:" + label.toLowerCase(Locale.ROOT));
            if (w != null) {
                e += decayed(w, halfLife, now);
            }
        }
        Weight any = p.expertise.get(repo + "|*");
        if (any != null) {
            e += 0.25 * decayed(any, halfLife, now);
        }
        return e;
    }

    static double workload(Person p, int cap) {
        return Math.max(0, 1 - (double) p.open.size() / cap);
    }

    static double responseTime(Person p) {
        if (p.responses.isEmpty()) {
            return 0.5;
        }
        List<Long> sorted = new ArrayList<>(p.responses);
        sorted.sort(null);
        int n = sorted.size();
        double median =
                n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return 1 / (1 + median / Duration.ofDays(1).toMillis());
    }

    static double availability(Routing.Candidate c, Person p, Instant now) {
        double a = c == null || working(c, now) ? 1 : 0.25;
        if (p.lastActive > 0 && now.toEpochMilli() - p.lastActive > RECENT.toMillis()) {
            a /= 2;
        }
        return a;
    }

    /** Whether {@code now} falls in the candidate's working hours, in their zone. */
    static boolean working(Routing.Candidate c, Instant now) {
        ZonedDateTime local = now.atZone(ZoneId.of(c.timeZone()));
        LocalTime t = local.toLocalTime();
        if (!c.end().isBefore(c.start())) {
            return c.workingDays().contains(local.getDayOfWeek())
                    && !t.isBefore(c.start())
                    && t.isBefore(c.end());
        }
        // hours that cross midnight: the late part belongs to the day they started
        if (!t.isBefore(c.start())) {
            return c.workingDays().contains(local.getDayOfWeek());
        }
        return t.isBefore(c.end()) && c.workingDays().contains(local.getDayOfWeek().minus(1));
    }

    static double performance(Person p) {
        return p.merged == 0 ? 0.5 : Math.max(0, (double) (p.merged - p.reverted) / p.merged);
    }
}
