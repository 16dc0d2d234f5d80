package io.repostream.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schema (draft 2020-12) of one record type, loaded from {@code /schemas/<name>.json} on
 * the classpath.
 */
public final class RecordSchema {
    private static final JsonSchemaFactory FACTORY =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final String name;
    private final JsonNode document;
    private final JsonSchema schema;

    private RecordSchema(String name, JsonNode document) {
        this.name = name;
        this.document = document;
        // "message": {"pattern": "..."} in a schema says in words what a pattern wants
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder()
                        .formatAssertionsEnabled(true)
                        .errorMessageKeyword("message")
                        .build();
        this.schema = FACTORY.getSchema(document, config);
    }

    private static final Map<String, RecordSchema> LOADED = new ConcurrentHashMap<>();

    /** Loads {@code /schemas/<name>.schema.json}, e.g. {@code github-event.v1}, once. */
    public static RecordSchema load(String name) {
        return LOADED.computeIfAbsent(name, RecordSchema::read);
    }

    private static RecordSchema read(String name) {
        String path = "/schemas/" + name + ".schema.json";
        try (InputStream in = RecordSchema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no JSON Schema on the classpath at " + path);
            }
            return new RecordSchema(name, Json.mapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JSON Schema " + path, e);
        }
    }

    public String name() {
        return name;
    }

    /** The schema document itself. */
    public JsonNode document() {
        return document;
    }

    /** The violations of {@code json}, each naming its JSON path; empty when valid. */
    public List<String> violations(JsonNode json) {
        Set<ValidationMessage> messages = schema.validate(json);
        return messages.stream()
                .sorted(Comparator.comparing(m -> m.getInstanceLocation().toString()))
                .map(ValidationMessage::getMessage)
                .toList();
    }

    /**
     * @throws RecordValidationException naming every field that breaks the schema
     */
    public void validate(JsonNode json) {
        List<String> problems = violations(json);
        if (!problems.isEmpty()) {
            throw new RecordValidationException(name, problems);
        }
    }
}
