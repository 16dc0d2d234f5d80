package io.repostream.executor.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A field a policy file leaves out means the same as on the topic: its default. The fields are
 * those the {@code repo-policy.v1} schema describes (the schemas module checks that they are the
 * record's), by JSON path, so a new field or section is covered as it is added.
 */
class PolicyFileDefaultsTest {
    private static final String REPO = "acme/api";
    private static final Instant APPLIED_AT = Instant.parse("2026-12-07T06:00:00Z");
    private static final YAMLMapper YAML = new YAMLMapper();

    /** Every field set to something other than its default. */
    private static final String EVERY_FIELD_SET =
            """
            repo: acme/api
            triage_label: triage/new
            enabled_actions: [add_labels, merge_pull_request]
            dry_run: true
            action_budget_per_hour: 120
            sla:
              targets:
                P0: {first_response: 10m, resolution: 8h}
              priority_labels: {"sev/critical": P0}
              default_priority: P1
              warn_fraction: 0.5
              business_hours_only: true
              escalate_to: [oncall-lead]
            calendar:
              time_zone: Europe/Berlin
              working_days: [MONDAY, FRIDAY]
              start: "09:00"
              end: "17:30"
              holidays: [2026-12-25]
            ignore_users: ["dependabot[bot]"]
            failure_patterns: {transient: ["(?i)timed out"]}
            retry: {max_attempts: 4, base_delay: 30s, max_delay: PT10M}
            updated_at: 2026-11-21T10:15:30Z
            ci_risk: {medium: 0.2, high: 0.6, critical: 0.9, label_high_risk: true}
            """;

    @TempDir Path dir;

    static Stream<Arguments> omittedFields() {
        List<Arguments> rows = new ArrayList<>();
        for (String format : List.of("yaml", "json")) {
            for (String path : fieldPaths(Topics.CONFIG.valueCodec().schema().document(), "")) {
                if (!path.equals("repo")) {
                    rows.add(Arguments.of(format, path));
                }
            }
        }
        return rows.stream();
    }

    private static List<String> fieldPaths(JsonNode schema, String prefix) {
        List<String> paths = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            paths.add(prefix + e.getKey());
            paths.addAll(fieldPaths(e.getValue(), prefix + e.getKey() + "."));
        }
        return paths;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("omittedFields")
    void aPolicyFileThatOmitsAFieldGetsItsDefault(String format, String path) throws Exception {
        ObjectNode tree = (ObjectNode) YAML.readTree(EVERY_FIELD_SET);
        RepoPolicy everyField = read(format, tree);
        remove(tree, path);

        RepoPolicy read = read(format, tree);

        // what every field set reads as, with the one field left out replaced by its default
        ObjectNode expected = (ObjectNode) Topics.CONFIG.valueCodec().toTree(everyField);
        JsonNode fallback =
                path.equals("updated_at")
                        ? TextNode.valueOf(APPLIED_AT.toString()) // a file's is the time of apply
                        : at(Topics.CONFIG.valueCodec().toTree(RepoPolicy.defaults(REPO)), path);
        put(expected, path, fallback);
        RepoPolicy withDefault = Topics.CONFIG.valueCodec().fromTree(expected);
        assertThat(read).isEqualTo(withDefault);
        assertThat(everyField).as("the sample sets " + path).isNotEqualTo(withDefault);
    }

    private RepoPolicy read(String format, JsonNode tree) throws Exception {
        String text =
                format.equals("yaml")
                        ? YAML.writeValueAsString(tree)
                        : Json.mapper().writeValueAsString(tree);
        Path file = Files.writeString(dir.resolve("policy." + format), text);
        List<RepoPolicy> policies = PolicyFiles.read(List.of(file), APPLIED_AT);
        assertThat(policies).hasSize(1);
        return policies.get(0);
    }

    private static JsonNode at(JsonNode tree, String path) {
        return tree.at("/" + path.replace('.', '/'));
    }

    private static void remove(ObjectNode tree, String path) {
        int dot = path.lastIndexOf('.');
        JsonNode parent = dot < 0 ? tree : at(tree, path.substring(0, dot));
        ((ObjectNode) parent).remove(path.substring(dot + 1));
    }

    private static void put(ObjectNode tree, String path, JsonNode value) {
        int dot = path.lastIndexOf('.');
        JsonNode parent = dot < 0 ? tree : at(tree, path.substring(0, dot));
        ((ObjectNode) parent).set(path.substring(dot + 1), value);
    }
}
