package io.repostream.flink.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.json.Json;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshotSerializationUtil;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What every binary record serializer of the job must do, checked over sample records: each sample
 * comes back equal and prints the same JSON (the records' public form), the byte copy keeps the
 * bytes, and the snapshot restores the serializer.
 *
 * <p>It also fails when a record gains a component the serializer does not carry: the samples must
 * show every component with at least two different values, one of them not null, so a component the
 * serializer drops or fills with a constant comes back different in some sample.
 */
public final class SerializerContract {
    /** Stands for null among the values a component takes. */
    private static final Object NULL = new Object();

    private SerializerContract() {}

    public static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left after reading %s", value).isZero();
        return back;
    }

    public static <T extends Record> void check(
            Class<T> type, TypeSerializer<T> serializer, List<T> samples) throws Exception {
        assertThat(samples).isNotEmpty();
        for (T sample : samples) {
            T back = roundTrip(serializer, sample);
            assertThat(back).isEqualTo(sample);
            assertThat(Json.mapper().writeValueAsString(back))
                    .isEqualTo(Json.mapper().writeValueAsString(sample));
            for (RecordComponent c : type.getRecordComponents()) {
                assertThat(c.getAccessor().invoke(back))
                        .as("%s.%s", type.getSimpleName(), c.getName())
                        .isEqualTo(c.getAccessor().invoke(sample));
            }
        }
        for (RecordComponent c : type.getRecordComponents()) {
            Set<Object> values = new HashSet<>();
            for (T sample : samples) {
                values.add(Objects.requireNonNullElse(c.getAccessor().invoke(sample), NULL));
            }
            assertThat(values)
                    .as(
                            "the samples must show %s.%s with two different values, one not"
                                    + " null, to prove that the serializer carries it",
                            type.getSimpleName(), c.getName())
                    .hasSizeGreaterThanOrEqualTo(2)
                    .anyMatch(v -> v != NULL);
        }
        checkByteCopy(serializer, samples);
        checkSnapshot(serializer);
    }

    private static <T> void checkByteCopy(TypeSerializer<T> serializer, List<T> samples)
            throws Exception {
        DataOutputSerializer written = new DataOutputSerializer(256);
        for (T sample : samples) {
            serializer.serialize(sample, written);
        }
        DataInputDeserializer in = new DataInputDeserializer(written.getCopyOfBuffer());
        DataOutputSerializer copied = new DataOutputSerializer(256);
        for (int i = 0; i < samples.size(); i++) {
            serializer.copy(in, copied);
        }
        assertThat(copied.getCopyOfBuffer()).isEqualTo(written.getCopyOfBuffer());
    }

    private static <T> void checkSnapshot(TypeSerializer<T> serializer) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(
                out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<T> restored =
                TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        SerializerContract.class.getClassLoader());
        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<T> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }
}
