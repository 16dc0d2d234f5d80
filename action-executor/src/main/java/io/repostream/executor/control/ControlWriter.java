package io.repostream.executor.control;

import io.repostream.schemas.ExecutorControl;
import io.repostream.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes {@link ExecutorControl} records to {@code github.control.v1} and waits for Kafka. */
public final class ControlWriter {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ControlWriter() {}

    /**
     * Writes the global kill switch ({@link ExecutorControl#KEY}).
     *
     * @param client Kafka client properties with {@code bootstrap.servers} (and any security
     *     settings)
     * @return the record's offset
     * @throws IllegalStateException when Kafka does not take the record; the switch is unchanged
     */
    public static long write(Map<String, Object> client, ExecutorControl control) {
        return write(client, ExecutorControl.KEY, control);
    }

    /**
     * Writes the switch of {@code key} ({@link ExecutorControl#KEY} or {@link
     * ExecutorControl#ruleKey}).
     *
     * @return the record's offset
     * @throws IllegalStateException when Kafka does not take the record; the switch is unchanged
     */
    public static long write(Map<String, Object> client, String key, ExecutorControl control) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "repostream-executor-control");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(
                            new ProducerRecord<>(
                                    Topics.CONTROL.name(),
                                    key,
                                    Topics.CONTROL.valueCodec().encode(control)))
                    .get(TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)
                    .offset();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Kafka did not take the kill switch record: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the kill switch");
        }
    }
}
