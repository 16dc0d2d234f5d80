package io.repostream.executor.ledger;

import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes snapshots and audit records and waits for Kafka's acknowledgement ({@code acks=all},
 * idempotent), so that "written" means durable before the executor goes on.
 */
public final class RecordWriter implements AutoCloseable {
    /** Kafka gives up on a record within this time... */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    /**
     * ...and we wait a little longer, so that a write we report as failed has really failed and
     * cannot turn up later next to the retry's record.
     */
    private static final Duration ACK_TIMEOUT = DELIVERY_TIMEOUT.plusSeconds(5);

    /**
     * How long a record waits for others to share its request. Workers write side by side, so a few
     * milliseconds let one request carry many snapshots or audits instead of one each, which saves
     * most of the broker's work per action; GitHub's answers take far longer than this.
     */
    static final int LINGER_MS = 2;

    private final KafkaProducer<String, byte[]> producer;
    private final Ledger ledger;

    public RecordWriter(String bootstrapServers, String clientId, Ledger ledger) {
        this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), clientId, ledger);
    }

    /**
     * @param client Kafka client properties with {@code bootstrap.servers} (and any security
     *     settings); the writer's acknowledgement and idempotence settings go on top
     */
    public RecordWriter(Map<String, Object> client, String clientId, Ledger ledger) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        this.producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.ledger = ledger;
    }

    /** Writes the snapshot keyed by action id and waits until Kafka has it. */
    public void write(Snapshot snapshot) {
        send(
                Topics.SNAPSHOTS,
                snapshot.actionId(),
                snapshot,
                snapshot.repo() + "#" + snapshot.target());
        ledger.add(snapshot);
    }

    /** Writes the audit record keyed by repo and waits until Kafka has it. */
    public void write(AuditRecord audit) {
        send(Topics.AUDIT, audit.repo(), audit, audit.repo() + "#" + audit.target());
        ledger.add(audit);
    }

    /**
     * Sends the audit record without waiting. The ledger counts it at once, so that a duplicate
     * later in the same batch is recognised; {@link PendingAudit#await()} takes it back out if
     * Kafka refuses it.
     */
    public PendingAudit writeLater(AuditRecord audit) {
        byte[] bytes = Topics.AUDIT.valueCodec().encode(audit);
        ledger.add(audit);
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        try {
            producer.send(
                    new ProducerRecord<>(Topics.AUDIT.name(), audit.repo(), bytes),
                    (metadata, error) -> {
                        if (error == null) {
                            ack.complete(metadata);
                        } else {
                            ack.completeExceptionally(error);
                        }
                    });
        } catch (KafkaException e) {
            ack.completeExceptionally(e);
        }
        return new PendingAudit(audit, ack);
    }

    /**
     * An audit record that is in Kafka already (written in a transaction of its own, such as a
     * read's with its result), as a pending audit whose acknowledgement has come.
     */
    public PendingAudit written(AuditRecord audit) {
        ledger.add(audit);
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        ack.complete(null);
        return new PendingAudit(audit, ack);
    }

    /** An audit record on its way to Kafka. */
    public final class PendingAudit {
        private final AuditRecord audit;
        private final CompletableFuture<RecordMetadata> ack;

        private PendingAudit(AuditRecord audit, CompletableFuture<RecordMetadata> ack) {
            this.audit = audit;
            this.ack = ack;
        }

        public AuditRecord audit() {
            return audit;
        }

        /**
         * Completes when Kafka has the record, without anyone waiting for it; fails with a {@link
         * RecordWriteException} when Kafka refused it, and the ledger then forgets the record. Runs
         * on the producer's I/O thread: what is chained to it must not block.
         */
        public CompletableFuture<AuditRecord> acknowledged() {
            return ack.handle(
                    (metadata, error) -> {
                        if (error == null) {
                            return audit;
                        }
                        ledger.forget(audit);
                        throw new RecordWriteException(
                                "Kafka did not acknowledge the audit record of "
                                        + audit.repo()
                                        + "#"
                                        + audit.target(),
                                error);
                    });
        }

        /**
         * Waits until Kafka has the record.
         *
         * @throws RecordWriteException when it refused it; the ledger then forgets the record
         */
        public AuditRecord await() {
            String ref = audit.repo() + "#" + audit.target();
            try {
                ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return audit;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ledger.forget(audit);
                throw new RecordWriteException("interrupted writing the audit of " + ref, e);
            } catch (ExecutionException | TimeoutException e) {
                ledger.forget(audit);
                throw new RecordWriteException(
                        "Kafka did not acknowledge the audit record of " + ref, e);
            }
        }
    }

    private <V> void send(Topic<String, V> topic, String key, V value, String ref) {
        byte[] bytes = topic.valueCodec().encode(value);
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, bytes))
                    .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordWriteException(
                    "interrupted writing to " + topic.name() + " for " + ref, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new RecordWriteException(
                    "Kafka did not acknowledge the write to " + topic.name() + " for " + ref, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
