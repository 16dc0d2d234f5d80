package io.repostream.flink.serialization;

import java.util.function.Supplier;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Snapshot of a binary state serializer that replaced {@link JsonTypeSerializer} for one record
 * class: state of that class written as JSON by earlier versions is compatible after migration, so
 * Flink reads it with the JSON serializer and rewrites it in binary when the job restores a
 * checkpoint or savepoint. Subclasses have a public no-argument constructor (Flink instantiates
 * them by name); a change of a binary format needs a new snapshot version.
 */
public abstract class JsonMigratingSnapshot<T> extends SimpleTypeSerializerSnapshot<T> {
    private final Class<T> type;

    protected JsonMigratingSnapshot(
            Class<T> type, Supplier<? extends TypeSerializer<T>> serializer) {
        super(serializer);
        this.type = type;
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSerializerSnapshot) {
        if (oldSerializerSnapshot instanceof JsonTypeSerializerSnapshot<T> json
                && json.isFor(type)) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return super.resolveSchemaCompatibility(oldSerializerSnapshot);
    }
}
