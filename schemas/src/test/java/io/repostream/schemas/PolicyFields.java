package io.repostream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The fields of a {@link RepoPolicy} by their JSON path ({@code action_budget_per_hour}, {@code
 * sla.warn_fraction}), found from the record's components (a component that is itself a record is a
 * section, and its components are fields too) or from the JSON Schema's nested {@code properties}.
 * Tests that go over every field use these, so a new field or section is covered without touching
 * them.
 */
final class PolicyFields {
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private PolicyFields() {}

    /** Every field and section path of the record, parents before their fields. */
    static List<String> ofRecord(Class<? extends Record> type) {
        List<String> paths = new ArrayList<>();
        collect(type, "", paths);
        return paths;
    }

    private static void collect(Class<?> type, String prefix, List<String> paths) {
        for (RecordComponent c : type.getRecordComponents()) {
            String path = prefix + SNAKE.translate(c.getName());
            paths.add(path);
            if (c.getType().isRecord()) {
                collect(c.getType(), path + ".", paths);
            }
        }
    }

    /**
     * The flat fields of a policy without {@code policy_version}, and where each is read: {@code
     * calendar.time_zone} is {@code sla.calendar.time_zone}. The schema still describes them (rule
     * 9), the record does not have them.
     */
    static final Map<String, String> FLAT =
            Map.of(
                    "triage_label", "triage.label",
                    "calendar", "sla.calendar",
                    "failure_patterns", "ci.failure_patterns",
                    "retry", "ci.retry",
                    "ci_risk", "ci.risk");

    /** The section path a flat path is read into; any other path is returned as it is. */
    static String sectionPath(String path) {
        for (Map.Entry<String, String> e : FLAT.entrySet()) {
            if (related(path, e.getKey()) && path.startsWith(e.getKey())) {
                return e.getValue() + path.substring(e.getKey().length());
            }
        }
        return path;
    }

    /** Whether {@code path} is a flat field or lies inside one. */
    static boolean flat(String path) {
        return FLAT.keySet().stream().anyMatch(f -> related(path, f) && path.startsWith(f));
    }

    /** Every field and section path that the schema describes, parents before their fields. */
    static List<String> ofSchema(JsonNode schema) {
        List<String> paths = new ArrayList<>();
        collect(schema, schema, "", paths);
        return paths;
    }

    private static void collect(JsonNode root, JsonNode schema, String prefix, List<String> paths) {
        Iterator<Map.Entry<String, JsonNode>> it =
                resolve(root, schema).path("properties").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            paths.add(path);
            if (resolve(root, e.getValue()).has("properties")) {
                collect(root, e.getValue(), path + ".", paths);
            }
        }
    }

    /** The schema {@code node} refers to ({@code $ref: #/$defs/...}), or {@code node}. */
    static JsonNode resolve(JsonNode root, JsonNode node) {
        while (node.has("$ref")) {
            node = root.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    /** The schema of the field at {@code path}, references followed. */
    static JsonNode schemaAt(JsonNode root, String path) {
        JsonNode node = root;
        for (String name : path.split("\\.")) {
            node = resolve(root, node).path("properties").path(name);
        }
        // a field that refers to a definition and gives its own default keeps it
        return node.has("default") ? node : resolve(root, node);
    }

    /** The value of the field at {@code path}, read through the records' accessors. */
    static Object valueAt(Record record, String path) {
        Object value = record;
        for (String name : path.split("\\.")) {
            value = component(value, name);
        }
        return value;
    }

    private static Object component(Object record, String jsonName) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (SNAKE.translate(c.getName()).equals(jsonName)) {
                try {
                    return c.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalArgumentException(
                record.getClass().getSimpleName() + " has no field " + jsonName);
    }

    /** The node at {@code path}, or a missing node. */
    static JsonNode nodeAt(JsonNode tree, String path) {
        JsonNode node = tree;
        for (String name : path.split("\\.")) {
            node = node.path(name);
        }
        return node;
    }

    /** Removes the field at {@code path} from {@code tree}. */
    static void remove(ObjectNode tree, String path) {
        int dot = path.lastIndexOf('.');
        JsonNode parent = dot < 0 ? tree : nodeAt(tree, path.substring(0, dot));
        ((ObjectNode) parent).remove(path.substring(dot + 1));
    }

    /** Whether one of the paths is the other or lies inside it. */
    static boolean related(String a, String b) {
        return a.equals(b) || a.startsWith(b + ".") || b.startsWith(a + ".");
    }
}
