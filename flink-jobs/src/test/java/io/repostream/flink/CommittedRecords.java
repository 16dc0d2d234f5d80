package io.repostream.flink;

import io.repostream.schemas.topics.Topic;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code read_committed} consumers see of a topic: every record from the beginning up to the
 * end offsets (for such a reader, the last stable offsets), not merely the first n, so that a
 * duplicate cannot hide behind a count.
 */
final class CommittedRecords {
    private CommittedRecords() {}

    /** Every committed record of {@code topic} as of now. */
    static <V> List<ConsumerRecord<String, V>> readToEnd(
            EmbeddedKafkaBroker broker, Topic<String, V> topic, Duration timeout) {
        Map<String, Object> props = broker.consumerProps("unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(
                        props,
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name(), timeout).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "could not read " + topic.name() + " to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            }
        }
        return seen;
    }

    /**
     * Reads {@code topic} to its end again and again until what it holds satisfies {@code done}.
     */
    static <V> List<ConsumerRecord<String, V>> await(
            EmbeddedKafkaBroker broker,
            Topic<String, V> topic,
            Predicate<List<ConsumerRecord<String, V>>> done,
            Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ConsumerRecord<String, V>> all = readToEnd(broker, topic, timeout);
            if (done.test(all)) {
                return all;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "within "
                                + timeout
                                + ", "
                                + topic.name()
                                + " never held what was expected; it holds "
                                + all.size()
                                + " records: "
                                + all.stream().map(ConsumerRecord::value).toList());
            }
            Thread.sleep(200);
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
