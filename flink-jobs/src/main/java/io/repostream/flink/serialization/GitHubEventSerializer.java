package io.repostream.flink.serialization;

import static io.repostream.flink.serialization.BinaryFields.readEnum;
import static io.repostream.flink.serialization.BinaryFields.readInstant;
import static io.repostream.flink.serialization.BinaryFields.readNullableLong;
import static io.repostream.flink.serialization.BinaryFields.readString;
import static io.repostream.flink.serialization.BinaryFields.writeEnum;
import static io.repostream.flink.serialization.BinaryFields.writeInstant;
import static io.repostream.flink.serialization.BinaryFields.writeNullableLong;
import static io.repostream.flink.serialization.BinaryFields.writeString;

import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link GitHubEvent} in binary, payload tree included ({@link JsonNodeCodec}); for the wire. */
public final class GitHubEventSerializer extends ImmutableRecordSerializer<GitHubEvent> {
    private static final long serialVersionUID = 1L;

    public static final GitHubEventSerializer INSTANCE = new GitHubEventSerializer();

    private static final EventSource[] SOURCES = EventSource.values();

    private GitHubEventSerializer() {}

    @Override
    public void serialize(GitHubEvent event, DataOutputView out) throws IOException {
        writeString(event.eventId(), out);
        writeEnum(event.source(), out);
        writeString(event.type(), out);
        writeString(event.action(), out);
        writeString(event.repo(), out);
        writeString(event.org(), out);
        writeNullableLong(event.installationId(), out);
        writeInstant(event.occurredAt(), out);
        writeInstant(event.receivedAt(), out);
        JsonNodeCodec.write(event.payload(), out);
    }

    @Override
    public GitHubEvent deserialize(DataInputView in) throws IOException {
        return new GitHubEvent(
                readString(in),
                readEnum(SOURCES, in),
                readString(in),
                readString(in),
                readString(in),
                readString(in),
                readNullableLong(in),
                readInstant(in),
                readInstant(in),
                JsonNodeCodec.read(in));
    }

    @Override
    public TypeSerializerSnapshot<GitHubEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (it has no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<GitHubEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
