package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A policy field left out means its default, the same one {@link RepoPolicy#defaults(String)} has
 * and the JSON Schema documents, for every field (found from the record, so a new field is covered
 * by these tests as it is added).
 */
class RepoPolicyDefaultsTest {
    private static final String REPO = "octo-org/hello-world";

    /** A policy that sets every field to something other than its default. */
    static final String EVERY_FIELD_SET =
            """
            {
              "repo": "octo-org/hello-world",
              "triage_label": "triage",
              "enabled_actions": ["add_labels", "merge_pull_request"],
              "dry_run": true,
              "action_budget_per_hour": 120,
              "sla": {
                "targets": {"P0": {"first_response": "PT10M", "resolution": "PT8H"}},
                "priority_labels": {"sev/critical": "P0"},
                "default_priority": "P1",
                "warn_fraction": 0.5,
                "business_hours_only": true,
                "escalate_to": ["octo-lead"]
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
              "ci_risk": {"medium": 0.2, "high": 0.6, "critical": 0.9, "label_high_risk": true}
            }
            """;

    private static final JsonNode SCHEMA = Topics.CONFIG.valueCodec().schema().document();

    static Stream<String> fieldsWithDefaults() {
        return PolicyFields.ofRecord(RepoPolicy.class).stream().filter(p -> !p.equals("repo"));
    }

    private static RepoPolicy decode(JsonNode tree) {
        return Topics.CONFIG
                .valueSerde()
                .deserialize(
                        Topics.CONFIG.name(), tree.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode everyFieldSet() throws Exception {
        return (ObjectNode) Json.mapper().readTree(EVERY_FIELD_SET);
    }

    @Test
    void theSchemaDescribesEveryFieldOfTheRecordAndNoOther() {
        assertThat(PolicyFields.ofSchema(SCHEMA))
                .containsExactlyInAnyOrderElementsOf(PolicyFields.ofRecord(RepoPolicy.class));
    }

    @Test
    void theSchemaDocumentsADefaultForEveryFieldButTheRepo() {
        List<String> without = new ArrayList<>();
        for (String path : PolicyFields.ofSchema(SCHEMA)) {
            JsonNode field = schemaOf(path);
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
            JsonNode field = schemaOf(path);
            if (field.has("default")) {
                put(tree, path, field.get("default"));
            }
        }

        assertThat(decode(tree)).isEqualTo(RepoPolicy.defaults(REPO));
    }

    @Test
    void theSampleSetsEveryFieldToSomethingOtherThanItsDefault() throws Exception {
        RepoPolicy sample = decode(everyFieldSet());
        RepoPolicy defaults = RepoPolicy.defaults(REPO);

        fieldsWithDefaults()
                .forEach(
                        path ->
                                assertThat(PolicyFields.valueAt(sample, path))
                                        .as(path)
                                        .isNotEqualTo(PolicyFields.valueAt(defaults, path)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldsWithDefaults")
    void aRecordOnTheTopicThatOmitsAFieldHasThatFieldsDefault(String path) throws Exception {
        RepoPolicy sample = decode(everyFieldSet());
        ObjectNode tree = everyFieldSet();
        PolicyFields.remove(tree, path);

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

    private static JsonNode schemaOf(String path) {
        JsonNode node = SCHEMA;
        for (String name : path.split("\\.")) {
            node = node.path("properties").path(name);
        }
        return node;
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
