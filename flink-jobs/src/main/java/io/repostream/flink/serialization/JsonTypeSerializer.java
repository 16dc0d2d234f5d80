package io.repostream.flink.serialization;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a value as its length-prefixed JSON bytes (topic conventions: snake_case, ISO times). The
 * records are immutable, so copies are the value itself.
 */
public final class JsonTypeSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient ObjectReader reader;
    private transient ObjectWriter writer;

    public JsonTypeSerializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    Class<T> type() {
        return type;
    }

    @Override
    public boolean isImmutableType() {
        // records with unmodifiable collections; a JsonNode payload is never mutated by the job
        return true;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        // stateless apart from thread-safe Jackson reader/writer
        return this;
    }

    @Override
    public T createInstance() {
        return null;
    }

    @Override
    public T copy(T from) {
        return from;
    }

    @Override
    public T copy(T from, T reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        byte[] bytes = writer().writeValueAsBytes(record);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return reader().readValue(bytes);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        // copy the bytes as they are: no JSON parsing needed
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonTypeSerializer<?> other && other.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new JsonTypeSerializerSnapshot<>(type);
    }

    private ObjectReader reader() {
        if (reader == null) {
            reader = Json.mapper().readerFor(type);
        }
        return reader;
    }

    private ObjectWriter writer() {
        if (writer == null) {
            writer = Json.mapper().writerFor(type);
        }
        return writer;
    }
}
