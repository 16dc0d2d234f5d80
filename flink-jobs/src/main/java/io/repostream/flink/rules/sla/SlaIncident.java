package io.repostream.flink.rules.sla;

import java.time.Instant;

/**
 * The open incident of an item whose SLA was breached, while its escalation runs; cleared when it
 * resolves (the item's response or end). Kept in its own keyed state, beside {@link SlaState}, so
 * that state written before escalation existed restores unchanged.
 *
 * @param kind the breach that opened it: {@code response} or {@code resolution}
 * @param priority the item's priority then, which sets the PagerDuty severity
 * @param openedAt when the breach was due (event time)
 * @param level the escalation level last told, from 0
 * @param nextAt when the next level is told unless acknowledged (an event-time timer); null when
 *     acknowledged or at the last level
 * @param acknowledgedBy who acknowledged it (a maintainer's comment or label); null until then
 */
public record SlaIncident(
        String kind,
        String priority,
        Instant openedAt,
        int level,
        Instant nextAt,
        String acknowledgedBy) {

    SlaIncident escalated(int to, Instant next) {
        return new SlaIncident(kind, priority, openedAt, to, next, acknowledgedBy);
    }

    SlaIncident acknowledged(String by) {
        return new SlaIncident(kind, priority, openedAt, level, null, by);
    }

    /**
     * PagerDuty's severity of a priority (the Events API accepts critical, error, warning, info):
     * P0 critical, P1 error, P2 warning, anything else info.
     */
    static String severity(String priority) {
        return switch (priority) {
            case "P0" -> "critical";
            case "P1" -> "error";
            case "P2" -> "warning";
            default -> "info";
        };
    }
}
