package io.repostream.flink.rules.sla;

import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Sla;
import io.repostream.schemas.RepoPolicy.SlaTarget;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;

/**
 * When an item's SLA warnings and breaches fall due, under a repository's policy: targets by
 * priority, an optional warning fraction, and clocks that may run in business hours only.
 *
 * <p>Any of them may be null: never due. That is so for warnings when the policy has none, and for
 * a deadline the policy's calendar does not reach (see {@link BusinessClock#plus}) or that lies
 * beyond what a timer can hold; a policy value never makes this throw.
 *
 * @param responseWarn null when the policy has no warning
 * @param responseDue first response is late after this
 * @param resolutionWarn null when the policy has no warning
 * @param resolutionDue resolution is late after this
 */
public record SlaDeadlines(
        Instant responseWarn, Instant responseDue, Instant resolutionWarn, Instant resolutionDue) {

    /** The latest instant an event-time timer can be set for. */
    private static final Instant LATEST_TIMER = Instant.ofEpochMilli(Long.MAX_VALUE);

    /**
     * Deadlines of an item opened at {@code openedAt} with {@code priority}; business-hours clocks
     * come from {@code clocks}, so a policy's clock is built once.
     */
    public static SlaDeadlines of(
            RepoPolicy policy, BusinessClocks clocks, Instant openedAt, String priority) {
        Sla sla = policy.sla();
        SlaTarget target = sla.targets().get(priority);
        if (target == null) {
            target = sla.targets().get(sla.defaultPriority());
        }
        if (target == null) {
            target = Sla.defaults().targets().get("P2");
        }
        BusinessClock clock =
                sla.businessHoursOnly() ? clocks.of(policy.repo(), policy.sla().calendar()) : null;
        double warn = sla.warnFraction();
        return new SlaDeadlines(
                warn > 0 ? warning(clock, openedAt, target.firstResponse(), warn) : null,
                after(clock, openedAt, target.firstResponse()),
                warn > 0 ? warning(clock, openedAt, target.resolution(), warn) : null,
                after(clock, openedAt, target.resolution()));
    }

    /**
     * The most urgent priority that the item's labels map to, else the policy's default. Urgency is
     * the order of the policy's {@code sla.targets} (most urgent first: P0 before P3 by default),
     * so custom names rank as the policy lists them; a priority without a target ranks last.
     */
    public static String priority(RepoPolicy policy, Collection<String> labels) {
        Map<String, String> byLabel = policy.sla().priorityLabels();
        String best = null;
        int bestRank = Integer.MAX_VALUE;
        for (String label : labels) {
            String p = byLabel.get(label);
            if (p == null) {
                continue;
            }
            int rank = rank(policy, p);
            // equal ranks (priorities without targets) by name, so the choice is deterministic
            if (best == null || rank < bestRank || (rank == bestRank && p.compareTo(best) < 0)) {
                best = p;
                bestRank = rank;
            }
        }
        return best == null ? policy.sla().defaultPriority() : best;
    }

    /**
     * Position of {@code priority} among the policy's targets; after all of them if it has none.
     */
    private static int rank(RepoPolicy policy, String priority) {
        int i = 0;
        for (String p : policy.sla().targets().keySet()) {
            if (p.equals(priority)) {
                return i;
            }
            i++;
        }
        return Integer.MAX_VALUE;
    }

    private static Instant warning(
            BusinessClock clock, Instant from, Duration target, double fraction) {
        try {
            return after(clock, from, scale(target, fraction));
        } catch (ArithmeticException e) {
            return null; // a target too long for any clock
        }
    }

    private static Duration scale(Duration d, double fraction) {
        return Duration.ofMillis((long) (d.toMillis() * fraction));
    }

    private static Instant after(BusinessClock clock, Instant from, Duration d) {
        try {
            Instant due = clock == null ? from.plus(d) : clock.plus(from, d);
            if (due == null || due.isAfter(LATEST_TIMER)) {
                return null;
            }
            // timers have millisecond resolution: a deadline between two milliseconds would never
            // be reached by the timer set for it
            return due.truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeException | ArithmeticException e) {
            return null; // a target too long for any clock
        }
    }
}
