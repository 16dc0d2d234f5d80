package io.repostream.flink.rules.sla;

import static io.repostream.flink.serialization.BinaryFields.readLongs;
import static io.repostream.flink.serialization.BinaryFields.readNullableInstant;
import static io.repostream.flink.serialization.BinaryFields.readNullableLong;
import static io.repostream.flink.serialization.BinaryFields.readString;
import static io.repostream.flink.serialization.BinaryFields.writeLongs;
import static io.repostream.flink.serialization.BinaryFields.writeNullableInstant;
import static io.repostream.flink.serialization.BinaryFields.writeNullableLong;
import static io.repostream.flink.serialization.BinaryFields.writeString;

import io.repostream.flink.serialization.ImmutableRecordSerializer;
import io.repostream.flink.serialization.JsonMigratingSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The SLA monitor's per-item state ({@link SlaState}) in binary, read and written for every event
 * of an open issue or pull request; JSON state of earlier versions is migrated on restore.
 */
public final class SlaStateSerializer extends ImmutableRecordSerializer<SlaState> {
    private static final long serialVersionUID = 1L;

    public static final SlaStateSerializer INSTANCE = new SlaStateSerializer();

    private static final int RESPONSE_WARNED = 1;
    private static final int RESPONSE_BREACHED = 2;
    private static final int RESOLUTION_WARNED = 4;
    private static final int RESOLUTION_BREACHED = 8;
    private static final int PULL_REQUEST = 16;

    private SlaStateSerializer() {}

    @Override
    public void serialize(SlaState s, DataOutputView out) throws IOException {
        writeString(s.repo(), out);
        out.writeLong(s.number());
        writeString(s.author(), out);
        writeString(s.openedBy(), out);
        writeNullableInstant(s.openedAt(), out);
        writeString(s.priority(), out);
        writeNullableInstant(s.firstResponseAt(), out);
        out.writeByte(
                (s.responseWarned() ? RESPONSE_WARNED : 0)
                        | (s.responseBreached() ? RESPONSE_BREACHED : 0)
                        | (s.resolutionWarned() ? RESOLUTION_WARNED : 0)
                        | (s.resolutionBreached() ? RESOLUTION_BREACHED : 0)
                        | (s.pullRequest() ? PULL_REQUEST : 0));
        writeLongs(s.timers(), out);
        writeNullableLong(s.installationId(), out);
    }

    @Override
    public SlaState deserialize(DataInputView in) throws IOException {
        String repo = readString(in);
        long number = in.readLong();
        String author = readString(in);
        String openedBy = readString(in);
        var openedAt = readNullableInstant(in);
        String priority = readString(in);
        var firstResponseAt = readNullableInstant(in);
        int flags = in.readByte();
        return new SlaState(
                repo,
                number,
                author,
                (flags & PULL_REQUEST) != 0,
                openedBy,
                openedAt,
                priority,
                firstResponseAt,
                (flags & RESPONSE_WARNED) != 0,
                (flags & RESPONSE_BREACHED) != 0,
                (flags & RESOLUTION_WARNED) != 0,
                (flags & RESOLUTION_BREACHED) != 0,
                readLongs(in),
                readNullableLong(in));
    }

    @Override
    public TypeSerializerSnapshot<SlaState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; migrates the items earlier versions wrote as JSON. */
    public static final class Snapshot extends JsonMigratingSnapshot<SlaState> {
        public Snapshot() {
            super(SlaState.class, () -> INSTANCE);
        }
    }
}
