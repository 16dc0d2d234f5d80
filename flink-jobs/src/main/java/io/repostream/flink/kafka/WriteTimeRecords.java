package io.repostream.flink.kafka;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each record without the Flink element's timestamp, so the producer stamps it with the time
 * it is written (ARCHITECTURE.md rule 6). Flink's own serialization schema copies the element's
 * event time into the Kafka record: an action caused by an event from 2019 would then carry a 2019
 * timestamp, and on a topic that keeps create times, time-based retention would delete it within
 * minutes, before an executor that is down or lagging had read it. The event time stays in the
 * record body ({@code occurred_at}, the action id's cause).
 */
final class WriteTimeRecords<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final KafkaRecordSerializationSchema<T> delegate;

    WriteTimeRecords(KafkaRecordSerializationSchema<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
            throws Exception {
        delegate.open(context, sinkContext);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long eventTimestamp) {
        return delegate.serialize(element, context, null);
    }
}
