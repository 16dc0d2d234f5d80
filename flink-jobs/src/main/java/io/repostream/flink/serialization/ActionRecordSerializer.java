package io.repostream.flink.serialization;

import static io.repostream.flink.serialization.BinaryFields.readEnum;
import static io.repostream.flink.serialization.BinaryFields.readInstant;
import static io.repostream.flink.serialization.BinaryFields.readNullableInstant;
import static io.repostream.flink.serialization.BinaryFields.readNullableLong;
import static io.repostream.flink.serialization.BinaryFields.readString;
import static io.repostream.flink.serialization.BinaryFields.readStrings;
import static io.repostream.flink.serialization.BinaryFields.writeEnum;
import static io.repostream.flink.serialization.BinaryFields.writeInstant;
import static io.repostream.flink.serialization.BinaryFields.writeNullableInstant;
import static io.repostream.flink.serialization.BinaryFields.writeNullableLong;
import static io.repostream.flink.serialization.BinaryFields.writeString;
import static io.repostream.flink.serialization.BinaryFields.writeStrings;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetKind;
import io.repostream.schemas.TypedTarget;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link ActionRecord} in binary, params tree included; for the wire. */
public final class ActionRecordSerializer extends ImmutableRecordSerializer<ActionRecord> {
    private static final long serialVersionUID = 1L;

    public static final ActionRecordSerializer INSTANCE = new ActionRecordSerializer();

    private static final ActionType[] TYPES = ActionType.values();

    private ActionRecordSerializer() {}

    @Override
    public void serialize(ActionRecord a, DataOutputView out) throws IOException {
        writeString(a.actionId(), out);
        writeString(a.repo(), out);
        out.writeLong(a.target());
        writeTypedTarget(a.declaredTarget(), out);
        writeEnum(a.type(), out);
        JsonNodeCodec.write(a.params(), out);
        writeString(a.reason(), out);
        writeStrings(a.evidence(), out);
        out.writeDouble(a.confidence());
        writeString(a.producedBy(), out);
        writeStrings(a.causedBy(), out);
        writeNullableLong(a.installationId(), out);
        writeInstant(a.createdAt(), out);
        writeNullableInstant(a.notBefore(), out);
        writeNullableInstant(a.expiresAt(), out);
        out.writeBoolean(a.dryRun());
    }

    @Override
    public ActionRecord deserialize(DataInputView in) throws IOException {
        return new ActionRecord(
                readString(in),
                readString(in),
                in.readLong(),
                readTypedTarget(in),
                readEnum(TYPES, in),
                JsonNodeCodec.read(in),
                readString(in),
                readStrings(in),
                in.readDouble(),
                readString(in),
                readStrings(in),
                readNullableLong(in),
                readInstant(in),
                readNullableInstant(in),
                readNullableInstant(in),
                in.readBoolean());
    }

    /** Null, or the kind by its wire name (a kind from a newer writer passes on unchanged). */
    private static void writeTypedTarget(TypedTarget t, DataOutputView out) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            writeString(t.kind().wireName(), out);
            writeString(t.id(), out);
        }
    }

    private static TypedTarget readTypedTarget(DataInputView in) throws IOException {
        return in.readBoolean()
                ? new TypedTarget(TargetKind.of(readString(in)), readString(in))
                : null;
    }

    @Override
    public TypeSerializerSnapshot<ActionRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (it has no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ActionRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
