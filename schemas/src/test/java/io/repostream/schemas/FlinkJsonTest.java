package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.flink.FlinkJson;
import io.repostream.schemas.topics.Topics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.junit.jupiter.api.Test;

class FlinkJsonTest {

    @SuppressWarnings("unchecked")
    private static <T> T javaRoundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void theFlinkSchemasSurviveJavaSerialisationAsFlinkShipsThem() throws Exception {
        SerializationSchema<ActionRecord> writer =
                javaRoundTrip(FlinkJson.valueWriter(Topics.ACTIONS));
        DeserializationSchema<ActionRecord> reader =
                javaRoundTrip(FlinkJson.values(Topics.ACTIONS));

        ActionRecord action = SampleRecords.action();

        assertThat(reader.deserialize(writer.serialize(action))).isEqualTo(action);
        assertThat(reader.getProducedType().getTypeClass()).isEqualTo(ActionRecord.class);
    }

    @Test
    void theKeyWriterWritesTheExtractedKeyAsUtf8() throws Exception {
        SerializationSchema<ActionRecord> key =
                javaRoundTrip(FlinkJson.keyWriter(ActionRecord::repo));

        assertThat(new String(key.serialize(SampleRecords.action()), StandardCharsets.UTF_8))
                .isEqualTo("octo-org/hello-world");
    }
}
