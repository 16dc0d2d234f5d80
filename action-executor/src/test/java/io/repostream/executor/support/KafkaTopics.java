package io.repostream.executor.support;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes actions and policies to the real broker and watches the audit and snapshot topics, so
 * tests can wait for exactly the records of their own actions.
 */
public final class KafkaTopics implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, List<AuditRecord>> audits = new ConcurrentHashMap<>();
    private final Map<String, List<Snapshot>> snapshots = new ConcurrentHashMap<>();

    public KafkaTopics(EmbeddedKafkaBroker kafka) {
        this.producer =
                new KafkaProducer<>(
                        kafka.producerProps(), new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> props = kafka.consumerProps("unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.AUDIT.name(), Topics.SNAPSHOTS.name())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    public void send(ActionRecord action) {
        write(Topics.ACTIONS.name(), action.repo(), Topics.ACTIONS.valueCodec().encode(action));
    }

    public void sendAll(Collection<ActionRecord> actions) {
        for (ActionRecord action : actions) {
            producer.send(
                    new ProducerRecord<>(
                            Topics.ACTIONS.name(),
                            action.repo(),
                            Topics.ACTIONS.valueCodec().encode(action)));
        }
        producer.flush();
    }

    /** Raw bytes onto the actions topic, for input that is not a valid action. */
    public void sendRaw(String repo, byte[] value) {
        write(Topics.ACTIONS.name(), repo, value);
    }

    /** A snapshot as an earlier attempt (before a crash) would have left it. */
    public void send(Snapshot snapshot) {
        write(
                Topics.SNAPSHOTS.name(),
                snapshot.actionId(),
                Topics.SNAPSHOTS.valueCodec().encode(snapshot));
    }

    public void send(RepoPolicy policy) {
        write(Topics.CONFIG.name(), policy.repo(), Topics.CONFIG.valueCodec().encode(policy));
    }

    private void write(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("could not write to " + topic, e);
        }
    }

    /** Waits until {@code actionId} has an audit record matching {@code wanted}, and returns it. */
    public AuditRecord awaitAudit(
            String actionId, Predicate<AuditRecord> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (AuditRecord audit : audits(actionId)) {
                if (wanted.test(audit)) {
                    return audit;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no matching audit record for "
                                + actionId
                                + " within "
                                + timeout
                                + "; seen: "
                                + audits(actionId));
            }
            poll();
        }
    }

    public AuditRecord awaitAudit(String actionId, AuditOutcome outcome, Duration timeout) {
        return awaitAudit(actionId, a -> a.outcome() == outcome, timeout);
    }

    /** Waits until every id has at least one audit record. */
    public void awaitAudited(Collection<String> actionIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long missing = actionIds.stream().filter(id -> audits(id).isEmpty()).count();
            if (missing == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        missing
                                + " of "
                                + actionIds.size()
                                + " actions not audited within "
                                + timeout);
            }
            poll();
        }
    }

    /** Reads for a while longer, for tests that assert something did not happen. */
    public void drain(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
        }
    }

    /** Every action id with at least one audit record of {@code outcome}, among {@code ids}. */
    public long countWith(Collection<String> ids, AuditOutcome outcome) {
        return ids.stream()
                .filter(id -> audits(id).stream().anyMatch(a -> a.outcome() == outcome))
                .count();
    }

    public List<AuditRecord> audits(String actionId) {
        return List.copyOf(audits.getOrDefault(actionId, List.of()));
    }

    public List<Snapshot> snapshots(String actionId) {
        return List.copyOf(snapshots.getOrDefault(actionId, List.of()));
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
            if (record.value() == null) {
                continue; // a tombstone: nothing to remember
            }
            if (record.topic().equals(Topics.AUDIT.name())) {
                AuditRecord audit = Topics.AUDIT.valueCodec().decode(record.value());
                audits.computeIfAbsent(audit.actionId(), id -> new CopyOnWriteArrayList<>())
                        .add(audit);
            } else {
                Snapshot snapshot = Topics.SNAPSHOTS.valueCodec().decode(record.value());
                snapshots
                        .computeIfAbsent(snapshot.actionId(), id -> new CopyOnWriteArrayList<>())
                        .add(snapshot);
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
