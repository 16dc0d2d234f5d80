package io.repostream.flink.functions;

import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Sla;
import io.repostream.schemas.RepoPolicy.SlaTarget;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;

/**
 * When an item's SLA warnings and breaches fall due, under a repository's policy: targets by
 * priority, an optional warning fraction, and clocks that may run in business hours only.
 *
 * @param responseWarn null when the policy has no warning
 * @param responseDue first response is late after this
 * @param resolutionWarn null when the policy has no warning
 * @param resolutionDue resolution is late after this
 */
public record SlaDeadlines(
        Instant responseWarn, Instant responseDue, Instant resolutionWarn, Instant resolutionDue) {

    /** Deadlines of an item opened at {@code openedAt} with {@code priority}. */
    public static SlaDeadlines of(RepoPolicy policy, Instant openedAt, String priority) {
        Sla sla = policy.sla();
        SlaTarget target = sla.targets().get(priority);
        if (target == null) {
            target = sla.targets().get(sla.defaultPriority());
        }
        if (target == null) {
            target = Sla.defaults().targets().get("P2");
        }
        BusinessClock clock = sla.businessHoursOnly() ? new BusinessClock(policy.calendar()) : null;
        double warn = sla.warnFraction();
        return new SlaDeadlines(
                warn > 0 ? after(clock, openedAt, scale(target.firstResponse(), warn)) : null,
                after(clock, openedAt, target.firstResponse()),
                warn > 0 ? after(clock, openedAt, scale(target.resolution(), warn)) : null,
                after(clock, openedAt, target.resolution()));
    }

    /**
     * The highest priority (P0 before P3) that the item's labels map to, else the policy's default.
     */
    public static String priority(RepoPolicy policy, Collection<String> labels) {
        String best = null;
        Map<String, String> byLabel = policy.sla().priorityLabels();
        for (String label : labels) {
            String p = byLabel.get(label);
            if (p != null && (best == null || p.compareTo(best) < 0)) {
                best = p;
            }
        }
        return best == null ? policy.sla().defaultPriority() : best;
    }

    private static Duration scale(Duration d, double fraction) {
        return Duration.ofMillis((long) (d.toMillis() * fraction));
    }

    private static Instant after(BusinessClock clock, Instant from, Duration d) {
        Instant due = clock == null ? from.plus(d) : clock.plus(from, d);
        // timers have millisecond resolution: a deadline between two milliseconds would never
        // be reached by the timer set for it
        return due.truncatedTo(ChronoUnit.MILLIS);
    }
}
