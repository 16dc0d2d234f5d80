package io.repostream.bridge;

import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything on a topic right now (up to its end offsets), to show what did and did not reach
 * Kafka. {@code EmbeddedKafkaBroker.consume} waits for a minimum; this reads what is there.
 */
final class TopicContents {
    private TopicContents() {}

    static <V> List<ConsumerRecord<String, V>> all(
            EmbeddedKafkaBroker kafka, Topic<String, V> topic) {
        Map<String, Object> props = kafka.consumerProps("unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(
                        props, new StringDeserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end in 20 s");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    static <V> List<V> values(EmbeddedKafkaBroker kafka, Topic<String, V> topic) {
        return all(kafka, topic).stream().map(ConsumerRecord::value).toList();
    }

    /** The events of {@code repo} on github.events.v1, webhooks and polled alike. */
    static List<GitHubEvent> eventsOf(EmbeddedKafkaBroker kafka, String repo) {
        return values(kafka, Topics.EVENTS).stream().filter(e -> repo.equals(e.repo())).toList();
    }

    /** The events of {@code repo} that the poller wrote. */
    static List<GitHubEvent> polledEventsOf(EmbeddedKafkaBroker kafka, String repo) {
        return eventsOf(kafka, repo).stream().filter(e -> e.source() == EventSource.POLL).toList();
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
