package io.repostream.flink.serialization;

import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information written by a binary serializer of its own instead of as JSON ({@link
 * JsonTypeInfo}). Mostly for records between operators: network buffers are not part of
 * checkpoints, so those formats (enums by ordinal, see {@link WireTypes}) may change between
 * versions. Where a type is kept in state (the windows' accumulator), its serializer has a stable
 * format and a snapshot that migrates the JSON state of earlier versions ({@link
 * JsonMigratingSnapshot}).
 */
public final class WireTypeInfo<T> extends RecordTypeInfo<T> {
    private static final long serialVersionUID = 1L;

    private final TypeSerializer<T> serializer;

    public WireTypeInfo(Class<T> type, TypeSerializer<T> serializer) {
        super(type);
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer.duplicate();
    }

    @Override
    public String toString() {
        return "Binary<" + type.getSimpleName() + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireTypeInfo<?> other
                && other.type.equals(type)
                && other.serializer.equals(serializer);
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof WireTypeInfo;
    }
}
