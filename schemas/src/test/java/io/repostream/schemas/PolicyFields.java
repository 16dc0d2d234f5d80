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

    /** Every field and section path that the schema describes, parents before their fields. */
    static List<String> ofSchema(JsonNode schema) {
        List<String> paths = new ArrayList<>();
        collect(schema, "", paths);
        return paths;
    }

    private static void collect(JsonNode schema, String prefix, List<String> paths) {
        Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            paths.add(path);
            if (e.getValue().has("properties")) {
                collect(e.getValue(), path + ".", paths);
            }
        }
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
