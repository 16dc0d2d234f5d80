package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The response schemas of GitHub's REST API for the operations the simulator serves, from the
 * fixture written by {@code testkit/scripts/update-openapi-fixture.sh}, turned from OpenAPI 3.0
 * into JSON Schema 2020-12 for validation.
 */
final class OpenApiFixture {
    static final String RESOURCE = "/openapi/github-rest-subset.json";

    private final JsonNode fixture;
    private final JsonNode defs;
    private final JsonSchemaFactory factory =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private OpenApiFixture(JsonNode fixture) {
        this.fixture = fixture;
        this.defs = toJsonSchema(fixture.path("$defs").deepCopy());
    }

    static OpenApiFixture load() {
        try (InputStream in = OpenApiFixture.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            return new OpenApiFixture(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode source() {
        return fixture.path("source");
    }

    boolean hasOperation(String operation) {
        return fixture.path("operations").has(operation);
    }

    /** Whether GitHub documents {@code status} as an answer of {@code operation}. */
    boolean documents(String operation, int status) {
        return fixture.path("operations")
                .path(operation)
                .path("responses")
                .has(String.valueOf(status));
    }

    /** The documented body schema, empty when GitHub documents the status without a body. */
    Optional<JsonSchema> schema(String operation, int status) {
        JsonNode schema =
                fixture.path("operations")
                        .path(operation)
                        .path("responses")
                        .path(String.valueOf(status));
        if (schema.isMissingNode() || schema.isNull()) {
            return Optional.empty();
        }
        return Optional.of(
                schemas.computeIfAbsent(
                        operation + " " + status,
                        k -> {
                            ObjectNode document = (ObjectNode) toJsonSchema(schema.deepCopy());
                            document.put("$schema", "https://json-schema.org/draft/2020-12/schema");
                            document.set("$defs", defs);
                            return factory.getSchema(document, config);
                        }));
    }

    /**
     * Human-readable violations of the documented schema; empty when the body conforms. Where
     * GitHub documents a status without a body schema, only 204 and 304 must have no body (for the
     * others, e.g. some 422s, the description just leaves the body out).
     */
    List<String> violations(String operation, int status, JsonNode body) {
        boolean empty = body == null || body.isMissingNode();
        return schema(operation, status)
                .map(s -> s.validate(body).stream().map(ValidationMessage::getMessage).toList())
                .orElseGet(
                        () ->
                                (status == 204 || status == 304) && !empty
                                        ? List.of("a " + status + " answer must have no body")
                                        : List.of());
    }

    /**
     * OpenAPI 3.0 differs from JSON Schema in two ways that matter here. {@code nullable: true}
     * becomes a {@code "null"} type (or an {@code anyOf} with null where there is no type). {@code
     * oneOf} becomes {@code anyOf}: GitHub's description lists overlapping alternatives (the event
     * payload {@code WatchEvent} only requires {@code action}, {@code PublicEvent} nothing), so a
     * strict "exactly one" would reject every real answer.
     */
    static JsonNode toJsonSchema(JsonNode node) {
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, toJsonSchema(array.get(i)));
            }
            return array;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode object = (ObjectNode) node;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            field.setValue(toJsonSchema(field.getValue()));
        }
        if (object.has("oneOf")) {
            object.set("anyOf", object.remove("oneOf"));
        }
        if (!object.path("nullable").asBoolean(false)) {
            object.remove("nullable");
            return object;
        }
        object.remove("nullable");
        JsonNode type = object.get("type");
        if (type != null && type.isTextual()) {
            object.set("type", JsonNodeFactory.instance.arrayNode().add(type.asText()).add("null"));
            if (object.has("enum")) {
                ((ArrayNode) object.get("enum")).addNull();
            }
            return object;
        }
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.putArray("anyOf")
                .add(JsonNodeFactory.instance.objectNode().put("type", "null"))
                .add(object);
        return wrapper;
    }
}
