package io.repostream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.json.Json;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One fully populated, valid record of every type, for table-driven tests. */
final class SampleRecords {
    static final Instant T0 = Instant.parse("2026-11-21T10:15:30Z");

    private SampleRecords() {}

    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static GitHubEvent event() {
        return new GitHubEvent(
                "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                EventSource.WEBHOOK,
                "issues",
                "opened",
                "Octo-Org/Hello-World",
                "octo-org",
                2L,
                T0,
                T0.plusMillis(250),
                json(
                        "{\"action\":\"opened\",\"issue\":{\"number\":12,\"score\":1.50},\"repository\":{\"full_name\":\"Octo-Org/Hello-World\"}}"));
    }

    static ActionRecord action() {
        ObjectNode params = Json.mapper().createObjectNode();
        params.putArray("labels").add("needs-triage");
        return new ActionRecord(
                "triage-label@1:octo-org/hello-world#12",
                "octo-org/hello-world",
                12,
                ActionType.ADD_LABELS,
                params,
                "issue opened without labels",
                List.of("event 72d3162e"),
                1.0,
                "triage-label@1",
                List.of("72d3162e-cc78-11e3-81ab-4c9367dc0958"),
                2L,
                T0,
                T0.plusSeconds(1),
                T0.plusSeconds(3600),
                false);
    }

    /** A re-run with its run written as {@code typed_target}, as the CI retry rule may write it. */
    static ActionRecord actionOnARun() {
        return new ActionRecord(
                        "ci-retry@1:octo-org/hello-world:run-30433642:attempt-2",
                        "octo-org/hello-world",
                        30433642,
                        ActionType.RERUN_FAILED_JOBS,
                        null,
                        "run 30433642 failed (flaky)",
                        List.of(),
                        0.8,
                        "ci-retry@1",
                        List.of("72d3162e-cc78-11e3-81ab-4c9367dc0958"),
                        2L,
                        T0,
                        null,
                        null,
                        false)
                .withTypedTarget(TypedTarget.workflowRun(30433642));
    }

    /** An action on a target without a number (a ref): target is then derived from it. */
    static ActionRecord actionOnARef() {
        return action().withTypedTarget(TypedTarget.ref("refs/heads/main"));
    }

    static TargetState state() {
        return new TargetState(
                "issue",
                "open",
                null,
                List.of("bug"),
                List.of("octocat"),
                List.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                T0);
    }

    static Snapshot snapshot() {
        return new Snapshot(
                "triage-label@1:octo-org/hello-world#12",
                "octo-org/hello-world",
                12,
                ActionType.ADD_LABELS,
                "triage-label@1",
                T0,
                state());
    }

    /**
     * A snapshot of an action on a run written as {@code typed_target}, as the executor writes it.
     */
    static Snapshot snapshotOnARun() {
        return snapshot().withTypedTarget(TypedTarget.workflowRun(30433642));
    }

    /**
     * The audit of an action on a ref: target is derived from the typed target, as the action's.
     */
    static AuditRecord auditOnARef() {
        return audit().withTypedTarget(TypedTarget.ref("refs/heads/main"));
    }

    static AuditRecord audit() {
        return new AuditRecord(
                "triage-label@1:octo-org/hello-world#12/apply",
                "triage-label@1:octo-org/hello-world#12",
                "octo-org/hello-world",
                12,
                ActionType.ADD_LABELS,
                AuditOutcome.APPLIED,
                state(),
                TargetState.issue("open", List.of("bug", "needs-triage"), List.of("octocat")),
                200,
                new RateLimit(5000, 4999, 1, 1763720130L, "core", null),
                null,
                "triage-label@1",
                List.of("72d3162e-cc78-11e3-81ab-4c9367dc0958"),
                new ActionMetadata(1.0, "issue opened without labels", List.of("event 72d3162e")),
                T0,
                T0.plusMillis(42));
    }

