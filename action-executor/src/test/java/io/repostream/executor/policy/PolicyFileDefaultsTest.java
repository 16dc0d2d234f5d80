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
 * A field a policy file leaves out means the same as on the topic: its default. The file is a flat
 * policy as written before sections (every field set); its fields are those the {@code
 * repo-policy.v1} schema describes, by JSON path, and each is read into its section ({@code
 * calendar} into {@code sla.calendar} ...). The schemas module checks the sectioned form field by
 * field the same way.
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

    /** The flat fields and the section field each is read into. */
    private static final Map<String, String> FLAT =
            Map.of(
                    "triage_label", "triage.label",
                    "calendar", "sla.calendar",
                    "failure_patterns", "ci.failure_patterns",
                    "retry", "ci.retry",
                    "ci_risk", "ci.risk");

    static Stream<Arguments> omittedFields() throws Exception {
        List<Arguments> rows = new ArrayList<>();
        JsonNode schema = Topics.CONFIG.valueCodec().schema().document();
        for (String format : List.of("yaml", "json")) {
            for (String path : fieldPaths(schema, schema, YAML.readTree(EVERY_FIELD_SET), "")) {
                // sla's fields are each covered; left out whole, it still has the flat calendar
                if (!path.equals("repo") && !path.equals("sla")) {
                    rows.add(Arguments.of(format, path));
                }
            }
        }
        return rows.stream();
    }

    /** The paths of the sample's fields, into objects whose schema describes their fields. */
    private static List<String> fieldPaths(
            JsonNode root, JsonNode schema, JsonNode sample, String prefix) {
        List<String> paths = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it =
                resolve(root, schema).path("properties").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!sample.has(e.getKey())) {
                continue;
            }
            paths.add(prefix + e.getKey());
            paths.addAll(
                    fieldPaths(
                            root, e.getValue(), sample.get(e.getKey()), prefix + e.getKey() + "."));
        }
        return paths;
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        while (node.has("$ref")) {
            node = root.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    /** Where the field at a flat path is read. */
    private static String sectionPath(String path) {
        for (Map.Entry<String, String> e : FLAT.entrySet()) {
            if (path.equals(e.getKey()) || path.startsWith(e.getKey() + ".")) {
                return e.getValue() + path.substring(e.getKey().length());
            }
        }
        return path;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("omittedFields")
    void aPolicyFileThatOmitsAFieldGetsItsDefault(String format, String path) throws Exception {
        ObjectNode tree = (ObjectNode) YAML.readTree(EVERY_FIELD_SET);
        RepoPolicy everyField = read(format, tree);
        remove(tree, path);

        RepoPolicy read = read(format, tree);

        // what every field set reads as, with the one field left out replaced by its default
        // (written sectioned: the section's field is the one read)
        String inSection = sectionPath(path);
        ObjectNode expected = (ObjectNode) Topics.CONFIG.valueCodec().toTree(everyField);
        JsonNode fallback =
                path.equals("updated_at")
                        ? TextNode.valueOf(APPLIED_AT.toString()) // a file's is the time of apply
                        : at(
                                Topics.CONFIG.valueCodec().toTree(RepoPolicy.defaults(REPO)),
                                inSection);
        put(expected, inSection, fallback);
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
