package io.repostream.flink.governors;

import io.repostream.flink.serialization.BinaryFields;
import io.repostream.flink.serialization.ImmutableRecordSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes {@link InstallationGovernorState} as binary. The state is read and written for every
 * action and every release of the installation's queue, so it is a copy, not JSON; the queued
 * actions are kept apart (a map state keyed by sequence number), only their index is here.
 */
public final class InstallationGovernorStateSerializer
        extends ImmutableRecordSerializer<InstallationGovernorState> {
    private static final long serialVersionUID = 1L;

    public static final InstallationGovernorStateSerializer INSTANCE =
            new InstallationGovernorStateSerializer();

    private InstallationGovernorStateSerializer() {}

    @Override
    public void serialize(InstallationGovernorState s, DataOutputView out) throws IOException {
        SendTimes.write(s.content(), out);
        BinaryFields.writeNullableInt(s.remaining(), out);
        BinaryFields.writeNullableLong(s.resetAtMs(), out);
        out.writeLong(s.nextSlotMs());
        out.writeLong(s.wakeAtMs());
        out.writeLong(s.nextSeq());
        out.writeInt(s.queue().size());
        for (InstallationGovernorState.Queued q : s.queue()) {
            out.writeLong(q.seq());
            out.writeByte(q.rank());
            BinaryFields.writeString(q.target(), out);
            out.writeLong(q.readyAtMs());
            out.writeLong(q.expiresAtMs());
            out.writeByte((q.content() ? 1 : 0) | (q.delayed() ? 2 : 0));
        }
    }

    @Override
    public InstallationGovernorState deserialize(DataInputView in) throws IOException {
        List<Long> content = SendTimes.read(in);
        Integer remaining = BinaryFields.readNullableInt(in);
        Long resetAtMs = BinaryFields.readNullableLong(in);
        long nextSlot = in.readLong();
        long wake = in.readLong();
        long nextSeq = in.readLong();
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt installation governor state: " + n + " queued");
        }
        List<InstallationGovernorState.Queued> queue = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long seq = in.readLong();
            int rank = in.readByte();
            String target = BinaryFields.readString(in);
            long ready = in.readLong();
            long expires = in.readLong();
            int flags = in.readByte();
            queue.add(
                    new InstallationGovernorState.Queued(
                            seq, rank, target, ready, expires, (flags & 1) != 0, (flags & 2) != 0));
        }
        return new InstallationGovernorState(
                content, remaining, resetAtMs, nextSlot, wake, nextSeq, queue);
    }

    @Override
    public TypeSerializerSnapshot<InstallationGovernorState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (it has no configuration). */
    public static final class Snapshot
            extends SimpleTypeSerializerSnapshot<InstallationGovernorState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
