package io.repostream.flink.functions;

import io.repostream.flink.governors.GovernorState;
import io.repostream.flink.governors.GovernorStateSerializer;
import io.repostream.flink.serialization.JsonTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Restores {@link GovernorStateSerializer}, and accepts governor state that earlier versions wrote
 * as JSON ({@code JsonTypeInfo<GovernorState>}): Flink reads it with the old serializer and
 * rewrites it in the binary form when the job restarts from such a checkpoint or savepoint.
 */
public final class GovernorStateSerializerSnapshot
        extends SimpleTypeSerializerSnapshot<GovernorState> {

    public GovernorStateSerializerSnapshot() {
        super(() -> GovernorStateSerializer.INSTANCE);
    }

    @Override
    public TypeSerializerSchemaCompatibility<GovernorState> resolveSchemaCompatibility(
            TypeSerializerSnapshot<GovernorState> oldSerializerSnapshot) {
        if (oldSerializerSnapshot instanceof JsonTypeSerializerSnapshot<GovernorState> json
                && json.isFor(GovernorState.class)) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return super.resolveSchemaCompatibility(oldSerializerSnapshot);
    }
}
