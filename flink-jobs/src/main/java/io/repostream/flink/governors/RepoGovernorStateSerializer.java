package io.repostream.flink.governors;

import io.repostream.flink.serialization.BinaryFields;
import io.repostream.flink.serialization.ImmutableRecordSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Writes {@link RepoGovernorState} as binary: the sorted send times, then the installation. */
public final class RepoGovernorStateSerializer
        extends ImmutableRecordSerializer<RepoGovernorState> {
    private static final long serialVersionUID = 1L;

    public static final RepoGovernorStateSerializer INSTANCE = new RepoGovernorStateSerializer();

    private RepoGovernorStateSerializer() {}

    @Override
    public void serialize(RepoGovernorState state, DataOutputView out) throws IOException {
        SendTimes.write(state.sent(), out);
        BinaryFields.writeString(state.installation(), out);
    }

    @Override
    public RepoGovernorState deserialize(DataInputView in) throws IOException {
        return new RepoGovernorState(SendTimes.read(in), BinaryFields.readString(in));
    }

    @Override
    public TypeSerializerSnapshot<RepoGovernorState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (it has no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RepoGovernorState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
