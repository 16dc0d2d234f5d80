package io.repostream.flink.serialization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ShortNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A Jackson tree as tagged binary: one byte per node for its kind, then its value. Node kinds are
 * kept as they are (an {@code IntNode} comes back as an {@code IntNode}, a decimal with its scale),
 * field order too, so a tree compares equal and prints the same JSON after the trip. Only for the
 * wire (see {@link WireTypeInfo}).
 */
public final class JsonNodeCodec {
    private static final int NULL = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int TEXT = 3;
    private static final int INT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int DECIMAL = 7;
    private static final int BIG_INTEGER = 8;
    private static final int FLOAT = 9;
    private static final int SHORT = 10;
    private static final int BINARY = 11;
    private static final int ARRAY = 12;
    private static final int OBJECT = 13;

    /** No tree at all (a null reference), as opposed to JSON {@code null}. */
    private static final int ABSENT = 14;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonNodeCodec() {}

    /** Writes {@code node}, which may be null. */
    public static void write(JsonNode node, DataOutputView out) throws IOException {
        if (node == null) {
            out.writeByte(ABSENT);
            return;
        }
        switch (node.getNodeType()) {
            case NULL -> out.writeByte(NULL);
            case BOOLEAN -> out.writeByte(node.booleanValue() ? TRUE : FALSE);
            case STRING -> {
                out.writeByte(TEXT);
                BinaryFields.writeString(node.textValue(), out);
            }
            case NUMBER -> writeNumber(node, out);
            case BINARY -> {
                out.writeByte(BINARY);
                byte[] bytes = node.binaryValue();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            case ARRAY -> {
                out.writeByte(ARRAY);
                out.writeInt(node.size());
                for (JsonNode element : node) {
                    write(element, out);
                }
            }
            case OBJECT -> {
                out.writeByte(OBJECT);
                out.writeInt(node.size());
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    BinaryFields.writeString(field.getKey(), out);
                    write(field.getValue(), out);
                }
            }
            default ->
                    // POJO and missing nodes never come out of parsing JSON
                    throw new IOException("cannot write a JSON node of type " + node.getNodeType());
        }
    }

    private static void writeNumber(JsonNode node, DataOutputView out) throws IOException {
        if (node instanceof IntNode) {
            out.writeByte(INT);
            out.writeInt(node.intValue());
        } else if (node instanceof LongNode) {
            out.writeByte(LONG);
            out.writeLong(node.longValue());
        } else if (node instanceof DoubleNode) {
            out.writeByte(DOUBLE);
            out.writeDouble(node.doubleValue());
        } else if (node instanceof DecimalNode) {
            out.writeByte(DECIMAL);
            BigDecimal d = node.decimalValue();
            out.writeInt(d.scale());
            writeBigInteger(d.unscaledValue(), out);
        } else if (node instanceof BigIntegerNode) {
            out.writeByte(BIG_INTEGER);
            writeBigInteger(node.bigIntegerValue(), out);
        } else if (node instanceof FloatNode) {
            out.writeByte(FLOAT);
            out.writeFloat(node.floatValue());
        } else if (node instanceof ShortNode) {
            out.writeByte(SHORT);
            out.writeShort(node.shortValue());
        } else {
            throw new IOException("cannot write a JSON number of " + node.getClass().getName());
        }
    }

    /** Reads a tree written by {@link #write}; null where null was written. */
    public static JsonNode read(DataInputView in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case ABSENT -> null;
            case NULL -> NullNode.getInstance();
            case FALSE -> BooleanNode.FALSE;
            case TRUE -> BooleanNode.TRUE;
            case TEXT -> TextNode.valueOf(BinaryFields.readString(in));
            case INT -> IntNode.valueOf(in.readInt());
            case LONG -> LongNode.valueOf(in.readLong());
            case DOUBLE -> DoubleNode.valueOf(in.readDouble());
            case DECIMAL -> {
                int scale = in.readInt();
                yield DecimalNode.valueOf(new BigDecimal(readBigInteger(in), scale));
            }
            case BIG_INTEGER -> BigIntegerNode.valueOf(readBigInteger(in));
            case FLOAT -> FloatNode.valueOf(in.readFloat());
            case SHORT -> ShortNode.valueOf(in.readShort());
            case BINARY -> BinaryNode.valueOf(readBytes(in));
            case ARRAY -> {
                int n = readSize(in);
                ArrayNode array = NODES.arrayNode(n);
                for (int i = 0; i < n; i++) {
                    array.add(nonNull(read(in)));
                }
                yield array;
            }
            case OBJECT -> {
                int n = readSize(in);
                ObjectNode object = NODES.objectNode();
                for (int i = 0; i < n; i++) {
                    String name = BinaryFields.readString(in);
                    object.set(name, nonNull(read(in)));
                }
                yield object;
            }
            default -> throw new IOException("corrupt JSON tree: node tag " + tag);
        };
    }

    private static JsonNode nonNull(JsonNode node) throws IOException {
        if (node == null) {
            throw new IOException("corrupt JSON tree: absent node inside a tree");
        }
        return node;
    }

    private static void writeBigInteger(BigInteger value, DataOutputView out) throws IOException {
        byte[] bytes = value.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static BigInteger readBigInteger(DataInputView in) throws IOException {
        return new BigInteger(readBytes(in));
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        byte[] bytes = new byte[readSize(in)];
        in.readFully(bytes);
        return bytes;
    }

    private static int readSize(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt JSON tree: size " + n);
        }
        return n;
    }
}
