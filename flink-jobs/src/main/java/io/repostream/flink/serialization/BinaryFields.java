package io.repostream.flink.serialization;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Field encodings shared by the binary serializers. Strings use Flink's own string format (any
 * length, every UTF-16 code unit, null included), unlike {@code writeUTF}, which stops at 64 KB and
 * would fail on a long check-run text.
 */
public final class BinaryFields {
    private BinaryFields() {}

    /** A string or null. */
    public static void writeString(String value, DataOutputView out) throws IOException {
        StringValue.writeString(value, out);
    }

    public static String readString(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    public static void writeInstant(Instant value, DataOutputView out) throws IOException {
        out.writeLong(value.getEpochSecond());
        out.writeInt(value.getNano());
    }

    public static Instant readInstant(DataInputView in) throws IOException {
        long seconds = in.readLong();
        return Instant.ofEpochSecond(seconds, in.readInt());
    }

    public static void writeNullableInstant(Instant value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeInstant(value, out);
        }
    }

    public static Instant readNullableInstant(DataInputView in) throws IOException {
        return in.readBoolean() ? readInstant(in) : null;
    }

    public static void writeNullableLong(Long value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    public static Long readNullableLong(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    public static void writeNullableInt(Integer value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeInt(value);
        }
    }

    public static Integer readNullableInt(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    /** An enum constant or null, by ordinal: only for the wire, where both ends run one build. */
    public static void writeEnum(Enum<?> value, DataOutputView out) throws IOException {
        out.writeByte(value == null ? -1 : value.ordinal());
    }

    public static <E extends Enum<E>> E readEnum(E[] values, DataInputView in) throws IOException {
        int ordinal = in.readByte();
        if (ordinal == -1) {
            return null;
        }
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IOException("corrupt record: enum ordinal " + ordinal);
        }
        return values[ordinal];
    }

    /** A list of strings; null is written as empty (the records turn null lists into empty). */
    public static void writeStrings(List<String> values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(values.size());
        for (String v : values) {
            writeString(v, out);
        }
    }

    public static List<String> readStrings(DataInputView in) throws IOException {
        int n = readSize(in);
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(readString(in));
        }
        return values;
    }

    public static void writeLongs(List<Long> values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(values.size());
        for (long v : values) {
            out.writeLong(v);
        }
    }

    public static List<Long> readLongs(DataInputView in) throws IOException {
        int n = readSize(in);
        List<Long> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(in.readLong());
        }
        return values;
    }

    /** A string map in its iteration order; null is written as empty. */
    public static void writeStringMap(Map<String, String> values, DataOutputView out)
            throws IOException {
        if (values == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(values.size());
        for (Map.Entry<String, String> e : values.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
    }

    public static Map<String, String> readStringMap(DataInputView in) throws IOException {
        int n = readSize(in);
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = readString(in);
            values.put(key, readString(in));
        }
        return values;
    }

    /** A map of string to double in its iteration order; null is written as empty. */
    public static void writeDoubleMap(Map<String, Double> values, DataOutputView out)
            throws IOException {
        if (values == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(values.size());
        for (Map.Entry<String, Double> e : values.entrySet()) {
            writeString(e.getKey(), out);
            out.writeBoolean(e.getValue() != null);
            if (e.getValue() != null) {
                out.writeDouble(e.getValue());
            }
        }
    }

    public static Map<String, Double> readDoubleMap(DataInputView in) throws IOException {
        int n = readSize(in);
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = readString(in);
            values.put(key, in.readBoolean() ? in.readDouble() : null);
        }
        return values;
    }

    /** A map of string to int in its iteration order; null is written as empty. */
    public static void writeIntMap(Map<String, Integer> values, DataOutputView out)
            throws IOException {
        if (values == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(values.size());
        for (Map.Entry<String, Integer> e : values.entrySet()) {
            writeString(e.getKey(), out);
            writeNullableInt(e.getValue(), out);
        }
    }

    public static Map<String, Integer> readIntMap(DataInputView in) throws IOException {
        int n = readSize(in);
        Map<String, Integer> values = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = readString(in);
            values.put(key, readNullableInt(in));
        }
        return values;
    }

    private static int readSize(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt record: " + n + " elements");
        }
        return n;
    }
}
