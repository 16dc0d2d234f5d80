package io.repostream.flink.rules.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The report of a resolved SLA incident (issue 17), as Markdown: what was breached, when it was
 * acknowledged and resolved, how long each took from the breach, and the timeline of events and
 * actions (levels told, acknowledgement, resolution).
 *
 * @param item {@code owner/repo#12}
 * @param incident the incident, its timeline complete
 * @param resolvedAt when it resolved (event time)
 * @param resolvedBecause why: {@code answered} or {@code closed}
 * @param levels how many escalation levels the policy has
 */
public record IncidentReport(
        String item, SlaIncident incident, Instant resolvedAt, String resolvedBecause, int levels) {

    /** From the breach to the acknowledgement; null when nobody acknowledged it. */
    public Duration timeToAcknowledge() {
        return incident.acknowledgedAt() == null
                ? null
                : nonNegative(Duration.between(incident.openedAt(), incident.acknowledgedAt()));
    }

    /** From the breach to the resolution. */
    public Duration timeToResolve() {
        return nonNegative(Duration.between(incident.openedAt(), resolvedAt));
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        Locale.ROOT,
                        "### SLA incident report: %s (%s, %s target)\n\n",
                        item,
                        incident.priority(),
                        incident.kind()));
        md.append("| | |\n|---|---|\n");
        md.append("| breached | ").append(incident.openedAt()).append(" |\n");
        Duration ack = timeToAcknowledge();
        md.append("| acknowledged | ")
                .append(
                        ack == null
                                ? "not acknowledged"
                                : incident.acknowledgedAt()
                                        + " by @"
                                        + incident.acknowledgedBy()
                                        + ", after "
                                        + words(ack))
                .append(" |\n");
        md.append("| resolved | ")
                .append(resolvedAt)
                .append(" (")
                .append(resolvedBecause)
                .append("), after ")
                .append(words(timeToResolve()))
                .append(" |\n");
        md.append("| levels told | ")
                .append(Math.min(incident.level() + 1, Math.max(levels, 1)))
                .append(" of ")
                .append(levels)
                .append(" |\n\n");
        md.append("Timeline:\n\n");
        for (SlaIncident.Step step : incident.timeline()) {
            md.append("- ").append(step.at()).append(": ").append(step.what()).append('\n');
        }
        md.append("- ")
                .append(resolvedAt)
                .append(": resolved (")
                .append(resolvedBecause)
                .append(")\n");
        return md.toString();
    }

    /** {@code 1h 5m}, {@code 5m 30s}, {@code 0s}. */
    static String words(Duration d) {
        long s = d.getSeconds();
        StringBuilder out = new StringBuilder();
        if (s >= 86_400) {
            out.append(s / 86_400).append("d ");
        }
        if (s >= 3_600) {
            out.append(s % 86_400 / 3_600).append("h ");
        }
        if (s >= 60) {
            out.append(s % 3_600 / 60).append("m ");
        }
        if (s % 60 != 0 || s == 0) {
            out.append(s % 60).append("s ");
        }
        return out.toString().trim();
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
