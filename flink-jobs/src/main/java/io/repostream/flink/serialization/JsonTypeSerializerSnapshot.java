package io.repostream.flink.serialization;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * Remembers which record class a {@link JsonTypeSerializer} wrote. JSON readers ignore unknown
 * fields and fill defaults for missing ones, so state written by an older record version stays
 * readable as-is.
 */
public final class JsonTypeSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {
    private static final int VERSION = 1;

    private Class<T> type;

    /** For Flink, which reads the snapshot into a fresh instance. */
    public JsonTypeSerializerSnapshot() {}

    JsonTypeSerializerSnapshot(Class<T> type) {
        this.type = type;
    }

    /** Whether the serializer wrote {@code type}: lets a successor serializer migrate its state. */
    public boolean isFor(Class<?> type) {
        return type.equals(this.type);
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeUTF(type.getName());
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
            throws IOException {
        this.type = InstantiationUtil.resolveClassByName(in, classLoader);
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return new JsonTypeSerializer<>(type);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSerializerSnapshot) {
        if (oldSerializerSnapshot instanceof JsonTypeSerializerSnapshot<T> old
                && old.type.equals(type)) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }
}
