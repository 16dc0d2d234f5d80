package io.repostream.flink.serialization;

import static io.repostream.flink.serialization.BinaryFields.readInstant;
import static io.repostream.flink.serialization.BinaryFields.readString;
import static io.repostream.flink.serialization.BinaryFields.readStringMap;
import static io.repostream.flink.serialization.BinaryFields.writeInstant;
import static io.repostream.flink.serialization.BinaryFields.writeString;
import static io.repostream.flink.serialization.BinaryFields.writeStringMap;

import io.repostream.schemas.RepoMetrics;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link RepoMetrics} in binary, labels in their order; for the wire. */
public final class RepoMetricsSerializer extends ImmutableRecordSerializer<RepoMetrics> {
    private static final long serialVersionUID = 1L;

    public static final RepoMetricsSerializer INSTANCE = new RepoMetricsSerializer();

    private RepoMetricsSerializer() {}

    @Override
    public void serialize(RepoMetrics m, DataOutputView out) throws IOException {
        writeString(m.repo(), out);
        writeString(m.metric(), out);
        writeStringMap(m.labels(), out);
        out.writeDouble(m.value());
        writeInstant(m.windowStart(), out);
        writeInstant(m.windowEnd(), out);
    }

    @Override
    public RepoMetrics deserialize(DataInputView in) throws IOException {
        return new RepoMetrics(
                readString(in),
                readString(in),
                readStringMap(in),
                in.readDouble(),
                readInstant(in),
                readInstant(in));
    }

    @Override
    public TypeSerializerSnapshot<RepoMetrics> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (it has no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RepoMetrics> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
