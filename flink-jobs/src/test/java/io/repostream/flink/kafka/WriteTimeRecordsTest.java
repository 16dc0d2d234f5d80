package io.repostream.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.serialization.SampleRecords;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema.KafkaSinkContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The job's Kafka records are stamped when written, whatever the event time of their cause. */
class WriteTimeRecordsTest {
    private static final KafkaSinkContext ONE_WRITER =
            new KafkaSinkContext() {
                @Override
                public int getParallelInstanceId() {
                    return 0;
                }

                @Override
                public int getNumberOfParallelInstances() {
                    return 1;
                }

                @Override
                public int[] getPartitionsForTopic(String topic) {
                    return new int[] {0, 1, 2, 3, 4, 5};
                }
            };

    @Test
    void anActionCausedByA2019EventLeavesTheTimestampToTheProducer() throws Exception {
        KafkaRecordSerializationSchema<ActionRecord> writer =
                KafkaConnectors.recordWriter(Topics.ACTIONS, ActionRecord::repo);
        ActionRecord action = SampleRecords.actions().get(0);
        long eventTime = Instant.parse("2019-05-15T15:20:18Z").toEpochMilli();

        ProducerRecord<byte[], byte[]> record = writer.serialize(action, ONE_WRITER, eventTime);

        assertThat(record.timestamp())
                .as("null: the producer stamps the record with the time it is sent")
                .isNull();
        assertThat(record.topic()).isEqualTo(Topics.ACTIONS.name());
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(action.repo());
        assertThat(Topics.ACTIONS.valueCodec().decode(record.value())).isEqualTo(action);
    }
}
