package io.repostream.flink.rules.ci;

import static io.repostream.flink.serialization.BinaryFields.readIntMap;
import static io.repostream.flink.serialization.BinaryFields.readLongs;
import static io.repostream.flink.serialization.BinaryFields.readStringMap;
import static io.repostream.flink.serialization.BinaryFields.writeIntMap;
import static io.repostream.flink.serialization.BinaryFields.writeLongs;
import static io.repostream.flink.serialization.BinaryFields.writeStringMap;

import io.repostream.flink.serialization.ImmutableRecordSerializer;
import io.repostream.flink.serialization.JsonMigratingSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The CI retry planner's per-workflow state ({@link CiWorkflowState}) in binary; JSON state of
 * earlier versions is migrated on restore.
 */
public final class CiWorkflowStateSerializer extends ImmutableRecordSerializer<CiWorkflowState> {
    private static final long serialVersionUID = 1L;

    public static final CiWorkflowStateSerializer INSTANCE = new CiWorkflowStateSerializer();

    private CiWorkflowStateSerializer() {}

    @Override
    public void serialize(CiWorkflowState s, DataOutputView out) throws IOException {
        writeStringMap(s.failedJobs(), out);
        writeIntMap(s.failedShas(), out);
        writeStringMap(s.recentRuns(), out);
        writeLongs(s.reruns(), out);
    }

    @Override
    public CiWorkflowState deserialize(DataInputView in) throws IOException {
        return new CiWorkflowState(
                readStringMap(in), readIntMap(in), readStringMap(in), readLongs(in));
    }

    @Override
    public TypeSerializerSnapshot<CiWorkflowState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; migrates the workflows earlier versions wrote as JSON. */
    public static final class Snapshot extends JsonMigratingSnapshot<CiWorkflowState> {
        public Snapshot() {
            super(CiWorkflowState.class, () -> INSTANCE);
        }
    }
}
