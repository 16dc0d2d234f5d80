package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A policy field left out means its default, the same one {@link RepoPolicy#defaults(String)} has
 * and the JSON Schema documents, for every field (found from the record, so a new field or section
 * is covered by these tests as it is added), in both forms: sectioned ({@code policy_version: 2},
 * where a section left out turns its rule off) and flat (every policy written before sections).
 */
class RepoPolicyDefaultsTest {
    private static final String REPO = "octo-org/hello-world";

    /** The lifecycle section with every field set, in both samples. */
    private static final String LIFECYCLE =
            """
            {
              "mode": "shadow",
              "stale_after": "60d",
              "rotten_after": "P14D",
              "close_after": "7d",
              "business_days": true,
              "calendar": {"time_zone": "America/New_York", "working_days": ["TUESDAY"],
                "start": "08:00", "end": "16:00", "holidays": ["2026-07-03"]},
              "stale_label": "stale",
              "rotten_label": "rotten",
              "exempt_labels": ["pinned"],
              "exempt_milestones": ["v2.0"],
              "exempt_all_milestones": true,
              "exempt_assigned": true,
              "exempt_drafts": true,
              "bots": ["release-helper"],
              "awaiting_response": {
                "label": "needs-info",
                "close_after": "3d",
                "comment": "No answer: closed."
              }
            }
            """
                    .strip();

    /** The routing section with every field set, in both samples. */
    private static final String ROUTING =
            """
            {
              "mode": "shadow",
              "candidates": [{"login": "octo-reviewer", "time_zone": "Asia/Tokyo",
                "working_days": ["MONDAY"], "start": "10:00", "end": "18:00"}],
              "weights": {"expertise": 0.5, "workload": 0.2, "response_time": 0.1,
                "availability": 0.1, "performance": 0.1},
              "max_open_assignments": 3,
              "assign_issues": false,
              "request_reviewers": false,
              "codeowners": false,
              "expertise_half_life": "30d",
              "reassign_on_sla_warning": true
            }
            """
                    .strip();

    /** The completion section with every field set, in both samples. */
    private static final String COMPLETION =
            """
            {
              "mode": "shadow",
              "close_at": 0.95,
              "suggest_at": 0.5,
              "suggest_label": "maybe-done",
              "branches": ["release/*"],
              "weak_link_factor": 0.4,
              "decide_after": "PT2H",
              "feature_labels": ["type: feature"],
              "weights": {
                "merged": 0.5,
                "checks_green": 0.3,
                "tests_touched": 0.1,
                "docs_touched": 0.2,
                "all_linked_merged": 0.05,
                "no_objection": 0.25
              }
            }
            """
                    .strip();

    /** The maintenance section with every field set, in both samples. */
    private static final String MAINTENANCE =
            """
            {
              "mode": "shadow",
              "time_zone": "Europe/Berlin",
              "holidays": ["2026-12-24"],
              "cadence": "weekly",
              "window": "sunday 03:00",
              "half_life": "P14D",
              "weights": {
                "active_people": 0.5,
                "workflow_runs": 0.2,
                "pr_merges": 0.1,
                "issue_activity": 0.2
              },
              "delete_merged_branches": {
                "enabled": true,
                "after": "P3D",
                "keep": ["stable/*"],
                "max_per_window": 5
              }
            }
            """
                    .strip();

    /** A sectioned policy that sets every field to something other than its default. */
    static final String EVERY_SECTION_FIELD_SET =
            """
            {
              "repo": "octo-org/hello-world",
              "policy_version": 2,
              "enabled_actions": ["add_labels", "merge_pull_request"],
              "dry_run": true,
              "action_budget_per_hour": 120,
              "ignore_users": ["dependabot[bot]"],
              "updated_at": "2026-11-21T10:15:30Z",
              "triage": {"mode": "shadow", "label": "triage"},
              "commands": {"mode": "shadow"},
              "merge_queue": {
                "mode": "shadow",
                "branches": [{"pattern": "main", "required_checks": ["build"], "min_approvals": 2}]
              },
              "lifecycle": LIFECYCLE,
              "routing": ROUTING,
              "completion": COMPLETION,
              "maintenance": MAINTENANCE,
              "sla": {
                "mode": "shadow",
                "targets": {"P0": {"first_response": "PT10M", "resolution": "PT8H"}},
                "priority_labels": {"sev/critical": "P0"},
                "default_priority": "P1",
                "warn_fraction": 0.5,
                "business_hours_only": true,
                "escalate_to": ["octo-lead"],
                "escalation_levels": [{"slack_channel": "#sla-oncall",
                  "pagerduty_routing_key": "team-oncall", "wait": "PT30M"}],
                "incident_report_comment": true,
                "calendar": {
                  "time_zone": "Europe/Berlin",
                  "working_days": ["MONDAY", "FRIDAY"],
                  "start": "09:00",
                  "end": "17:30",
                  "holidays": ["2026-12-25"]
                }
              },
              "ci": {
                "mode": "shadow",
                "failure_patterns": {"transient": ["(?i)timed out"]},
                "retry": {"max_attempts": 4, "base_delay": "PT30S", "max_delay": "PT10M"},
                "risk": {"medium": 0.2, "high": 0.6, "critical": 0.9, "label_high_risk": true},
                "read_logs": true,
                "log_wait": "PT5M"
              }
            }
            """
                    .replace("LIFECYCLE", LIFECYCLE)
                    .replace("ROUTING", ROUTING)
                    .replace("COMPLETION", COMPLETION)
                    .replace("MAINTENANCE", MAINTENANCE);

    /** A flat policy (as written before sections) that sets every field to a non-default. */
    static final String EVERY_FIELD_SET =
            """
            {
              "repo": "octo-org/hello-world",
              "triage_label": "triage",
              "commands": {"mode": "shadow"},
              "merge_queue": {
                "mode": "shadow",
                "branches": [{"pattern": "main", "required_checks": ["build"], "min_approvals": 2}]
              },
              "lifecycle": LIFECYCLE,
              "routing": ROUTING,
              "completion": COMPLETION,
              "maintenance": MAINTENANCE,
              "enabled_actions": ["add_labels", "merge_pull_request"],
              "dry_run": true,
              "action_budget_per_hour": 120,
              "sla": {
                "targets": {"P0": {"first_response": "PT10M", "resolution": "PT8H"}},
                "priority_labels": {"sev/critical": "P0"},
                "default_priority": "P1",
                "warn_fraction": 0.5,
                "business_hours_only": true,
                "escalate_to": ["octo-lead"],
                "escalation_levels": [{"slack_channel": "#sla-oncall",
                  "pagerduty_routing_key": "team-oncall", "wait": "PT30M"}],
                "incident_report_comment": true
              },
              "calendar": {
                "time_zone": "Europe/Berlin",
                "working_days": ["MONDAY", "FRIDAY"],
                "start": "09:00",
                "end": "17:30",
                "holidays": ["2026-12-25"]
              },
              "ignore_users": ["dependabot[bot]"],
              "failure_patterns": {"transient": ["(?i)timed out"]},
              "retry": {"max_attempts": 4, "base_delay": "PT30S", "max_delay": "PT10M"},
              "updated_at": "2026-11-21T10:15:30Z",
              "ci_risk": {"medium": 0.2, "high": 0.6, "critical": 0.9, "label_high_risk": true},
              "ci": {"read_logs": true, "log_wait": "PT5M"}
            }
            """
                    .replace("LIFECYCLE", LIFECYCLE)
                    .replace("ROUTING", ROUTING)
                    .replace("COMPLETION", COMPLETION)
                    .replace("MAINTENANCE", MAINTENANCE);

    private static final JsonNode SCHEMA = Topics.CONFIG.valueCodec().schema().document();

    /** A section left out of a sectioned policy: its rule off, its fields at their defaults. */
    private static final Map<String, Object> ABSENT_SECTIONS =
            Map.of(
                    "triage", RepoPolicy.Triage.off(),
                    "sla", RepoPolicy.Sla.off(),
                    "ci", RepoPolicy.Ci.off(),
                    "commands", RepoPolicy.Commands.off(),
                    "merge_queue", MergeQueue.off(),
                    "lifecycle", Lifecycle.off(),
                    "routing", Routing.off(),
                    "completion", Completion.off(),
                    "maintenance", Maintenance.off());

    /**
     * Sections off by default in every form (those of features that came after sections): their
     * documented defaults are those of the section when present, e.g. {@code commands.mode} on.
     */
    private static final Map<String, Object> DEFAULTS_WHEN_PRESENT =
            Map.of(
                    "commands.mode",
                    RepoPolicy.Mode.ON,
                    "merge_queue.mode",
                    RepoPolicy.Mode.ON,
                    "lifecycle.mode",
                    RepoPolicy.Mode.ON,
                    "routing.mode",
                    RepoPolicy.Mode.ON,
                    "completion.mode",
                    RepoPolicy.Mode.ON,
                    "maintenance.mode",
                    RepoPolicy.Mode.ON);

    static Stream<String> fieldsWithDefaults() {
        return PolicyFields.ofRecord(RepoPolicy.class).stream().filter(p -> !p.equals("repo"));
    }

    /** The fields of the flat form: those of the schema as first released. */
    static Stream<String> flatFieldsWithDefaults() {
        // sla's fields are each covered; left out as a whole, it still has the flat calendar
        return PolicyFields.ofSchema(RepoPolicyCompatibilityTest.releasedDocument()).stream()
                .filter(p -> !p.equals("repo") && !p.equals("sla"));
    }

    private static RepoPolicy decode(JsonNode tree) {
        return Topics.CONFIG
                .valueSerde()
                .deserialize(
                        Topics.CONFIG.name(), tree.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode tree(String json) throws Exception {
        return (ObjectNode) Json.mapper().readTree(json);
    }

    @Test
    void theSchemaDescribesEveryFieldOfTheRecordTheFlatFormAndNoOther() {
        List<String> expected = new ArrayList<>(PolicyFields.ofRecord(RepoPolicy.class));
        expected.add("policy_version");
        PolicyFields.ofSchema(SCHEMA).stream().filter(PolicyFields::flat).forEach(expected::add);

        assertThat(PolicyFields.ofSchema(SCHEMA)).containsExactlyInAnyOrderElementsOf(expected);
        // each flat field has the same fields as the section field it is read into
        for (String flat : PolicyFields.FLAT.keySet()) {
            assertThat(PolicyFields.schemaAt(SCHEMA, flat).path("properties").toString())
                    .as(flat)
                    .isEqualTo(
                            PolicyFields.schemaAt(SCHEMA, PolicyFields.sectionPath(flat))
                                    .path("properties")
                                    .toString());
        }
    }

    @Test
    void theSchemaDocumentsADefaultForEveryFieldButTheRepo() {
        List<String> without = new ArrayList<>();
        for (String path : PolicyFields.ofSchema(SCHEMA)) {
            JsonNode field = PolicyFields.schemaAt(SCHEMA, path);
            if (!path.equals("repo") && !field.has("properties") && !field.has("default")) {
                without.add(path);
            }
        }
        assertThat(without).as("fields without a documented default").isEmpty();
    }

    @Test
    void theDefaultsTheSchemaDocumentsAreThoseOfRepoPolicyDefaults() {
        ObjectNode tree = Json.mapper().createObjectNode().put("repo", REPO);
        for (String path : PolicyFields.ofSchema(SCHEMA)) {
            JsonNode field = PolicyFields.schemaAt(SCHEMA, path);
            if (field.has("default")) {
                put(tree, path, field.get("default"));
            }
        }

        // a documented default of a section that is absent by default puts the section in
        assertThat(decode(tree))
                .isEqualTo(
                        RepoPolicy.defaults(REPO).toBuilder()
                                .commands(RepoPolicy.Commands.on())
                                .mergeQueue(new MergeQueue(RepoPolicy.Mode.ON, List.of()))
                                .lifecycle(Lifecycle.defaults())
                                .routing(Routing.defaults())
                                .completion(Completion.defaults())
                                .maintenance(Maintenance.defaults())
                                .build());
    }

    @Test
    void theSamplesSetEveryFieldToSomethingOtherThanItsDefault() throws Exception {
        RepoPolicy defaults = RepoPolicy.defaults(REPO);
        for (String sample : List.of(EVERY_SECTION_FIELD_SET, EVERY_FIELD_SET)) {
            RepoPolicy read = decode(tree(sample));
            fieldsWithDefaults()
                    .filter(path -> sample == EVERY_SECTION_FIELD_SET || !path.endsWith("mode"))
                    .forEach(
                            path ->
                                    assertThat(PolicyFields.valueAt(read, path))
                                            .as(path)
                                            .isNotEqualTo(PolicyFields.valueAt(defaults, path)));
        }
    }

    @Test
    void theFlatSampleReadsAsTheSectionedOneWithEverySectionOn() throws Exception {
        RepoPolicy sectioned = decode(tree(EVERY_SECTION_FIELD_SET));

        assertThat(decode(tree(EVERY_FIELD_SET)))
                .isEqualTo(
                        sectioned.toBuilder()
                                .triage(sectioned.triage().withMode(RepoPolicy.Mode.ON))
                                .sla(sectioned.sla().toBuilder().mode(RepoPolicy.Mode.ON).build())
                                .ci(sectioned.ci().toBuilder().mode(RepoPolicy.Mode.ON).build())
                                .build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldsWithDefaults")
    void aSectionedRecordThatOmitsAFieldHasThatFieldsDefaultOrItsRuleOff(String path)
            throws Exception {
        RepoPolicy sample = decode(tree(EVERY_SECTION_FIELD_SET));
        ObjectNode tree = tree(EVERY_SECTION_FIELD_SET);
        PolicyFields.remove(tree, path);

        RepoPolicy read = decode(tree);

        Object expected =
                ABSENT_SECTIONS.containsKey(path)
                        ? ABSENT_SECTIONS.get(path)
                        : DEFAULTS_WHEN_PRESENT.containsKey(path)
                                ? DEFAULTS_WHEN_PRESENT.get(path)
                                : PolicyFields.valueAt(RepoPolicy.defaults(REPO), path);
        assertThat(PolicyFields.valueAt(read, path)).as(path).isEqualTo(expected);
        for (String other : PolicyFields.ofRecord(RepoPolicy.class)) {
            if (!PolicyFields.related(path, other)) {
                assertThat(PolicyFields.valueAt(read, other))
                        .as(other)
                        .isEqualTo(PolicyFields.valueAt(sample, other));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flatFieldsWithDefaults")
    void aFlatRecordThatOmitsAFieldHasThatFieldsDefault(String flatPath) throws Exception {
        RepoPolicy sample = decode(tree(EVERY_FIELD_SET));
        ObjectNode tree = tree(EVERY_FIELD_SET);
        PolicyFields.remove(tree, flatPath);
        String path = PolicyFields.sectionPath(flatPath);

        RepoPolicy read = decode(tree);

        assertThat(PolicyFields.valueAt(read, path))
                .as(path)
                .isEqualTo(PolicyFields.valueAt(RepoPolicy.defaults(REPO), path));
        for (String other : PolicyFields.ofRecord(RepoPolicy.class)) {
            if (!PolicyFields.related(path, other)) {
                assertThat(PolicyFields.valueAt(read, other))
                        .as(other)
                        .isEqualTo(PolicyFields.valueAt(sample, other));
            }
        }
    }

    @Test
    void aSectionsOwnFieldWinsOverTheFlatOne() throws Exception {
        ObjectNode tree = tree(EVERY_FIELD_SET);
        tree.putObject("triage").put("label", "from-the-section");

        assertThat(decode(tree).triage().label()).isEqualTo("from-the-section");
    }

    private static void put(ObjectNode tree, String path, JsonNode value) {
        String[] names = path.split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < names.length - 1; i++) {
            JsonNode child = parent.get(names[i]);
            parent = child == null ? parent.putObject(names[i]) : (ObjectNode) child;
        }
        parent.set(names[names.length - 1], value);
    }
}
