package io.repostream.console.support;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes records onto the real broker as the Flink job and the executor do, and reads end offsets.
 */
public final class TopicWriter implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;

    public TopicWriter(EmbeddedKafkaBroker kafka) {
        this.producer =
                new KafkaProducer<>(
                        kafka.producerProps(), new StringSerializer(), new ByteArraySerializer());
        this.admin = Admin.create(kafka.adminProps());
    }

    public void send(ActionRecord a) {
        write(Topics.ACTIONS.name(), a.repo(), Topics.ACTIONS.valueCodec().encode(a));
    }

    public void send(Snapshot s) {
        write(Topics.SNAPSHOTS.name(), s.actionId(), Topics.SNAPSHOTS.valueCodec().encode(s));
    }

    public void send(AuditRecord a) {
        write(Topics.AUDIT.name(), a.repo(), Topics.AUDIT.valueCodec().encode(a));
    }

    public void send(GitHubEvent e) {
        write(Topics.EVENTS.name(), e.repo(), Topics.EVENTS.valueCodec().encode(e));
    }

    public void send(RepoPolicy p) {
        write(Topics.CONFIG.name(), p.repo(), Topics.CONFIG.valueCodec().encode(p));
    }

    /** Removes {@code repo}'s policy from the compacted policy topic. */
    public void deletePolicy(String repo) {
        write(Topics.CONFIG.name(), repo, null);
    }

    /** Creates topic {@code name} with one partition. */
    public void createTopic(String name) {
        try {
            admin.createTopics(
                            List.of(
                                    new org.apache.kafka.clients.admin.NewTopic(
                                            name, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create " + name, e);
        }
    }

    /** Writes {@code count} records to {@code topic}. */
    public void sendRaw(String topic, int count) {
        for (int i = 0; i < count; i++) {
            write(topic, "k" + i, new byte[] {'{', '}'});
        }
    }

    /** Commits offset {@code offset} of partition 0 of {@code topic} for {@code group}. */
    public void commit(String group, String topic, long offset) {
        try {
            admin.alterConsumerGroupOffsets(
                            group,
                            Map.of(
                                    new TopicPartition(topic, 0),
                                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(
                                            offset)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not commit for " + group, e);
        }
    }

    /** Bytes that are not a valid audit record. */
    public void sendBrokenAudit(String repo, String text) {
        write(Topics.AUDIT.name(), repo, text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to " + topic, e);
        }
    }

    /** Every partition's end offset, for the topics in {@code topics}. */
    public Map<TopicPartition, Long> endOffsets(List<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (var d : admin.describeTopics(topics).allTopicNames().get().values()) {
                d.partitions()
                        .forEach(
                                p ->
                                        request.put(
                                                new TopicPartition(d.name(), p.partition()),
                                                OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
                    admin.listOffsets(request).all().get().entrySet()) {
                ends.put(e.getKey(), e.getValue().offset());
            }
            return ends;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many records the topics hold. */
    public long recordCount(List<String> topics) {
        return new ArrayList<>(endOffsets(topics).values())
                .stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
