package io.repostream.testkit.kafka;

import io.repostream.schemas.topics.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics idempotently and waits until each partition has a leader. */
final class TopicCreator {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicCreator() {}

    static void createTopics(Admin admin, Collection<? extends Topic<?, ?>> topics) {
        create(
                admin,
                topics.stream()
                        .map(topic -> topic.newTopic(Optional.empty(), (short) 1))
                        .collect(Collectors.toList()));
    }

    static void createTopic(Admin admin, String name, int partitions) {
        create(admin, List.of(new NewTopic(name, partitions, (short) 1).configs(Topic.WRITE_TIME)));
    }

    private static void create(Admin admin, List<NewTopic> requests) {
        if (requests.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<Void>> results = admin.createTopics(requests).values();
        results.forEach(TopicCreator::awaitCreatedOrExisting);
        awaitLeaders(admin, results.keySet());
    }

    private static void awaitCreatedOrExisting(String name, KafkaFuture<Void> result) {
        try {
            result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + name + " not created in " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    /**
     * The controller acknowledges a creation before the broker has loaded the new partitions; a
     * producer started right then would see {@code UNKNOWN_TOPIC_OR_PARTITION}.
     */
    private static void awaitLeaders(Admin admin, Set<String> names) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Optional<String> missing = leaderlessPartition(admin, names);
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        missing.get() + " still has no leader after " + TIMEOUT);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + names, e);
            }
        }
    }

    private static Optional<String> leaderlessPartition(Admin admin, Set<String> names) {
        Map<String, TopicDescription> topics;
        try {
            topics =
                    admin.describeTopics(names)
                            .allTopicNames()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return Optional.of("topics " + names + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + names, e);
        }
        for (TopicDescription topic : topics.values()) {
            for (TopicPartitionInfo partition : topic.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    return Optional.of(topic.name() + "-" + partition.partition());
                }
            }
        }
        return Optional.empty();
    }
}
