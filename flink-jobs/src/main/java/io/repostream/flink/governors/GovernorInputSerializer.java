package io.repostream.flink.governors;

import io.repostream.flink.serialization.ActionRecordSerializer;
import io.repostream.flink.serialization.BinaryFields;
import io.repostream.flink.serialization.ImmutableRecordSerializer;
import io.repostream.flink.serialization.JsonTypeSerializer;
import io.repostream.flink.serialization.WireTypeInfo;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link GovernorInput} for the wire: the action in binary ({@link ActionRecordSerializer}); an
 * audit record, one per applied action and read only for its rate-limit headers, as its JSON.
 */
public final class GovernorInputSerializer extends ImmutableRecordSerializer<GovernorInput> {
    private static final long serialVersionUID = 1L;

    public static final GovernorInputSerializer INSTANCE = new GovernorInputSerializer();

    /** Type information of the governors' input stream. */
    public static final WireTypeInfo<GovernorInput> TYPE =
            new WireTypeInfo<>(GovernorInput.class, INSTANCE);

    private static final JsonTypeSerializer<AuditRecord> AUDIT =
            new JsonTypeSerializer<>(AuditRecord.class);

    private GovernorInputSerializer() {}

    @Override
    public void serialize(GovernorInput input, DataOutputView out) throws IOException {
        ActionRecord action = input.action();
        out.writeBoolean(action != null);
        if (action != null) {
            ActionRecordSerializer.INSTANCE.serialize(action, out);
        } else {
            AUDIT.serialize(input.audit(), out);
        }
        BinaryFields.writeString(input.installation(), out);
        out.writeBoolean(input.delayed());
    }

    @Override
    public GovernorInput deserialize(DataInputView in) throws IOException {
        ActionRecord action = null;
        AuditRecord audit = null;
        if (in.readBoolean()) {
            action = ActionRecordSerializer.INSTANCE.deserialize(in);
        } else {
            audit = AUDIT.deserialize(in);
        }
        String installation = BinaryFields.readString(in);
        return new GovernorInput(action, audit, installation, in.readBoolean());
    }

    @Override
    public TypeSerializerSnapshot<GovernorInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (it has no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<GovernorInput> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
