package io.repostream.executor;

import io.repostream.executor.admin.AdminServer;
import io.repostream.executor.control.ControlState;
import io.repostream.executor.control.ControlWriter;
import io.repostream.executor.ledger.Ledger;
import io.repostream.executor.ledger.RecordWriteException;
import io.repostream.executor.ledger.RecordWriter;
import io.repostream.executor.ledger.TopicTail;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.executor.reads.EnrichmentWriter;
import io.repostream.executor.reads.ReadBacklog;
import io.repostream.executor.rollback.RollbackResult;
import io.repostream.executor.rollback.RollbackService;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.ExecutorControl;
import io.repostream.schemas.TypedTarget;
import io.repostream.schemas.json.RecordValidationException;
import io.repostream.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** Longest wait for the actions in flight when stopping or giving partitions away. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** Offsets are committed this often (and when stopping or giving partitions away). */
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);

    /** A partition with this many actions in flight is paused until half of them are done. */
    private static final int MAX_IN_FLIGHT_PER_PARTITION = 1000;

    /**
     * A partition holding this many actions that are not due yet stops fetching until half of them
     * have started: what is held in memory stays bounded (a poll may add up to its 500 records).
     */
    static final int MAX_HELD_PER_PARTITION = 2000;

    /** Poll timeout while a partition waits for its backlog, so that it resumes promptly. */
    private static final Duration BACKED_UP_POLL = Duration.ofMillis(10);

    private final ExecutorConfig config;
    private final ExecutorMetrics metrics;
    private final Ledger ledger;
    private final ControlState control;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final RecordWriter writer;
    private final EnrichmentWriter enrichment;
    private final ReadBacklog readBacklog;
    private final TopicTail tail;
    private final ActionProcessor processor;
    private final RollbackService rollbacks;
    private final KafkaConsumer<String, byte[]> consumer;

    // consumer thread only
    private final Map<TopicPartition, PartitionPipeline> pipelines = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final Set<TopicPartition> holdingTooMany = new HashSet<>();
    private long lastCommitNanos;

    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timers;

    private final Thread loop;
    private volatile boolean assigned;
    private AdminServer admin;

    private ActionExecutor(ExecutorConfig config, ExecutorWiring wiring) {
        this.config = config;
        // actions applied at once: each blocks its worker on GitHub's answers and the snapshot's
        // ack, one request at a time, so as many workers as requests may be in flight (GitHub:
        // 100);
        // a fixed 32 capped 100 installations under their pacing at ~32 actions/s (issue 15)
        this.workers = workers(config.maxConcurrentRequests());
        this.timers = timers();
        this.metrics = wiring.metrics;
        this.ledger = wiring.ledger;
        this.control = wiring.control;
        this.tail = wiring.tail;
        this.writer = wiring.writer;
        this.enrichment = wiring.enrichment;
        this.readBacklog = wiring.readBacklog;
        this.processor = wiring.processor;
        this.rollbacks = wiring.rollbacks;
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
        return start(config, ExecutorWiring.of(config));
    }

    /**
     * Like {@link #start(ExecutorConfig)}, running the graph {@code wiring} built (with a GitHub
     * client of the caller's, say).
     */
    public static ActionExecutor start(ExecutorConfig config, ExecutorWiring wiring) {
        LOG.info("starting action executor with {}", config);
        ActionExecutor executor = new ActionExecutor(config, wiring);
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
            executor.enrichment.close();
            throw e;
        }
    }

    /**
     * Stops starting actions, lets those in flight finish (up to 30 s), commits, and closes every
     * client.
     */
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
        enrichment.close();
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

    /**
     * Rolls back one action on the action workers; a GitHub limit it meets is waited for on a
     * timer, not in a worker ({@link RollbackService#rollbackLater}).
     */
    public CompletionStage<RollbackResult> rollbackLater(
            String actionId, boolean preview, String requestedBy) {
        return rollbacks.rollbackLater(actionId, preview, requestedBy, workers, timers);
    }

    /** A bulk rollback as {@link #rollbackLater}, one action after another. */
    public CompletionStage<List<RollbackResult>> rollbackAllLater(
            String producedBy,
            String repo,
            Instant from,
            Instant to,
            boolean preview,
            String requestedBy) {
        return rollbacks.rollbackAllLater(
                producedBy, repo, from, to, preview, requestedBy, workers, timers);
    }

    /**
     * Turns the kill switch on or off for every executor: writes the record to {@code
     * github.control.v1} and waits for Kafka; each executor (this one at once) follows it.
     *
     * @throws IllegalStateException when the control topic is missing or Kafka does not take it
     */
    public void killSwitch(boolean on, String reason, String setBy) {
        if (!tail.followsControl()) {
            throw new IllegalStateException(
                    "topic " + Topics.CONTROL.name() + " does not exist: create it first");
        }
        ExecutorControl record = new ExecutorControl(on, reason, setBy, Instant.now());
        control.update(record, ControlWriter.write(config.kafkaClient(), record));
        LOG.warn("kill switch turned {} for every executor by {}", on ? "on" : "off", setBy);
    }

    /**
     * Turns the kill switch of {@code rule} (its actions' {@code produced_by} without version) on
     * or off for every executor, as {@link #killSwitch(boolean, String, String)} does the global
     * one.
     *
     * @throws IllegalArgumentException when {@code rule} is not a rule's name
     * @throws IllegalStateException when the control topic is missing or Kafka does not take it
     */
    public void killSwitch(String rule, boolean on, String reason, String setBy) {
        String key = ExecutorControl.ruleKey(rule);
        if (!tail.followsControl()) {
            throw new IllegalStateException(
                    "topic " + Topics.CONTROL.name() + " does not exist: create it first");
        }
        ExecutorControl record = new ExecutorControl(on, reason, setBy, Instant.now());
        control.updateRule(rule, record, ControlWriter.write(config.kafkaClient(), key, record));
        LOG.warn(
                "kill switch of rule {} turned {} for every executor by {}",
                rule,
                on ? "on" : "off",
                setBy);
    }

    public boolean killSwitch() {
        return control.killSwitchOn();
    }

    /** Where the kill switch stands and why. */
    public ControlState control() {
        return control;
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
                    settle();
                    boolean backedUp = adjustPauses();
                    ConsumerRecords<String, byte[]> records =
                            consumer.poll(backedUp ? BACKED_UP_POLL : config.pollTimeout());
                    dispatch(records);
                    if (System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
                        commit();
                        updateHeld();
                    }
                    updateLag();
                } catch (CommitFailedException | RetriableException e) {
                    // a rebalance took partitions away before the commit: their actions come
                    // back to whoever owns them now, and the ledger keeps them from applying twice
                    LOG.warn("could not commit offsets, going on: {}", e.getMessage());
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("executor loop stopped by an unexpected error", e);
        } finally {
            drain(pipelines.values());
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
     * Hands each record to its partition's pipeline, which runs it in the lane of its target:
     * partitions, and targets within a partition, are applied side by side, each target strictly in
     * order. Seeks, pauses and commits stay on this thread, which owns the consumer.
     */
    private void dispatch(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            PartitionPipeline pipeline =
                    pipelines.computeIfAbsent(
                            partition,
                            tp ->
                                    new PartitionPipeline(
                                            tp, workers, timers, Clock.systemUTC(), running::get));
            Coalesced labels = new Coalesced(pipeline);
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (!running.get() || !pipeline.accepts(record.offset())) {
                    break;
                }
                ActionRecord action = decode(record);
                long offset = record.offset();
                if (action == null) {
                    pipeline.skip(offset);
                    continue;
                }
                if (labels.takes(offset, action)) {
                    continue;
                }
                dispatch(pipeline, partition, offset, action);
            }
            // whatever stopped the loop, the actions taken in are handed over (a halted pipeline
            // leaves them for the retry), so that none is skipped past; before anything of this
            // partition is committed, which happens on this thread after this method
            labels.flushAll();
        }
    }

    /**
     * Hands one action to its lane: an action that is not due yet, or whose installation is rate
     * limited, holds its lane until then, not the partition.
     */
    private void dispatch(
            PartitionPipeline pipeline,
            TopicPartition partition,
            long offset,
            ActionRecord action) {
        if (action.type().read()) {
            readBacklog.taken(partition, offset);
        }
        pipeline.dispatch(
                offset,
                laneOf(action),
                action.notBefore(),
                () -> processor.limitedUntil(action).orElse(null),
                () ->
                        action.type().read()
                                ? processor
                                        .processLater(action)
                                        .acknowledged()
                                        .whenComplete(
                                                (done, error) ->
                                                        readBacklog.done(partition, offset))
                                : processor.processLater(action).acknowledged());
    }

    /**
     * {@code add_labels} actions for one item that are due, read in one poll of their partition:
     * they go to their lane as one step, which sends their labels in one request ({@link
     * ActionProcessor#processTogether}), whatever actions of other targets lie between them. An
     * action of another kind on the same item (a label removed, a comment) closes the item's group
     * first, so that the item's actions keep their order; the other lanes' actions are handed over
     * as they come, and the groups at the end of the poll. The group's offsets stay unfinished
     * until all of it is applied, so that the committed offset stays below its lowest.
     */
    private final class Coalesced {
        private final PartitionPipeline pipeline;

        /** The open groups, by lane, in the order they were opened. */
        private final Map<String, Group> open = new LinkedHashMap<>();

        private record Group(List<Long> offsets, List<ActionRecord> actions) {}

        Coalesced(PartitionPipeline pipeline) {
            this.pipeline = pipeline;
        }

        private boolean coalescable(ActionRecord action) {
            return action.type() == ActionType.ADD_LABELS
                    && (action.notBefore() == null || !action.notBefore().isAfter(Instant.now()));
        }

        /**
         * Takes the action into its lane's group when it may join one (or open one); else hands its
         * lane's open group over, so that the action can follow it, and returns false.
         */
        boolean takes(long offset, ActionRecord action) {
            String lane = laneOf(action);
            if (!coalescable(action)) {
                flush(lane);
                return false;
            }
            Group group =
                    open.computeIfAbsent(
                            lane, l -> new Group(new ArrayList<>(), new ArrayList<>()));
            group.offsets().add(offset);
            group.actions().add(action);
            return true;
        }

        /** Hands every open group over. */
        void flushAll() {
            for (String lane : List.copyOf(open.keySet())) {
                flush(lane);
            }
        }

        /** Hands the lane's open group over, as one step when it has more than one action. */
        private void flush(String lane) {
            Group group = open.remove(lane);
            if (group == null) {
                return;
            }
            List<ActionRecord> actions = List.copyOf(group.actions());
            if (actions.size() == 1) {
                dispatch(pipeline, pipeline.partition(), group.offsets().get(0), actions.get(0));
                return;
            }
            ActionRecord first = actions.get(0);
            pipeline.dispatch(
                    List.copyOf(group.offsets()),
                    lane,
                    null,
                    () -> processor.limitedUntil(first).orElse(null),
                    () -> processor.processTogether(actions));
        }
    }

    /**
     * The lane of an action: actions on one target share one and keep their order. The target is
     * the action's typed target (a record without one: its type's kind, {@link
     * ActionRecord#typedTarget()}), so run 7 and issue 7 are two lanes; issue 7 and pull request 7
     * are one, since they are one item on GitHub. The one place that says what a target is, for
     * lanes.
     */
    static String laneOf(ActionRecord action) {
        TypedTarget target = action.typedTarget();
        String repo = action.repo().toLowerCase(Locale.ROOT);
        return target.namesAnIssueOrPullRequest()
                ? repo + "#" + target.id()
                : repo + " " + target.kind().wireName() + ":" + target.id();
    }

    /**
     * Restarts pipelines that Kafka's refusal of a write halted, once their actions in flight are
     * done: from the first action not finished, after a pause.
     */
    private void settle() {
        for (PartitionPipeline pipeline : pipelines.values()) {
            RuntimeException fatal = pipeline.fatal();
            if (fatal != null) {
                throw new IllegalStateException(
                        "an action worker failed on " + pipeline.partition(), fatal);
            }
            pipeline.tidy();
            if (!pipeline.halted() || !pipeline.idle()) {
                continue;
            }
            RecordWriteException why = pipeline.restart();
            long from = pipeline.committable();
            LOG.warn(
                    "Kafka did not take a write, retrying the actions of {} from offset {}: {}",
                    pipeline.partition(),
                    from,
                    why == null ? "(no reason given)" : why.getMessage());
            consumer.seek(pipeline.partition(), from);
            pipeline.pauseUntil(Instant.now().plus(WRITE_FAILURE_PAUSE));
        }
    }

    /**
     * Pauses the partitions that are paused after a refused write, halted, have too many actions in
     * flight or hold too many that are not due yet, and resumes the others. Returns whether a
     * partition waits only for its backlog to shrink.
     */
    private boolean adjustPauses() {
        Instant now = Instant.now();
        boolean backedUp = false;
        for (PartitionPipeline pipeline : pipelines.values()) {
            TopicPartition partition = pipeline.partition();
            int inFlight = pipeline.inFlight();
            boolean full =
                    paused.contains(partition)
                            ? inFlight > MAX_IN_FLIGHT_PER_PARTITION / 2
                            : inFlight >= MAX_IN_FLIGHT_PER_PARTITION;
            boolean hold = pipeline.stillPaused(now) || pipeline.halted() || holdsTooMany(pipeline);
            backedUp |= full && !hold;
            if (hold || full) {
                pause(partition);
            } else if (paused.remove(partition)) {
                consumer.resume(List.of(partition));
            }
        }
        return backedUp;
    }

    /**
     * Whether a partition holds so many actions that are not due yet that it must stop fetching
     * (until half of them have started): logged and counted when it starts and ends.
     */
    private boolean holdsTooMany(PartitionPipeline pipeline) {
        TopicPartition partition = pipeline.partition();
        int held = pipeline.held();
        if (holdingTooMany.contains(partition)) {
            if (held > MAX_HELD_PER_PARTITION / 2) {
                return true;
            }
            holdingTooMany.remove(partition);
            LOG.info("{} holds {} actions that are not due yet: fetching again", partition, held);
            return false;
        }
        if (held < MAX_HELD_PER_PARTITION) {
            return false;
        }
        holdingTooMany.add(partition);
        metrics.heldPartitionPaused();
        LOG.warn(
                "{} holds {} actions that are not due yet (at most {}): it stops fetching until"
                        + " half of them have started; its other lanes wait meanwhile",
                partition,
                held,
                MAX_HELD_PER_PARTITION);
        return true;
    }

    /**
     * The deferral gauges: actions held until their not_before, across this executor's partitions.
     */
    private void updateHeld() {
        PartitionPipeline.HeldSummary all = PartitionPipeline.HeldSummary.NONE;
        for (PartitionPipeline pipeline : pipelines.values()) {
            all = all.plus(pipeline.heldSummary());
        }
        metrics.deferred(all.count(), all.oldest(), all.mostOverdue());
    }

    private void pause(TopicPartition partition) {
        if (paused.add(partition)) {
            consumer.pause(List.of(partition));
        }
    }

    /** Stops dispatching and waits for the actions in flight (and their audits) to finish. */
    private void drain(Collection<PartitionPipeline> draining) {
        draining.forEach(PartitionPipeline::stop);
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        for (PartitionPipeline pipeline : draining) {
            try {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!pipeline.awaitIdle(left)) {
                    LOG.warn(
                            "{} actions of {} still in flight after {}; their offsets stay"
                                    + " uncommitted",
                            pipeline.inFlight(),
                            pipeline.partition(),
                            DRAIN_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private ActionRecord decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            metrics.unreadableAction("empty");
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
            // without an action id, so it is logged with its coordinates and counted
            metrics.unreadableAction("invalid");
            LOG.error(
                    "skipping unreadable action {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return null;
        }
    }

    /** Commits, per partition, the offset before which every action's audit is in Kafka. */
    private void commit() {
        lastCommitNanos = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionPipeline pipeline : pipelines.values()) {
            long offset = pipeline.committable();
            Long done = committed.get(pipeline.partition());
            if (offset >= 0 && (done == null || offset > done)) {
                offsets.put(pipeline.partition(), new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitSync(offsets);
        offsets.forEach((tp, offset) -> committed.put(tp, offset.offset()));
    }

    private void updateLag() {
        long lag = 0;
        for (TopicPartition tp : consumer.assignment()) {
            lag += consumer.currentLag(tp).orElse(0);
        }
        metrics.lag(lag);
    }

    private void closeResources() {
        workers.shutdown();
        timers.shutdownNow();
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

    private static ExecutorService workers(int count) {
        AtomicInteger created = new AtomicInteger();
        return Executors.newFixedThreadPool(
                count,
                runnable -> {
                    Thread thread =
                            new Thread(runnable, "action-worker-" + created.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** One thread that wakes up held actions when they are due; it only completes futures. */
    private static ScheduledThreadPoolExecutor timers() {
        ScheduledThreadPoolExecutor timers =
                new ScheduledThreadPoolExecutor(
                        1,
                        runnable -> {
                            Thread thread = new Thread(runnable, "action-due-timer");
                            thread.setDaemon(true);
                            return thread;
                        });
        timers.setRemoveOnCancelPolicy(true);
        return timers;
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

    /** Finishes and commits what was started before partitions move to another executor. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drain(pipelinesOf(partitions));
            commit();
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // someone else may own them already: finish what is in flight, commit nothing
            drain(pipelinesOf(partitions));
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                // the executor that had them may have died just after its last snapshots and
                // audits, which the tail may not have read yet: an action it applied (offset not
                // committed) would look new. Read them before any action of these partitions;
                // failing that, the loop stops rather than apply without its history.
                tail.catchUp(CATCH_UP_TIMEOUT);
            }
            assigned = true;
        }

        private List<PartitionPipeline> pipelinesOf(Collection<TopicPartition> partitions) {
            List<PartitionPipeline> of = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                PartitionPipeline pipeline = pipelines.get(partition);
                if (pipeline != null) {
                    of.add(pipeline);
                }
            }
            return of;
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                // what was held of it is dropped: the next owner reads it from the committed offset
                pipelines.remove(partition);
                readBacklog.forget(partition);
                committed.remove(partition);
                paused.remove(partition);
                holdingTooMany.remove(partition);
            }
            assigned = !consumer.assignment().isEmpty();
        }
    }
}
