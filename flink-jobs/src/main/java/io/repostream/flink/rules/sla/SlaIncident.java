package io.repostream.flink.rules.sla;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The open incident of an item whose SLA was breached, while its escalation runs; cleared when it
 * resolves (the item's response or end). Kept in its own keyed state, beside {@link SlaState}, so
 * that state written before escalation existed restores unchanged. Stored as JSON: fields are only
 * added, and one absent from older state reads as null (empty for the timeline).
 *
 * @param kind the breach that opened it: {@code response} or {@code resolution}
 * @param priority the item's priority then, which sets the PagerDuty severity
 * @param openedAt when the breach was due (event time)
 * @param level the escalation level last told, from 0
 * @param nextAt when the next level is told unless acknowledged (an event-time timer); null when
 *     acknowledged or at the last level
 * @param acknowledgedBy who acknowledged it (a maintainer's comment or label); null until then
 * @param acknowledgedAt when (event time); null until then
 * @param timeline what happened to it so far, in order, for its report ({@link IncidentReport})
 */
public record SlaIncident(
        String kind,
        String priority,
        Instant openedAt,
        int level,
        Instant nextAt,
        String acknowledgedBy,
        Instant acknowledgedAt,
        List<Step> timeline) {

    /** One line of an incident's timeline: when (event time) and what. */
    public record Step(Instant at, String what) {}

    public SlaIncident {
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    SlaIncident(String kind, String priority, Instant openedAt) {
        this(kind, priority, openedAt, 0, null, null, null, List.of());
    }

    SlaIncident escalated(int to, Instant next) {
        return new SlaIncident(
                kind, priority, openedAt, to, next, acknowledgedBy, acknowledgedAt, timeline);
    }

    SlaIncident acknowledged(String by, Instant at) {
        return new SlaIncident(kind, priority, openedAt, level, null, by, at, timeline)
                .with(at, "acknowledged by @" + by);
    }

    /** The same incident with {@code what} happened at {@code at} added to its timeline. */
    SlaIncident with(Instant at, String what) {
        List<Step> steps = new ArrayList<>(timeline);
        steps.add(new Step(at, what));
        return new SlaIncident(
                kind, priority, openedAt, level, nextAt, acknowledgedBy, acknowledgedAt, steps);
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
