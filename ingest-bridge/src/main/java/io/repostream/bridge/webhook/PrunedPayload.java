package io.repostream.bridge.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a webhook payload in one streaming pass that checks all of it is one well-formed JSON
 * object, but builds a tree of only the fields the bridge reads (the rest of a 10-30 KB payload
 * would be parsed into nodes just to be thrown away; the record carries the original bytes anyway).
 *
 * <p>The pruned tree answers exactly like the full one for every kept path: a kept field holds the
 * value as the full parse would (the whole subtree for a leaf path), an object on the way to a kept
 * field keeps only those fields, an array on the way is an empty array (no kept path indexes into
 * one), a repeated field name keeps the last value. Anything the streaming pass does not accept is
 * parsed again by {@link EventNormalizer#parse}, so a refusal says exactly what it said before.
 */
public final class PrunedPayload {
    private static final ObjectReader TREE_READER = Json.mapper().reader();
    private static final JsonNodeFactory NODES = Json.mapper().getNodeFactory();

    private final Fields root;

    /**
     * @param paths the JSON pointers (e.g. {@code /repository/full_name}) to keep; a kept path's
     *     whole value is kept, however deep
     */
    public PrunedPayload(Collection<String> paths) {
        root = new Fields();
        for (String path : paths) {
            Fields at = root;
            for (JsonPointer p = JsonPointer.compile(path); !p.matches(); p = p.tail()) {
                at = at.children.computeIfAbsent(p.getMatchingProperty(), name -> new Fields());
            }
            at.whole = true;
        }
    }

    /**
     * The payload's kept fields, as a JSON object.
     *
     * @throws MalformedDeliveryException when the payload is not one JSON object, with the message
     *     {@link EventNormalizer#parse} gives
     */
    public JsonNode parse(byte[] json) {
        PayloadText.check(json);
        return parseWellFormed(json);
    }

    /**
     * The tree of a payload whose signature matched: its text is checked ({@link PayloadText}), and
     * the tree {@link #tryParse} built before the check is reused when there is one.
     */
    public JsonNode parseVerified(byte[] json, JsonNode unverified) {
        if (unverified == null) {
            return parse(json);
        }
        PayloadText.check(json);
        return unverified;
    }

    private JsonNode parseWellFormed(byte[] json) {
        try (JsonParser parser = TREE_READER.createParser(json)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                ObjectNode pruned = readObject(parser, root);
                if (parser.nextToken() == null) {
                    return pruned;
                }
            }
        } catch (IOException | RuntimeException notAsExpected) {
            // fall through: the full parse names the problem
        }
        return EventNormalizer.parse(json);
    }

    /**
     * {@link #parse} without the text check, or null when the payload is not a JSON object: to
     * learn which repository and organisation an unverified payload claims, to pick the webhook
     * secrets (then only global secrets can apply). Its text is checked once the signature matched
     * ({@link #parseVerified}), so that a signed but undecodable payload is dead-lettered with the
     * reason rather than refused as unsigned.
     */
    public JsonNode tryParse(byte[] json) {
        try {
            return parseWellFormed(json);
        } catch (MalformedDeliveryException e) {
            return null;
        }
    }

    private static ObjectNode readObject(JsonParser parser, Fields fields) throws IOException {
        ObjectNode out = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            Fields kept = fields.children.get(name);
            if (kept == null) {
                parser.skipChildren();
                continue;
            }
            JsonNode value;
            if (kept.whole) {
                value =
                        token == JsonToken.VALUE_STRING
                                ? TextNode.valueOf(parser.getText())
                                : TREE_READER.readTree(parser);
            } else if (token == JsonToken.START_OBJECT) {
                value = readObject(parser, kept);
            } else if (token == JsonToken.START_ARRAY) {
                parser.skipChildren();
                value = NODES.arrayNode();
            } else {
                value = TREE_READER.readTree(parser);
            }
            out.set(name, value);
        }
        return out;
    }

    /** The kept fields below one object; {@code whole}: keep the entire value. */
    private static final class Fields {
        final Map<String, Fields> children = new HashMap<>();
        boolean whole;
    }
}
