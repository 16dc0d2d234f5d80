package io.repostream.flink.serialization;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for the repostream records (and anything else Jackson reads and writes
 * with the topic conventions): they travel between operators and sit in state as their JSON bytes.
 *
 * <p>Why not Flink's POJO/record serializer: the records hold Jackson {@code JsonNode} payloads and
 * immutable JDK collections, which would fall back to Kryo; Kryo cannot rebuild {@code List.of()}
 * copies and walks a {@code JsonNode} tree object by object. JSON bytes are compact, exact, and
 * readable across versions of the records because the JSON form is the records' public contract.
 */
public final class JsonTypeInfo<T> extends RecordTypeInfo<T> {
    private static final long serialVersionUID = 1L;

    private JsonTypeInfo(Class<T> type) {
        super(type);
    }

    public static <T> JsonTypeInfo<T> of(Class<T> type) {
        return new JsonTypeInfo<>(type);
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new JsonTypeSerializer<>(type);
    }

    @Override
    public String toString() {
        return "Json<" + type.getSimpleName() + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonTypeInfo<?> other && other.type.equals(type);
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof JsonTypeInfo;
    }
}
