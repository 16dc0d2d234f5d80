package io.repostream.flink.serialization;

import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.GitHubEvent;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The type of the events source's output: a {@link GitHubEvent}, or a {@link DeadLetter} for a
 * record it could not read. A union of the two records rather than a wrapper, so that the good path
 * allocates nothing for it; only the router chained to the source sees it (a source of events alone
 * is a valid source of this type too).
 */
public final class EventOrDeadLetter {
    private EventOrDeadLetter() {}

    public static final TypeInformation<Object> TYPE = new Info();

    /** The tagged binary form: 0 and a {@link GitHubEventSerializer} event, or 1 and JSON. */
    public static final class Serializer extends ImmutableRecordSerializer<Object> {
        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        private static final JsonTypeSerializer<DeadLetter> DEAD_LETTER =
                new JsonTypeSerializer<>(DeadLetter.class);

        private Serializer() {}

        @Override
        public void serialize(Object record, DataOutputView out) throws IOException {
            if (record instanceof GitHubEvent event) {
                out.writeByte(0);
                GitHubEventSerializer.INSTANCE.serialize(event, out);
            } else {
                out.writeByte(1);
                DEAD_LETTER.serialize((DeadLetter) record, out);
            }
        }

        @Override
        public Object deserialize(DataInputView in) throws IOException {
            return in.readByte() == 0
                    ? GitHubEventSerializer.INSTANCE.deserialize(in)
                    : DEAD_LETTER.deserialize(in);
        }

        @Override
        public TypeSerializerSnapshot<Object> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Restores the serializer (it has no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Object> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }

    private static final class Info extends RecordTypeInfo<Object> {
        private static final long serialVersionUID = 1L;

        Info() {
            super(Object.class);
        }

        @Override
        public TypeSerializer<Object> createSerializer(SerializerConfig config) {
            return Serializer.INSTANCE;
        }

        @Override
        public String toString() {
            return "EventOrDeadLetter";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info;
        }

        @Override
        public int hashCode() {
            return Info.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }
}
