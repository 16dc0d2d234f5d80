package io.repostream.flink.serialization;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What {@link JsonTypeInfo} and {@link WireTypeInfo} share: a record type that Flink treats as one
 * opaque field (not a tuple, not a key type), serialized whole by the subclass's serializer.
 */
abstract class RecordTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    final Class<T> type;

    RecordTypeInfo(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public final boolean isBasicType() {
        return false;
    }

    @Override
    public final boolean isTupleType() {
        return false;
    }

    @Override
    public final int getArity() {
        return 1;
    }

    @Override
    public final int getTotalFields() {
        return 1;
    }

    @Override
    public final Class<T> getTypeClass() {
        return type;
    }

    @Override
    public final boolean isKeyType() {
        return false;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }
}