    static RepoPolicy policy() {
        return RepoPolicy.builder("octo-org/hello-world")
                .enabledActions(Set.of(ActionType.ADD_LABELS, ActionType.CREATE_COMMENT))
                .dryRun(true)
                .actionBudgetPerHour(120)
                .ignoreUsers(List.of("dependabot[bot]"))
                .updatedAt(T0)
                .triage(new RepoPolicy.Triage(RepoPolicy.Mode.SHADOW, "triage"))
                .sla(
                        RepoPolicy.Sla.builder()
                                .targets(
                                        Map.of(
                                                "P0",
                                                new RepoPolicy.SlaTarget(
                                                        Duration.ofMinutes(5),
                                                        Duration.ofHours(4))))
                                .priorityLabels(Map.of("priority/critical", "P0"))
                                .defaultPriority("P0")
                                .warnFraction(0.8)
                                .businessHoursOnly(true)
                                .escalateTo(List.of("octo-lead"))
                                .escalationLevels(
                                        List.of(
                                                new RepoPolicy.EscalationLevel(
                                                        "#sla-oncall",
                                                        "team-oncall",
                                                        Duration.ofMinutes(30))))
                                .calendar(
                                        new RepoPolicy.BusinessCalendar(
                                                "Europe/Berlin",
                                                List.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                                                LocalTime.of(9, 0),
                                                LocalTime.of(17, 30),
                                                List.of(LocalDate.of(2026, 12, 25))))
                                .build())
                .ci(
                        RepoPolicy.Ci.builder()
                                .failurePatterns(
                                        Map.of(
                                                "transient",
                                                List.of("(?i)timed out", "runner.*lost")))
                                .retry(
                                        new RepoPolicy.Retry(
                                                4, Duration.ofSeconds(30), Duration.ofMinutes(10)))
                                .risk(new RepoPolicy.CiRisk(0.2, 0.6, 0.9, true))
                                .build())
                .build();
    }

    static Prediction prediction() {
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("hour_of_day", 10.0);
        features.put("run_attempt", 1.0);
        return new Prediction(
                "ci-success:octo-org/hello-world:workflow_run:30433642",
                "octo-org/hello-world",
                "workflow_run",
                30433642,
                "acb5820ced9479c074f688cc328bf03f341a511d",
                0.93,
                RiskLevel.LOW,
                "20261121T100000Z-3f2a",
                features,
                T0,
                T0.plusMillis(5),
                List.of("72d3162e-cc78-11e3-81ab-4c9367dc0958"));
    }

    static TrainingExample trainingExample() {
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("hour_of_day", 10.0);
        features.put("prev_failed", 0.0);
        return new TrainingExample(
                "octo-org/hello-world:workflow_run:30433642",
                "octo-org/hello-world",
                "workflow_run",
                30433642,
                "ci-features@1",
                features,
                false,
                "failure",
                T0,
                T0.plusSeconds(600));
    }

    static ModelVersion model() {
        return new ModelVersion(
                "ci-success",
                "20261121T100000Z-3f2a",
                T0,
                "dl4j-multilayer-zip",
                "ci-features@1",
                List.of("hour_of_day", "prev_failed"),
                List.of(11.5, 0.2),
                List.of(6.9, 0.4),
                "UEsDBBQAAAAIAA==",
                "3f2a9c0d6e1b4a5f8c7d2e9b0a1f3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
                Map.of("roc_auc", 0.91),
                "travistorrent 3 projects, 4549 builds",
                false);
    }

    static ExecutorControl control() {
        return new ExecutorControl(true, "rule triage-label@1 misbehaves", "alice", T0);
    }

    static RepoMetrics metrics() {
        return new RepoMetrics(
                "octo-org/hello-world",
                "events_total",
                Map.of("type", "issues"),
                42,
                T0,
                T0.plusSeconds(60));
    }

    static DeadLetter deadLetter() {
        return new DeadLetter(
                "malformed JSON: Unexpected end-of-input",
                "webhook",
                "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                "issues",
                Map.of("x-github-event", "issues"),
                "{\"action\":",
                T0);
    }

    static MergeQueueState mergeQueue() {
        return new MergeQueueState(
                "octo-org/hello-world",
                "main",
                "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0",
                null,
                java.util.List.of(
                        new MergeQueueState.PullRequest(
                                12,
                                "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
                                "normal",
                                "testing",
                                0,
                                false,
                                T0),
                        new MergeQueueState.PullRequest(
                                14,
                                "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
                                "emergency",
                                "waiting",
                                1,
                                false,
                                T0.plusSeconds(30))),
                java.util.List.of(
                        new MergeQueueState.Candidate(
                                3,
                                "testing",
                                java.util.List.of(12L),
                                "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1")),
                java.util.List.of(new MergeQueueState.Change("queued", 14, "emergency")),
                T0.plusSeconds(30));
    }
}
