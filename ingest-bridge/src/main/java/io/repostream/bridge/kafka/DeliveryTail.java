package io.repostream.bridge.kafka;

import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link SeenDeliveries} in step with {@code github.events.v1}: on start it reads the last
 * dedupe window of events (so a restarted bridge still knows what it wrote), then follows the topic
 * (so replicas learn each other's writes). Kafka is the dedupe store; nothing lives only in memory.
 */
public final class DeliveryTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryTail.class);

    private final KafkaConsumer<Void, String> consumer;
    private final SeenDeliveries seen;
    private final Duration window;
    private final Clock clock;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;
    private volatile Duration timeout = Duration.ofSeconds(30);
    private volatile RuntimeException failure;

    public DeliveryTail(
            String bootstrapServers,
            Map<String, String> extra,
            SeenDeliveries seen,
            Duration window,
            Clock clock) {
        Map<String, Object> props = new HashMap<>();
        // Nobody waits on the tail (this bridge's own writes are remembered as they are
        // acknowledged): fewer, fuller fetches cost the broker and this thread less.
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 512 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.putAll(extra);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "repostream-ingest-bridge-dedupe");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new IgnoredKey(), new EventIdOnly());
        this.seen = seen;
        this.window = window;
        this.clock = clock;
        this.thread = new Thread(this::run, "repostream-bridge-dedupe-tail");
        this.thread.setDaemon(true);
    }

    /**
     * Starts following and waits until the window up to now has been read.
     *
     * @throws IllegalStateException when that does not happen within {@code timeout}
     */
    public void startAndCatchUp(Duration timeout) {
        this.timeout = timeout;
        started = true;
        thread.start();
        try {
            if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "could not read the dedupe window from "
                                + Topics.EVENTS.name()
                                + " within "
                                + timeout.toSeconds()
                                + " s: is Kafka reachable?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the dedupe window", e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void run() {
        try {
            Map<TopicPartition, Long> end = seekToWindow();
            int loaded = 0;
            while (running && !reached(end)) {
                loaded += poll();
            }
            LOG.info(
                    "dedupe window loaded: {} delivery ids from {} partitions of {}",
                    loaded,
                    end.size(),
                    Topics.EVENTS.name());
            caughtUp.countDown();
            while (running) {
                poll();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure =
                    new IllegalStateException(
                            "cannot read the dedupe window from "
                                    + Topics.EVENTS.name()
                                    + " (is Kafka reachable?): "
                                    + e.getMessage(),
                            e);
            LOG.error("dedupe tail of {} stopped", Topics.EVENTS.name(), e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private Map<TopicPartition, Long> seekToWindow() {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.EVENTS.name(), timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.EVENTS.name() + " does not exist");
        }
        List<TopicPartition> partitions =
                infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        long from = clock.millis() - window.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp start = offsets.get(p);
            consumer.seek(p, start == null ? end.get(p) : start.offset());
        }
        return end;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private int poll() {
        int n = 0;
        for (ConsumerRecord<Void, String> record : consumer.poll(Duration.ofMillis(200))) {
            for (Header fingerprint : record.headers().headers(EventLog.FINGERPRINT_HEADER)) {
                seen.add(
                        new String(fingerprint.value(), StandardCharsets.UTF_8),
                        record.timestamp());
            }
            if (record.value() != null) {
                seen.add(record.value(), record.timestamp());
                n++;
            }
        }
        return n;
    }

    /** Record keys are not needed: not even decoded. */
    private static final class IgnoredKey implements Deserializer<Void> {
        @Override
        public Void deserialize(String topic, byte[] data) {
            return null;
        }

        @Override
        public Void deserialize(String topic, Headers headers, ByteBuffer data) {
            return null;
        }
    }

    /**
     * A record's event id: its {@link EventLog#EVENT_ID_HEADER}, without copying the 10-30 KB value
     * out of the fetched batch; only a record written by something other than a bridge is parsed
     * for its {@code event_id}. Null when there is none.
     */
    private static final class EventIdOnly implements Deserializer<String> {
        @Override
        public String deserialize(String topic, byte[] data) {
            return deserialize(topic, null, data == null ? null : ByteBuffer.wrap(data));
        }

        @Override
        public String deserialize(String topic, Headers headers, ByteBuffer data) {
            Header header = headers == null ? null : headers.lastHeader(EventLog.EVENT_ID_HEADER);
            if (header != null) {
                return new String(header.value(), StandardCharsets.UTF_8);
            }
            if (data == null) {
                return null;
            }
            byte[] value = new byte[data.remaining()];
            data.duplicate().get(value);
            try {
                var id = Json.mapper().readTree(value).path("event_id");
                return id.isTextual() ? id.asText() : null;
            } catch (java.io.IOException e) {
                return null;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
