package io.repostream.executor;

import io.repostream.executor.admin.AdminServer;
import io.repostream.executor.github.GitHubClient;
import io.repostream.executor.github.HubGitHubClient;
import io.repostream.executor.github.RequestGate;
import io.repostream.executor.handlers.Handlers;
import io.repostream.executor.ledger.Ledger;
import io.repostream.executor.ledger.RecordWriteException;
import io.repostream.executor.ledger.RecordWriter;
import io.repostream.executor.ledger.TopicTail;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.executor.policy.PolicyStore;
import io.repostream.executor.rollback.RollbackService;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.json.RecordValidationException;
import io.repostream.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running executor: consumes {@code github.actions.v1} ({@code read_committed}, manual commits)
 * on a thread of its own and hands each action to the {@link ActionProcessor}. Offsets are
 * committed only after an action's audit record is in Kafka.
 *
 * <pre>{@code
 * try (ActionExecutor executor = ActionExecutor.start(ExecutorConfig.defaults(kafka, api, token))) {
 *     ...
 * }
 * }</pre>
 */
public final class ActionExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActionExecutor.class);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WRITE_FAILURE_PAUSE = Duration.ofSeconds(1);

    private final ExecutorConfig config;
    private final ExecutorMetrics metrics = new ExecutorMetrics();
    private final Ledger ledger = new Ledger();
    private final PolicyStore policies = new PolicyStore();
    private final AtomicBoolean killSwitch;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final RecordWriter writer;
    private final TopicTail tail;
    private final ActionProcessor processor;
    private final RollbackService rollbacks;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<TopicPartition, Instant> deferred = new HashMap<>();
    private final Map<TopicPartition, Long> uncommitted = new HashMap<>();

    private final ExecutorService workers =
            Executors.newCachedThreadPool(
                    runnable -> {
                        Thread thread = new Thread(runnable, "action-worker");
                        thread.setDaemon(true);
                        return thread;
                    });

    private final Thread loop;
    private volatile boolean assigned;
    private AdminServer admin;

    private ActionExecutor(ExecutorConfig config) {
        this.config = config;
        this.killSwitch = new AtomicBoolean(config.killSwitch());
        RequestGate gate = new RequestGate(config, metrics);
        GitHubClient github = new HubGitHubClient(config, gate, metrics);
        Handlers handlers = Handlers.standard();
        this.tail = new TopicTail(config.kafkaClient(), ledger, policies);
        this.writer = new RecordWriter(config.kafkaClient(), config.groupId() + "-writer", ledger);
        this.processor =
                new ActionProcessor(
                        github,
                        handlers,
                        ledger,
                        policies,
                        writer,
                        metrics,
                        killSwitch::get,
                        Clock.systemUTC());
        this.rollbacks =
                new RollbackService(github, handlers, ledger, writer, metrics, Clock.systemUTC());
        this.consumer =
                new KafkaConsumer<>(
                        consumerProps(config),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
        this.loop = new Thread(this::run, "action-executor");
    }

    /**
     * Reads the audit, snapshot and config history, then starts consuming actions (and the admin
     * API when configured).
     *
     * @throws IllegalStateException when Kafka or the topics are not there
     */
    public static ActionExecutor start(ExecutorConfig config) {
        LOG.info("starting action executor with {}", config);
        ActionExecutor executor = new ActionExecutor(config);
        try {
            executor.tail.catchUp(CATCH_UP_TIMEOUT);
            LOG.info("ledger rebuilt: {} actions with audit records", executor.ledger.size());
            if (config.adminEnabled()) {
                executor.admin = AdminServer.start(config, executor);
            }
            executor.loop.start();
            return executor;
        } catch (RuntimeException e) {
            if (executor.admin != null) {
                executor.admin.close();
            }
            executor.closeResources();
            executor.writer.close();
            throw e;
        }
    }

    /** Stops consuming after the action in hand, commits, and closes every client. */
    @Override
    public void close() {
        if (!running.getAndSet(false)) {
            return;
        }
        consumer.wakeup();
        try {
            if (loop.isAlive() && !stopped.await(60, TimeUnit.SECONDS)) {
                LOG.warn("executor loop did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (admin != null) {
            admin.close();
        }
        writer.close();
    }

    public ExecutorMetrics metrics() {
        return metrics;
    }

    public Ledger ledger() {
        return ledger;
    }

    public RollbackService rollbacks() {
        return rollbacks;
    }

    public void killSwitch(boolean on) {
        LOG.warn("global kill switch turned {}", on ? "on" : "off");
        killSwitch.set(on);
    }

    public boolean killSwitch() {
        return killSwitch.get();
    }

    /** Whether the consume loop is running. */
    public boolean healthy() {
        return loop.isAlive() && running.get();
    }

    /** Whether the loop runs and has its share of the actions topic. */
    public boolean ready() {
        return healthy() && assigned;
    }

    /** The admin API's port, or -1 when it is off. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.ACTIONS.name()), new Rebalance());
            while (running.get()) {
                try {
                    tail.pollOnce(Duration.ZERO);
                    resumeDuePartitions();
                    ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
                    handle(records);
                    commit();
                    updateLag();
                } catch (RecordWriteException e) {
                    LOG.warn(
                            "Kafka did not take a write, retrying the actions in hand: {}",
                            e.getMessage());
                    pause(WRITE_FAILURE_PAUSE);
                } catch (CommitFailedException | RetriableException e) {
                    // a rebalance took partitions away before the commit: their actions come
                    // back to whoever owns them now, and the ledger keeps them from applying twice
                    LOG.warn("could not commit offsets, going on: {}", e.getMessage());
                    uncommitted.clear();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("executor loop stopped by an unexpected error", e);
        } finally {
            try {
                commit();
            } catch (RuntimeException e) {
                LOG.warn("could not commit offsets while stopping: {}", e.getMessage());
            }
            closeResources();
            stopped.countDown();
        }
    }

    /**
     * Hands each partition's records to a worker of its own: partitions (and so repos) are applied
     * in parallel, each one strictly in order. Seeks, pauses and commits stay on this thread, which
     * owns the consumer.
     */
    private void handle(ConsumerRecords<String, byte[]> records) {
        List<Future<PartitionRun>> runs = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> batch = records.records(partition);
            runs.add(workers.submit(() -> run(partition, batch)));
        }
        RecordWriteException failure = null;
        for (Future<PartitionRun> future : runs) {
            PartitionRun run = await(future);
            List<ConsumerRecord<String, byte[]>> batch = records.records(run.partition());
            if (run.nextOffset() > batch.get(0).offset()) {
                uncommitted.put(run.partition(), run.nextOffset());
            }
            if (run.nextOffset() <= batch.get(batch.size() - 1).offset()) {
                // stopped early (not due, Kafka failed, shutting down): fetch the rest again
                consumer.seek(run.partition(), run.nextOffset());
            }
            if (run.deferUntil() != null) {
                consumer.pause(List.of(run.partition()));
                deferred.put(run.partition(), run.deferUntil());
            }
            if (run.failure() != null) {
                failure = run.failure();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** What one worker did with its partition's share of a poll. */
    private record PartitionRun(
            TopicPartition partition,
            long nextOffset,
            Instant deferUntil,
            RecordWriteException failure) {}

    private PartitionRun run(TopicPartition partition, List<ConsumerRecord<String, byte[]>> batch) {
        long next = batch.get(0).offset();
        Instant deferUntil = null;
        RecordWriteException failure = null;
        List<Map.Entry<Long, RecordWriter.PendingAudit>> inFlight = new ArrayList<>();
        try {
            for (ConsumerRecord<String, byte[]> record : batch) {
                if (!running.get()) {
                    break;
                }
                ActionRecord action = decode(record);
                if (action != null
                        && action.notBefore() != null
                        && Instant.now().isBefore(action.notBefore())) {
                    // not due yet: wait for it without dropping it, and keep the repo's order
                    deferUntil = action.notBefore();
                    break;
                }
                if (action != null) {
                    inFlight.add(Map.entry(record.offset(), processor.processLater(action)));
                }
                next = record.offset() + 1;
            }
        } catch (RecordWriteException e) {
            failure = e;
        }
        // an offset is committed only once Kafka has the audit of its action
        for (Map.Entry<Long, RecordWriter.PendingAudit> pending : inFlight) {
            try {
                pending.getValue().await();
            } catch (RecordWriteException e) {
                if (pending.getKey() < next) {
                    next = pending.getKey();
                    failure = e;
                }
            }
        }
        return new PartitionRun(partition, next, failure == null ? deferUntil : null, failure);
    }

    private static PartitionRun await(Future<PartitionRun> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while actions were being applied", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("an action worker failed", e.getCause());
        }
    }

    private ActionRecord decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            LOG.error(
                    "skipping empty record {}-{}@{}",
                    record.topic(),
                    record.partition(),
                    record.offset());
            return null;
        }
        try {
            return Topics.ACTIONS.valueCodec().decode(record.value());
        } catch (RecordValidationException e) {
            // the record stays on the topic for whoever fixes its producer; it cannot be audited
            // without an action id, so it is logged with its coordinates
            LOG.error(
                    "skipping unreadable action {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return null;
        }
    }

    private void resumeDuePartitions() {
        Instant now = Instant.now();
        for (Iterator<Map.Entry<TopicPartition, Instant>> it = deferred.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<TopicPartition, Instant> entry = it.next();
            if (!now.isBefore(entry.getValue())) {
                consumer.resume(List.of(entry.getKey()));
                it.remove();
            }
        }
    }

    private void commit() {
        if (uncommitted.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        uncommitted.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        consumer.commitSync(offsets);
        uncommitted.clear();
    }

    private void updateLag() {
        long lag = 0;
        for (TopicPartition tp : consumer.assignment()) {
            lag += consumer.currentLag(tp).orElse(0);
        }
        metrics.lag(lag);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeResources() {
        workers.shutdown();
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("closing the actions consumer: {}", e.getMessage());
        }
        try {
            tail.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the ledger consumer: {}", e.getMessage());
        }
    }

    private static Map<String, Object> consumerProps(ExecutorConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafkaClient());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        // small fetches per partition, so that one poll holds several partitions' records and
        // the workers run side by side instead of draining one partition's backlog at a time
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024);
        // a worker may wait out a rate limit before the next poll; Kafka must not evict us then
        long maxPollInterval =
                Math.max(
                        Duration.ofMinutes(5).toMillis(), 4 * config.maxRateLimitWait().toMillis());
        props.put(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, maxPollInterval));
        if (config.instanceId() != null) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId());
        }
        return props;
    }

    /** Commits what was handled before partitions move to another executor. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit();
            partitions.forEach(deferred::remove);
            assigned = !consumer.assignment().isEmpty();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
        }
    }
}
