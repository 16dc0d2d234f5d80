package io.repostream.executor.ledger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.repostream.executor.control.ControlState;
import io.repostream.executor.policy.PolicyStore;
import io.repostream.schemas.ExecutorControl;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.json.RecordValidationException;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the audit, snapshot and config topics from the beginning into the {@link Ledger} and the
 * {@link PolicyStore}, then keeps following them. Not thread-safe: one thread polls it.
 */
public final class TopicTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

    static final int FETCH_MIN_BYTES = 64 * 1024;
    static final Duration FETCH_MAX_WAIT = Duration.ofMillis(100);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Ledger ledger;
    private final PolicyStore policies;
    private final ControlState control;
    // decided once, before the tail thread starts: the admin API asks from its own thread, and a
    // KafkaConsumer refuses (ConcurrentModificationException) a call from a second thread while
    // the tail polls
    private final boolean followsControl;

    public TopicTail(String bootstrapServers, Ledger ledger, PolicyStore policies) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), ledger, policies);
    }

    /**
     * @param client Kafka client properties with {@code bootstrap.servers} (and any security
     *     settings); the tail adds its own consumer settings on top
     */
    public TopicTail(Map<String, Object> client, Ledger ledger, PolicyStore policies) {
        this(client, ledger, policies, new ControlState());
    }

    /**
     * @param client Kafka client properties with {@code bootstrap.servers} (and any security
     *     settings); the tail adds its own consumer settings on top
     * @param control follows {@code github.control.v1} (the kill switch), when that topic exists
     */
    public TopicTail(
            Map<String, Object> client, Ledger ledger, PolicyStore policies, ControlState control) {
        Map<String, Object> props = new HashMap<>(client);
        Object bootstrapServers = client.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // a busy executor writes two records per action to what it follows: let the broker gather
        // them into one answer every FETCH_MAX_WAIT instead of answering each as it arrives (a
        // kill switch or policy change then reaches the executor within that time)
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) FETCH_MAX_WAIT.toMillis());
        this.consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.ledger = ledger;
        this.policies = policies;
        this.control = control;
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<String, ?> topic : List.of(Topics.AUDIT, Topics.SNAPSHOTS, Topics.CONFIG)) {
            List<PartitionInfo> infos =
                    consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "topic " + topic.name() + " does not exist on " + bootstrapServers);
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        List<PartitionInfo> controlInfos =
                consumer.partitionsFor(Topics.CONTROL.name(), Duration.ofSeconds(30));
        if (controlInfos == null || controlInfos.isEmpty()) {
            // an installation from before the control topic: run, but say what is missing
            LOG.warn(
                    "topic {} does not exist on {}: the kill switch works only through"
                            + " --kill-switch on this executor until it is created",
                    Topics.CONTROL.name(),
                    bootstrapServers);
        } else {
            controlInfos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        this.followsControl = controlInfos != null && !controlInfos.isEmpty();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Whether {@code github.control.v1} exists (and so is followed). */
    public boolean followsControl() {
        return followsControl;
    }

    private static String describe(ExecutorControl c) {
        return "by " + c.setBy() + " at " + c.at() + (c.reason() == null ? "" : ": " + c.reason());
    }

    /** Reads until every partition's end offset as of now: the ledger then knows all history. */
    public void catchUp(Duration timeout) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(ends)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read the audit, snapshot and config topics within " + timeout);
            }
            pollOnce(Duration.ofMillis(200));
        }
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Applies whatever arrived since the last call. */
    public int pollOnce(Duration timeout) {
        int count = 0;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            apply(record);
            count++;
        }
        return count;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        try {
            if (topic.equals(Topics.CONTROL.name())) {
                if (ExecutorControl.KEY.equals(record.key())) {
                    ExecutorControl next =
                            record.value() == null
                                    ? null
                                    : Topics.CONTROL.valueCodec().decode(record.value());
                    boolean was = control.killSwitchOn();
                    control.update(next, record.offset());
                    if (was != control.killSwitchOn()) {
                        LOG.warn(
                                "kill switch {} ({})",
                                control.killSwitchOn() ? "on" : "off",
                                next == null ? "record removed" : describe(next));
                    }
                } else if (ExecutorControl.ruleOf(record.key()) != null) {
                    String rule = ExecutorControl.ruleOf(record.key());
                    ExecutorControl next =
                            record.value() == null
                                    ? null
                                    : Topics.CONTROL.valueCodec().decode(record.value());
                    boolean was = control.ruleKilled(rule);
                    control.updateRule(rule, next, record.offset());
                    if (was != control.ruleKilled(rule)) {
                        LOG.warn(
                                "kill switch of rule {} {} ({})",
                                rule,
                                control.ruleKilled(rule) ? "on" : "off",
                                next == null ? "record removed" : describe(next));
                    }
                }
            } else if (topic.equals(Topics.CONFIG.name())) {
                if (record.value() == null) {
                    policies.remove(record.key());
                } else {
                    policies.put(Topics.CONFIG.valueCodec().decode(record.value()));
                }
            } else if (record.value() == null) {
                // a tombstone on the compacted snapshot topic: nothing to remember
            } else if (topic.equals(Topics.AUDIT.name())) {
                if (!ownAudit(record.value())) {
                    ledger.add(Topics.AUDIT.valueCodec().decode(record.value()));
                }
            } else if (topic.equals(Topics.SNAPSHOTS.name())) {
                // keyed by action id; the executor's own snapshots are in the ledger already
                if (record.key() == null || ledger.snapshot(record.key()).isEmpty()) {
                    ledger.add(Topics.SNAPSHOTS.valueCodec().decode(record.value()));
                }
            }
        } catch (RecordValidationException e) {
            // someone else's bad record must not stop the executor; it stays on the topic
            LOG.error(
                    "skipping unreadable record {}-{}@{}: {}",
                    topic,
                    record.partition(),
                    record.offset(),
                    e.getMessage());
        }
    }

    /**
     * Whether this is an audit record the executor wrote itself (and so has in its ledger): a cheap
     * look at the audit id spares validating and binding each of our own records again.
     */
    private boolean ownAudit(byte[] value) {
        // a streaming look: the audit id comes first, and the rest is skipped without a tree
        try (JsonParser parser = Json.mapper().getFactory().createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                if ("audit_id".equals(field)) {
                    return token == JsonToken.VALUE_STRING && ledger.knowsAudit(parser.getText());
                }
                parser.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false; // the full decode reports what is wrong with it
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
