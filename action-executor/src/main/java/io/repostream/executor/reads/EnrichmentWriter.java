package io.repostream.executor.reads;

import io.repostream.executor.ledger.Ledger;
import io.repostream.executor.ledger.RecordWriteException;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a read's result ({@code github.events.v1}, {@code source: enrichment}) and its audit
 * record ({@code github.audit.v1}) in one Kafka transaction: both are there or neither. That is
 * what makes a read exactly once across crashes: the ledger (read {@code read_committed}) knows a
 * read as decided only once its result is in the events topic too, so a crash before the commit
 * reads again and writes once, and a crash after it finds the read decided and writes nothing.
 *
 * <p>One transaction at a time (reads are few; a transaction is a few milliseconds). The
 * transactional id is stable per executor instance, so a restarted instance fences and aborts what
 * its predecessor left open rather than let read_committed readers wait for its timeout.
 */
public final class EnrichmentWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentWriter.class);

    /** An abandoned transaction (an instance gone for good) blocks readers at most this long. */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(15);

    private final Map<String, Object> props;
    private final Ledger ledger;
    private KafkaProducer<String, byte[]> producer;

    /**
     * @param client Kafka client properties with {@code bootstrap.servers} (and any security
     *     settings)
     * @param transactionalId stable per executor instance (its group and instance id)
     */
    public EnrichmentWriter(Map<String, Object> client, String transactionalId, Ledger ledger) {
        this.props = new HashMap<>(client);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        this.ledger = ledger;
    }

    /**
     * Writes both in one transaction and, once committed, counts the audit in the ledger.
     *
     * @throws RecordWriteException when Kafka did not commit it; the read is then to be retried
     */
    public synchronized void write(GitHubEvent result, AuditRecord audit) {
        KafkaProducer<String, byte[]> p = producer();
        try {
            p.beginTransaction();
            p.send(
                    new ProducerRecord<>(
                            Topics.EVENTS.name(),
                            result.key(),
                            Topics.EVENTS.valueCodec().encode(result)));
            p.send(
                    new ProducerRecord<>(
                            Topics.AUDIT.name(),
                            audit.repo(),
                            Topics.AUDIT.valueCodec().encode(audit)));
            p.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            // this producer cannot go on: the next read makes a new one
            closeProducer();
            throw new RecordWriteException(
                    "Kafka refused the result of read " + audit.actionId(), e);
        } catch (KafkaException e) {
            try {
                p.abortTransaction();
            } catch (KafkaException abortFailed) {
                LOG.warn("aborting the transaction of read {} failed", audit.actionId());
                closeProducer();
            }
            throw new RecordWriteException(
                    "Kafka did not commit the result of read " + audit.actionId(), e);
        }
        ledger.add(audit);
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            KafkaProducer<String, byte[]> p =
                    new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
            try {
                p.initTransactions();
            } catch (KafkaException e) {
                p.close(Duration.ZERO);
                throw new RecordWriteException("Kafka did not start the reads' transactions", e);
            }
            producer = p;
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
