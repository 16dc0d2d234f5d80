package io.repostream.schemas.json;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one record type. Deserialisation validates against the JSON Schema; a bad record
 * fails with a {@link SerializationException} whose message names the field.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final JsonCodec<T> codec;

    public JsonSerde(JsonCodec<T> codec) {
        this.codec = codec;
    }

    public JsonCodec<T> codec() {
        return codec;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : codec.encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null; // a tombstone on a compacted topic
        }
        try {
            return codec.decode(data);
        } catch (RecordValidationException e) {
            throw new SerializationException("record on " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the codec carries the type and its schema
    }

    @Override
    public void close() {}
}
