package io.repostream.schemas.flink;

import io.repostream.schemas.json.JsonCodec;
import io.repostream.schemas.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink (de)serialization schemas over the topics' JSON codecs. */
public final class FlinkJson {
    private FlinkJson() {}

    /** Reads a topic's values; a record that breaks its schema fails with the field named. */
    public static <V> DeserializationSchema<V> values(Topic<?, V> topic) {
        return new ValueDeserializer<>(topic.valueCodec());
    }

    /** Writes a topic's values. */
    public static <V> SerializationSchema<V> valueWriter(Topic<?, V> topic) {
        return new ValueSerializer<>(topic.valueCodec());
    }

    /** Writes the record key that {@code key} extracts, as UTF-8. */
    public static <V> SerializationSchema<V> keyWriter(SerializableKey<V> key) {
        return (SerializationSchema<V>) value -> key.apply(value).getBytes(StandardCharsets.UTF_8);
    }

    /** A serializable key extractor. */
    @FunctionalInterface
    public interface SerializableKey<V> extends Function<V, String>, java.io.Serializable {}

    private static final class ValueSerializer<V> implements SerializationSchema<V> {
        private static final long serialVersionUID = 1L;
        private final JsonCodec<V> codec;

        ValueSerializer(JsonCodec<V> codec) {
            this.codec = codec;
        }

        @Override
        public byte[] serialize(V element) {
            return codec.encode(element);
        }
    }

    private static final class ValueDeserializer<V> implements DeserializationSchema<V> {
        private static final long serialVersionUID = 1L;
        private final JsonCodec<V> codec;

        ValueDeserializer(JsonCodec<V> codec) {
            this.codec = codec;
        }

        @Override
        public V deserialize(byte[] message) {
            return codec.decode(message);
        }

        @Override
        public boolean isEndOfStream(V nextElement) {
            return false;
        }

        @Override
        public TypeInformation<V> getProducedType() {
            return TypeInformation.of(codec.type());
        }
    }
}
