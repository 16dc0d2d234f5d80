package io.repostream.schemas.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.Serializable;

/**
 * Turns records of one type into JSON bytes and back, checking them against their JSON Schema on
 * the way in. Thread-safe; shared by the Kafka serde and the Flink schemas.
 */
public final class JsonCodec<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String schemaName;
    private final transient RecordSchema schema;
    private final transient ObjectReader reader;
    private final transient ObjectWriter writer;

    public JsonCodec(Class<T> type, RecordSchema schema) {
        this.type = type;
        this.schemaName = schema.name();
        this.schema = schema;
        this.reader = Json.mapper().readerFor(type);
        this.writer = Json.mapper().writerFor(type);
    }

    /** Flink ships codecs inside its sources and sinks; rebuild the parts that do not travel. */
    private Object readResolve() {
        return new JsonCodec<>(type, RecordSchema.load(schemaName));
    }

    public Class<T> type() {
        return type;
    }

    public RecordSchema schema() {
        return schema;
    }

    public byte[] encode(T value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new RecordValidationException(type.getSimpleName(), e.getOriginalMessage(), e);
        }
    }

    /** The record as a JSON tree, for validation and tests. */
    public JsonNode toTree(T value) {
        return Json.mapper().valueToTree(value);
    }

    /**
     * Parses and validates one record.
     *
     * @throws RecordValidationException when the bytes are not JSON, break the schema, or break a
     *     record invariant; the message names the field
     */
    public T decode(byte[] bytes) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new RecordValidationException(
                    type.getSimpleName(), "not JSON: " + firstLine(e.getMessage()), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new RecordValidationException(type.getSimpleName(), "empty input", null);
        }
        return fromTree(tree);
    }

    /** Validates a JSON tree and binds it to the record. */
    public T fromTree(JsonNode tree) {
        schema.validate(tree);
        try {
            return reader.readValue(tree);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new RecordValidationException(type.getSimpleName(), cause.getMessage(), e);
        } catch (IOException e) {
            throw new RecordValidationException(type.getSimpleName(), firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
