package io.repostream.flink.prediction;

import static io.repostream.flink.serialization.BinaryFields.readEnum;
import static io.repostream.flink.serialization.BinaryFields.readInstant;
import static io.repostream.flink.serialization.BinaryFields.readLongs;
import static io.repostream.flink.serialization.BinaryFields.readNullableInstant;
import static io.repostream.flink.serialization.BinaryFields.readNullableInt;
import static io.repostream.flink.serialization.BinaryFields.readNullableLong;
import static io.repostream.flink.serialization.BinaryFields.readString;
import static io.repostream.flink.serialization.BinaryFields.writeEnum;
import static io.repostream.flink.serialization.BinaryFields.writeInstant;
import static io.repostream.flink.serialization.BinaryFields.writeLongs;
import static io.repostream.flink.serialization.BinaryFields.writeNullableInstant;
import static io.repostream.flink.serialization.BinaryFields.writeNullableInt;
import static io.repostream.flink.serialization.BinaryFields.writeNullableLong;
import static io.repostream.flink.serialization.BinaryFields.writeString;

import io.repostream.flink.serialization.ImmutableRecordSerializer;
import io.repostream.flink.serialization.WireTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link BuildSignal} in binary, for the hop from the events source to the predictor. */
public final class BuildSignalSerializer extends ImmutableRecordSerializer<BuildSignal> {
    private static final long serialVersionUID = 1L;

    public static final BuildSignalSerializer INSTANCE = new BuildSignalSerializer();

    /** Type information of the predictor's signal stream. */
    public static final WireTypeInfo<BuildSignal> TYPE =
            new WireTypeInfo<>(BuildSignal.class, INSTANCE);

    private static final BuildSignal.Kind[] KINDS = BuildSignal.Kind.values();

    private BuildSignalSerializer() {}

    @Override
    public void serialize(BuildSignal s, DataOutputView out) throws IOException {
        writeEnum(s.kind(), out);
        writeString(s.repo(), out);
        writeString(s.eventId(), out);
        writeInstant(s.at(), out);
        writeNullableLong(s.installationId(), out);
        writeNullableLong(s.runId(), out);
        writeNullableInt(s.runAttempt(), out);
        writeNullableLong(s.workflowId(), out);
        writeString(s.headSha(), out);
        writeString(s.actor(), out);
        writeLongs(s.pullRequests(), out);
        writeNullableInt(s.commits(), out);
        writeNullableInt(s.additions(), out);
        writeNullableInt(s.deletions(), out);
        writeNullableInt(s.changedFiles(), out);
        writeNullableInstant(s.prCreatedAt(), out);
        writeString(s.reviewState(), out);
        writeString(s.conclusion(), out);
    }

    @Override
    public BuildSignal deserialize(DataInputView in) throws IOException {
        return new BuildSignal(
                readEnum(KINDS, in),
                readString(in),
                readString(in),
                readInstant(in),
                readNullableLong(in),
                readNullableLong(in),
                readNullableInt(in),
                readNullableLong(in),
                readString(in),
                readString(in),
                readLongs(in),
                readNullableInt(in),
                readNullableInt(in),
                readNullableInt(in),
                readNullableInt(in),
                readNullableInstant(in),
                readString(in),
                readString(in));
    }

    @Override
    public TypeSerializerSnapshot<BuildSignal> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (it has no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<BuildSignal> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
