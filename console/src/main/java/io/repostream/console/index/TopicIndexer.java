package io.repostream.console.index;

import io.repostream.console.ConsoleMetrics;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the actions, snapshots, audit and events topics into PostgreSQL (of events, only what the
 * pages show: type, sender, subject; the payload stays in Kafka). It keeps its offsets in the
 * database with the rows (not in a consumer group), so a restart goes on exactly after the last
 * committed batch, and deleting the offsets rebuilds the index from the topics. Reads {@code
 * read_committed}: Flink writes actions and dropped-action audits in transactions.
 */
public final class TopicIndexer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicIndexer.class);

    /** What the console indexes. */
    public static final List<Topic<String, ?>> TOPICS =
            List.of(Topics.ACTIONS, Topics.SNAPSHOTS, Topics.AUDIT, Topics.EVENTS, Topics.CONFIG);

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final IndexWriter writer;
    private final ConsoleMetrics metrics;
    private final Consumer<Set<String>> onChange;
    private final Clock clock;
    private final Thread thread;
    private final AtomicLong recordsRead = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean assigned;

    private TopicIndexer(
            Map<String, Object> kafkaClient,
            DataSource db,
            ConsoleMetrics metrics,
            Consumer<Set<String>> onChange,
            Clock clock) {
        Map<String, Object> props = new HashMap<>(kafkaClient);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "repostream-console-indexer");
        this.consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.writer = new IndexWriter(db, metrics);
        this.metrics = metrics;
        this.onChange = onChange;
        this.clock = clock;
        this.thread = new Thread(this::loop, "console-indexer");
        this.thread.setDaemon(true);
    }

    /**
     * Starts indexing on a thread of its own.
     *
     * @param onChange told, after each committed batch, the ids of the actions whose rows changed
     */
    public static TopicIndexer start(
            Map<String, Object> kafkaClient,
            DataSource db,
            ConsoleMetrics metrics,
            Consumer<Set<String>> onChange,
            Clock clock) {
        TopicIndexer indexer = new TopicIndexer(kafkaClient, db, metrics, onChange, clock);
        indexer.thread.start();
        return indexer;
    }

    /** Records this indexer has read from Kafka since it started (a restart starts at 0). */
    public long recordsRead() {
        return recordsRead.get();
    }

    /** Whether it has found every topic's partitions and positioned itself on them. */
    public boolean assigned() {
        return assigned;
    }

    private void loop() {
        try {
            while (running && !assign()) {
                pause(RETRY);
            }
            metrics.indexerRunning(true);
            while (running) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
                if (!polled.isEmpty()) {
                    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(polled.count());
                    polled.forEach(batch::add);
                    recordsRead.addAndGet(batch.size());
                    index(batch);
                }
                metrics.indexerLag(lag());
            }
        } catch (WakeupException closing) {
            // close() woke the consumer up
        } catch (RuntimeException e) {
            LOG.error("the console indexer stopped: {}", e.toString(), e);
        } finally {
            metrics.indexerRunning(false);
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            stopped.countDown();
        }
    }

    /**
     * Records on the topics not yet in the index: each assigned partition's end offset minus the
     * consumer's position, as the consumer last learned it (partitions it knows no lag of yet count
     * 0).
     */
    private long lag() {
        long lag = 0;
        for (org.apache.kafka.common.TopicPartition tp : consumer.assignment()) {
            lag += consumer.currentLag(tp).orElse(0);
        }
        return lag;
    }

    /** Writes the batch; on a database error, seeks back to the stored offsets and retries. */
    private void index(List<ConsumerRecord<byte[], byte[]>> batch) {
        try {
            Set<String> touched = writer.write(batch);
            metrics.committed(clock.instant());
            if (!touched.isEmpty()) {
                onChange.accept(touched);
            }
        } catch (java.sql.SQLException e) {
            metrics.indexFailed();
            LOG.warn(
                    "indexing {} records failed, retrying from the stored offsets in {}: {}",
                    batch.size(),
                    RETRY,
                    e.getMessage());
            // never go on past a batch that is not in the database
            do {
                pause(RETRY);
            } while (running && !seekToStored());
        }
    }

    /** Assigns every partition of the indexed topics; false while a topic does not exist yet. */
    private boolean assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<String, ?> topic : TOPICS) {
            List<PartitionInfo> infos =
                    consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                LOG.info("waiting for topic {} to exist", topic.name());
                return false;
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        if (!seekToStored()) {
            return false;
        }
        assigned = true;
        LOG.info("indexing {} partitions of {}", partitions.size(), TOPICS);
        return true;
    }

    /** Positions every partition after its stored offset, or at its beginning. */
    private boolean seekToStored() {
        Map<TopicPartition, Long> stored;
        try {
            stored = writer.offsets();
        } catch (java.sql.SQLException e) {
            LOG.warn("cannot read the indexer's offsets, retrying: {}", e.getMessage());
            return false;
        }
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) {
            Long next = stored.get(tp);
            if (next == null) {
                fresh.add(tp);
            } else {
                consumer.seek(tp, next);
            }
        }
        consumer.seekToBeginning(fresh);
        return true;
    }

    private void pause(Duration d) {
        try {
            closing.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        consumer.wakeup();
        try {
            if (!stopped.await(15, TimeUnit.SECONDS)) {
                LOG.warn("the console indexer did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
