package io.repostream.flink.governors;

import io.repostream.flink.functions.GovernorStateSerializerSnapshot;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes {@link GovernorState} as fixed-width binary. The installation governor of a busy
 * installation reads and writes its whole reservation list (up to thousands of send times) for
 * every action; as JSON that was most of the job's CPU time, as binary it is a copy. State written
 * as JSON by earlier versions is migrated on restore (see {@link GovernorStateSerializerSnapshot}).
 */
public final class GovernorStateSerializer extends TypeSerializer<GovernorState> {
    private static final long serialVersionUID = 1L;

    public static final GovernorStateSerializer INSTANCE = new GovernorStateSerializer();

    private static final int HAS_REMAINING = 1;
    private static final int HAS_RESET_AT = 2;
    private static final int HAS_INSTALLATION = 4;

    private GovernorStateSerializer() {}

    @Override
    public boolean isImmutableType() {
        return true; // a record of immutable lists
    }

    @Override
    public TypeSerializer<GovernorState> duplicate() {
        return this;
    }

    @Override
    public GovernorState createInstance() {
        return GovernorState.empty();
    }

    @Override
    public GovernorState copy(GovernorState from) {
        return from;
    }

    @Override
    public GovernorState copy(GovernorState from, GovernorState reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(GovernorState state, DataOutputView target) throws IOException {
        int flags =
                (state.remaining() != null ? HAS_REMAINING : 0)
                        | (state.resetAtMs() != null ? HAS_RESET_AT : 0)
                        | (state.installation() != null ? HAS_INSTALLATION : 0);
        target.writeByte(flags);
        writeTimes(state.sent(), target);
        writeTimes(state.content(), target);
        if (state.remaining() != null) {
            target.writeInt(state.remaining());
        }
        if (state.resetAtMs() != null) {
            target.writeLong(state.resetAtMs());
        }
        if (state.installation() != null) {
            target.writeUTF(state.installation());
        }
    }

    @Override
    public GovernorState deserialize(DataInputView source) throws IOException {
        int flags = source.readByte();
        List<Long> sent = readTimes(source);
        List<Long> content = readTimes(source);
        Integer remaining = (flags & HAS_REMAINING) != 0 ? source.readInt() : null;
        Long resetAtMs = (flags & HAS_RESET_AT) != 0 ? source.readLong() : null;
        String installation = (flags & HAS_INSTALLATION) != 0 ? source.readUTF() : null;
        return new GovernorState(sent, content, remaining, resetAtMs, installation);
    }

    @Override
    public GovernorState deserialize(GovernorState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GovernorStateSerializer;
    }

    @Override
    public int hashCode() {
        return GovernorStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<GovernorState> snapshotConfiguration() {
        return new GovernorStateSerializerSnapshot();
    }

    private static void writeTimes(List<Long> times, DataOutputView target) throws IOException {
        target.writeInt(times.size());
        for (long t : times) {
            target.writeLong(t);
        }
    }

    private static List<Long> readTimes(DataInputView source) throws IOException {
        int n = source.readInt();
        if (n < 0) {
            throw new IOException("corrupt governor state: " + n + " send times");
        }
        Long[] times = new Long[n];
        for (int i = 0; i < n; i++) {
            times[i] = source.readLong();
        }
        return Arrays.asList(times); // GovernorState copies it into an immutable list
    }
}
