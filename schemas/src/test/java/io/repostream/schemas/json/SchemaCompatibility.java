package io.repostream.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a topic's JSON Schema as released with the current one by structure (rule 9: v1 changes
 * additively only). A change breaks readers or writers of the released schema when it removes a
 * property, narrows a type, requires a new property, removes an enum value or tightens a constraint
 * (minimum/maximum and their exclusive forms, lengths and item counts, pattern, format,
 * additionalProperties false, uniqueItems). New enum values are no break but are reported, since
 * readers must tolerate them and the docs must announce them.
 *
 * <p>{@code $ref}s to {@code #/$defs/...} (or {@code #/definitions/...}) are resolved in their own
 * document, their sibling keywords laid over the definition. A pattern change counts as a widening
 * only when the new pattern is {@code ^(?:old|...)$} for an old pattern {@code ^old$}: whether one
 * regular expression accepts everything another does cannot be decided by reading them.
 */
public final class SchemaCompatibility {
    /** The rules a change can break. */
    public enum Rule {
        PROPERTY_REMOVED,
        TYPE_NARROWED,
        REQUIRED_ADDED,
        ENUM_VALUE_REMOVED,
        CONSTRAINT_TIGHTENED
    }

    /** One break, at a JSON Pointer into the schema's instance structure (e.g. /sla/targets/*). */
    public record Break(String path, Rule rule, String detail) {
        @Override
        public String toString() {
            return rule + " at " + (path.isEmpty() ? "/" : path) + ": " + detail;
        }
    }

    /**
     * A value the current schema's enum at {@code path} has and the released one has not; {@code
     * description} is the current schema's description there (of the enum or the property whose
     * items it constrains).
     */
    public record AddedEnumValue(String path, String value, String description) {}

    /** What changed from the released schema to the current one. */
    public record Report(List<Break> breaks, List<AddedEnumValue> addedEnumValues) {}

    private static final List<String> LOWER_BOUNDS =
            List.of("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties");
    private static final List<String> UPPER_BOUNDS =
            List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties");

    private final JsonNode releasedRoot;
    private final JsonNode currentRoot;
    private final List<Break> breaks = new ArrayList<>();
    private final List<AddedEnumValue> added = new ArrayList<>();

    private SchemaCompatibility(JsonNode releasedRoot, JsonNode currentRoot) {
        this.releasedRoot = releasedRoot;
        this.currentRoot = currentRoot;
    }

    public static Report compare(JsonNode released, JsonNode current) {
        SchemaCompatibility c = new SchemaCompatibility(released, current);
        c.walk(released, current, "", "", Seen.none());
        return new Report(List.copyOf(c.breaks), List.copyOf(c.added));
    }

    /** The {@code $ref}s followed on the way to a node, in each document. */
    private record Seen(Set<String> released, Set<String> current) {
        static Seen none() {
            return new Seen(Set.of(), Set.of());
        }
    }

    private void walk(
            JsonNode oldNode, JsonNode newNode, String path, String parentDescription, Seen seen) {
        Set<String> releasedRefs = new HashSet<>(seen.released());
        Set<String> currentRefs = new HashSet<>(seen.current());
        JsonNode o = resolve(oldNode, releasedRoot, releasedRefs, path);
        JsonNode n = resolve(newNode, currentRoot, currentRefs, path);
        Seen refsOnPath = new Seen(releasedRefs, currentRefs);
        if (o == null || n == null || !o.isObject() || !n.isObject()) {
            // a boolean schema or an unresolvable $ref (reported by resolve): nothing to compare
            return;
        }
        types(o, n, path);
        properties(o, n, path, refsOnPath);
        required(o, n, path);
        enums(o, n, path, parentDescription);
        bounds(o, n, path);
        pattern(o, n, path);
        if (o.has("format") && !o.get("format").equals(n.get("format"))
                || !o.has("format") && n.has("format")) {
            tightened(path, "format " + o.get("format") + " became " + n.get("format"));
        }
        if (!o.path("uniqueItems").asBoolean(false) && n.path("uniqueItems").asBoolean(false)) {
            tightened(path, "uniqueItems added");
        }
        additionalProperties(o, n, path, refsOnPath);
        String description = n.path("description").asText("");
        if (o.has("items") && n.has("items")) {
            walk(o.get("items"), n.get("items"), path + "/*", description, refsOnPath);
        }
        for (String combinator : List.of("anyOf", "oneOf")) {
            alternatives(o, n, combinator, path, refsOnPath);
        }
        int oldAll = o.path("allOf").size();
        int newAll = n.path("allOf").size();
        for (int i = 0; i < Math.min(oldAll, newAll); i++) {
            walk(o.get("allOf").get(i), n.get("allOf").get(i), path, "", refsOnPath);
        }
        if (newAll > oldAll) {
            tightened(path, "allOf gained " + (newAll - oldAll) + " schema(s)");
        }
    }

    /** The node with its {@code $ref} replaced by the definition, its other keywords kept. */
    private JsonNode resolve(JsonNode node, JsonNode root, Set<String> refsOnPath, String path) {
        JsonNode ref = node == null ? null : node.get("$ref");
        if (ref == null) {
            return node;
        }
        String target = ref.asText();
        if (!target.startsWith("#/") || refsOnPath.contains(target)) {
            // a recursive $ref was compared where first followed; an external one cannot be
            if (!refsOnPath.contains(target)) {
                tightened(path, "cannot follow $ref " + target);
            }
            return null;
        }
        JsonNode definition = root.at(target.substring(1));
        if (definition.isMissingNode()) {
            tightened(path, "$ref " + target + " points nowhere");
            return null;
        }
        refsOnPath.add(target);
        JsonNode resolved = resolve(definition, root, refsOnPath, path);
        ObjectNode merged = resolved.isObject() ? ((ObjectNode) resolved).deepCopy() : null;
        if (merged == null) {
            return resolved;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!f.getKey().equals("$ref")) {
                merged.set(f.getKey(), f.getValue());
            }
        }
        return merged;
    }

    private void types(JsonNode o, JsonNode n, String path) {
        Set<String> newTypes = typeSet(n);
        if (newTypes == null) {
            return;
        }
        Set<String> oldTypes = typeSet(o);
        if (oldTypes == null) {
            breaks.add(new Break(path, Rule.TYPE_NARROWED, "any type became " + newTypes));
            return;
        }
        for (String t : oldTypes) {
            boolean kept =
                    newTypes.contains(t) || t.equals("integer") && newTypes.contains("number");
            if (!kept) {
                breaks.add(
                        new Break(
                                path,
                                Rule.TYPE_NARROWED,
                                "type " + oldTypes + " became " + newTypes + " (lost " + t + ")"));
            }
        }
    }

    private static Set<String> typeSet(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else {
            types.add(type.asText());
        }
        return types;
    }

    private void properties(JsonNode o, JsonNode n, String path, Seen refsOnPath) {
        JsonNode oldProps = o.path("properties");
        JsonNode newProps = n.path("properties");
        Iterator<String> names = oldProps.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            String at = path + "/" + name;
            if (!newProps.has(name)) {
                breaks.add(new Break(at, Rule.PROPERTY_REMOVED, "property " + name + " removed"));
                continue;
            }
            walk(oldProps.get(name), newProps.get(name), at, "", refsOnPath);
        }
    }

    private void required(JsonNode o, JsonNode n, String path) {
        Set<String> before = new HashSet<>();
        o.path("required").forEach(r -> before.add(r.asText()));
        n.path("required")
                .forEach(
                        r -> {
                            if (!before.contains(r.asText())) {
                                breaks.add(
                                        new Break(
                                                path + "/" + r.asText(),
                                                Rule.REQUIRED_ADDED,
                                                r.asText() + " became required"));
                            }
                        });
    }

    private void enums(JsonNode o, JsonNode n, String path, String parentDescription) {
        JsonNode oldEnum = o.get("enum");
        JsonNode newEnum = n.get("enum");
        if (newEnum == null) {
            return;
        }
        if (oldEnum == null) {
            tightened(path, "enum " + newEnum + " added");
            return;
        }
        Set<JsonNode> before = new LinkedHashSet<>();
        oldEnum.forEach(before::add);
        Set<JsonNode> after = new LinkedHashSet<>();
        newEnum.forEach(after::add);
        for (JsonNode v : before) {
            if (!after.contains(v)) {
                breaks.add(
                        new Break(path, Rule.ENUM_VALUE_REMOVED, "enum value " + v + " removed"));
            }
        }
        String description = (n.path("description").asText("") + " " + parentDescription).trim();
        for (JsonNode v : after) {
            if (!before.contains(v)) {
                added.add(new AddedEnumValue(path, v.asText(), description));
            }
        }
    }

    private void bounds(JsonNode o, JsonNode n, String path) {
        for (String k : LOWER_BOUNDS) {
            bound(o, n, path, k, +1);
        }
        for (String k : UPPER_BOUNDS) {
            bound(o, n, path, k, -1);
        }
    }

    /** {@code direction} +1: a larger new value is tighter; -1: a smaller one is. */
    private void bound(JsonNode o, JsonNode n, String path, String keyword, int direction) {
        JsonNode after = n.get(keyword);
        if (after == null || !after.isNumber()) {
            return;
        }
        JsonNode before = o.get(keyword);
        if (before == null || !before.isNumber()) {
            tightened(path, keyword + " " + after + " added");
            return;
        }
        int cmp = after.decimalValue().compareTo(before.decimalValue());
        if (cmp * direction > 0) {
            tightened(path, keyword + " " + before + " became " + after);
        }
    }

    private void pattern(JsonNode o, JsonNode n, String path) {
        JsonNode after = n.get("pattern");
        if (after == null) {
            return;
        }
        JsonNode before = o.get("pattern");
        if (before == null) {
            tightened(path, "pattern " + after + " added");
            return;
        }
        if (!before.asText().equals(after.asText())
                && !widensByAlternation(before.asText(), after.asText())) {
            tightened(
                    path,
                    "pattern "
                            + before
                            + " became "
                            + after
                            + " (not provably wider: write the new one as ^(?:old|new)$)");
        }
    }

    static boolean widensByAlternation(String before, String after) {
        if (!before.startsWith("^") || !before.endsWith("$")) {
            return false;
        }
        String old = before.substring(1, before.length() - 1);
        return after.startsWith("^(?:" + old + "|") && after.endsWith(")$");
    }

    private void additionalProperties(JsonNode o, JsonNode n, String path, Seen refs) {
        JsonNode before = o.get("additionalProperties");
        JsonNode after = n.get("additionalProperties");
        if (after == null) {
            return;
        }
        boolean oldFalse = before != null && before.isBoolean() && !before.asBoolean();
        if (after.isBoolean() && !after.asBoolean() && !oldFalse) {
            tightened(path, "additionalProperties became false");
        } else if (before != null && before.isObject() && after.isObject()) {
            walk(before, after, path + "/*", "", refs);
        } else if ((before == null || before.isBoolean() && before.asBoolean())
                && after.isObject()) {
            tightened(path, "additionalProperties became a schema");
        }
    }

    private void alternatives(JsonNode o, JsonNode n, String combinator, String path, Seen refs) {
        JsonNode before = o.get(combinator);
        JsonNode after = n.get(combinator);
        if (after == null) {
            return;
        }
        if (before == null) {
            tightened(path, combinator + " added");
            return;
        }
        for (int i = 0; i < before.size(); i++) {
            if (i >= after.size()) {
                tightened(path, combinator + " lost alternative " + i);
                continue;
            }
            walk(before.get(i), after.get(i), path, "", refs);
        }
    }

    private void tightened(String path, String detail) {
        breaks.add(new Break(path, Rule.CONSTRAINT_TIGHTENED, detail));
    }
}
