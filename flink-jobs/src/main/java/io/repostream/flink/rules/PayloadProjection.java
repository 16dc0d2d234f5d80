package io.repostream.flink.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a webhook payload a consumer reads, named as a tree of field names: each field maps
 * to the sub-fields kept of it, or to {@link #WHOLE} to keep it whole; an array keeps the named
 * sub-fields of each element; a field of another shape than its spec expects is kept as it is.
 *
 * <p>Two ways to apply a spec that give the same result: {@link #project(JsonNode, Map)} over a
 * parsed tree, and {@link #read(JsonParser, Map)} while parsing, which skips everything else
 * without building it (most of a 10 KB payload is URLs and repository metadata).
 */
public final class PayloadProjection {
    /** Keep the field whole. */
    public static final Map<String, Object> WHOLE = null;

    private PayloadProjection() {}

    /** A spec from alternating field names and their specs. */
    public static Map<String, Object> fields(Object... namesAndSpecs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSpecs.length; i += 2) {
            m.put((String) namesAndSpecs[i], namesAndSpecs[i + 1]);
        }
        return m;
    }

    /** What either spec keeps. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> union(Map<String, Object> a, Map<String, Object> b) {
        if (a == WHOLE || b == WHOLE) {
            return WHOLE;
        }
        Map<String, Object> m = new LinkedHashMap<>(a);
        for (Map.Entry<String, Object> field : b.entrySet()) {
            if (!m.containsKey(field.getKey())) {
                m.put(field.getKey(), field.getValue());
            } else {
                m.put(
                        field.getKey(),
                        union(
                                (Map<String, Object>) m.get(field.getKey()),
                                (Map<String, Object>) field.getValue()));
            }
        }
        return m;
    }

    /** The parts of {@code node} that {@code kept} names. */
    @SuppressWarnings("unchecked")
    public static JsonNode project(JsonNode node, Map<String, Object> kept) {
        if (kept == WHOLE) {
            return node;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
            for (JsonNode element : node) {
                out.add(project(element, kept));
            }
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, Object> field : kept.entrySet()) {
            JsonNode value = node.get(field.getKey());
            if (value != null) {
                out.set(field.getKey(), project(value, (Map<String, Object>) field.getValue()));
            }
        }
        return out;
    }

    /**
     * Reads the value at the parser's current token, keeping what {@code kept} names and skipping
     * the rest unbuilt (skipped parts are still scanned, so malformed JSON fails as before). Leaves
     * the parser on the value's last token.
     */
    @SuppressWarnings("unchecked")
    public static JsonNode read(JsonParser parser, Map<String, Object> kept) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw new IOException("no JSON value to read");
        }
        if (kept == WHOLE) {
            return Json.mapper().readTree(parser);
        }
        switch (token) {
            case START_ARRAY -> {
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    out.add(read(parser, kept));
                }
                return out;
            }
            case START_OBJECT -> {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                for (String name = parser.nextFieldName();
                        name != null;
                        name = parser.nextFieldName()) {
                    parser.nextToken();
                    if (kept.containsKey(name)) {
                        out.set(name, read(parser, (Map<String, Object>) kept.get(name)));
                    } else {
                        parser.skipChildren();
                    }
                }
                if (parser.currentToken() != JsonToken.END_OBJECT) {
                    throw new IOException("unexpected " + parser.currentToken() + " in object");
                }
                return out;
            }
            case VALUE_STRING -> {
                return TextNode.valueOf(parser.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return BooleanNode.valueOf(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NullNode.getInstance();
            }
            default -> {
                // numbers as the shared mapper reads them (big decimals for floats)
                return Json.mapper().readTree(parser);
            }
        }
    }
}
