package io.repostream.testkit.kafka;

import io.repostream.schemas.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic from the beginning without joining a consumer group. */
final class TopicReader {
    private static final int MAX_LISTED = 20;

    private TopicReader() {}

    static <V> List<ConsumerRecord<String, V>> readAtLeast(
            Map<String, Object> consumerProps,
            Topic<String, V> topic,
            int atLeast,
            Duration timeout) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(
                        consumerProps,
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            // Assigning every partition (rather than subscribing) skips the group rebalance and
            // reads the topic from offset 0 however often it is called.
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name(), timeout).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .collect(Collectors.toList());
            if (partitions.isEmpty()) {
                throw new AssertionError(
                        "topic " + topic.name() + " does not exist; create it with createTopics");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            }
        }
        if (seen.size() < atLeast) {
            throw new AssertionError(
                    "expected at least "
                            + atLeast
                            + " committed records on "
                            + topic.name()
                            + " within "
                            + timeout
                            + " but saw "
                            + seen.size()
                            + describe(seen));
        }
        return seen;
    }

    private static String describe(List<? extends ConsumerRecord<String, ?>> records) {
        if (records.isEmpty()) {
            return "";
        }
        String listed =
                records.stream()
                        .limit(MAX_LISTED)
                        .map(
                                r ->
                                        "  "
                                                + r.partition()
                                                + "@"
                                                + r.offset()
                                                + " "
                                                + r.key()
                                                + " = "
                                                + r.value())
                        .collect(Collectors.joining("\n", ":\n", ""));
        return records.size() > MAX_LISTED
                ? listed + "\n  ... and " + (records.size() - MAX_LISTED) + " more"
                : listed;
    }
}
