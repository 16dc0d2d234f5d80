package io.repostream.bench;

import io.repostream.flink.JobConfig;
import io.repostream.flink.RepostreamJob;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka → job → Kafka on one machine: writes a realistic event mix to {@code github.events.v1}
 * first (not timed), then starts the job (RocksDB, incremental checkpoints, exactly-once sinks,
 * parallelism 2) and times how long it takes until the action caused by the very last event is
 * committed. Then estimates state per open issue from the checkpoint's size.
 *
 * <p>Besides that overall figure, which includes job start-up and the last checkpoint, it measures
 * the <em>steady</em> rate: the job's source commits its offsets to Kafka with every checkpoint,
 * and a sampler reads them every 250 ms; the rate (and this JVM's CPU time per event) between the
 * samples at which 20 % and 80 % of the events were committed leaves start-up and the tail out.
 *
 * <p>Usage: {@code Bench <events> <repos> [job|source|keyed]}. {@code job} (the default) runs the
 * repostream job. The other two are floors that show what any job costs on this machine before its
 * rules do anything: {@code source} runs only the job's events source (read_committed, payloads
 * projected while parsed) into a discarding sink; {@code keyed} adds a key-by repo and one RocksDB
 * value state read and written per event.
 */
public final class Bench {
    private static final Duration MAX_WAIT = Duration.ofMinutes(20);

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int repos = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String mode = args.length > 2 ? args[2] : "job";
        if (!List.of("job", "source", "keyed").contains(mode)) {
            throw new IllegalArgumentException(
                    "mode must be job, source or keyed, not '" + mode + "'");
        }
        Path work = Files.createTempDirectory("repostream-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"))) {
            broker.createTopics(Topics.all());
            EventMix mix = new EventMix(repos, Instant.now().minus(Duration.ofHours(2)));
            long bytes = produce(broker, mix, events);
            System.out.printf(
                    "wrote %d events (%d MB of JSON, %d open issues/PRs) over %d repos%n",
                    events + 1, bytes >> 20, mix.opened - mix.closed, repos);

            Path checkpoints = work.resolve("checkpoints");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            RepostreamJob.localConfiguration(checkpoints, Duration.ofSeconds(2)));
            env.setParallelism(2);
            JobConfig config =
                    JobConfig.defaults(broker.bootstrapServers())
                            .withTransactionalIdPrefix("bench-" + System.nanoTime());
            // a diagnostic: BENCH_SOURCE_IDLENESS=PT1H keeps the watermark on event time for the
            // whole run (a backlogged partition is never taken for a caught-up one)
            String idleness = System.getenv("BENCH_SOURCE_IDLENESS");
            if (idleness != null && !idleness.isBlank()) {
                config =
                        config.withEventTime(
                                JobConfig.DEFAULT_MAX_OUT_OF_ORDERNESS, Duration.parse(idleness));
                System.out.println("source idleness " + idleness);
            }
            if (mode.equals("job")) {
                // the job's own cost, not GitHub's pacing: with the installation governor's 1 s write
                // slots, the marker's action would wait behind thousands of others for an hour
                RepostreamJob.fromKafka(config).withWriteSlots(Duration.ZERO, Duration.ZERO).build(env);
            } else {
                Floors.build(env, config, mode.equals("keyed"));
            }
            SourceProgress progress =
                    new SourceProgress(
                            broker, config.groupId() + "." + Topics.EVENTS.name(), events + 1);
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            JobClient job = env.executeAsync("repostream-bench-" + mode);
            progress.start();
            long actions = mode.equals("job") ? awaitMarker(broker) : -1;
            progress.awaitAll(MAX_WAIT);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            progress.close();
            System.out.printf(
                    "%s: read %d events in %.1f s (including job start and the last checkpoint):"
                            + " %.0f events/s%s%n",
                    mode,
                    events + 1,
                    seconds,
                    (events + 1) / seconds,
                    actions >= 0 ? "; " + actions + " actions committed" : "");
            // what the job cost whatever else the machine was doing: this JVM's CPU time (the
            // job, the in-process broker serving it, and the reader), per event
            System.out.printf(
                    "CPU time of this JVM meanwhile: %.1f s on %d cores (%.0f %% of them):"
                            + " %.0f events per CPU second%n",
                    cpuSeconds,
                    Runtime.getRuntime().availableProcessors(),
                    100 * cpuSeconds / (seconds * Runtime.getRuntime().availableProcessors()),
                    (events + 1) / cpuSeconds);
            System.out.println(progress.steadyState());

            Thread.sleep(5_000); // one more checkpoint with everything in it
            long stateBytes = size(checkpoints.resolve(job.getJobID().toString()));
            int open = mix.opened - mix.closed;
            System.out.printf(
                    "checkpointed state %d KB (all operators, incl. windows and offsets):"
                            + " %.0f bytes per open issue/PR%n",
                    stateBytes >> 10, (double) stateBytes / Math.max(open, 1));
            job.cancel().get();
        }
    }

    private static long produce(EmbeddedKafkaBroker broker, EventMix mix, int events)
            throws Exception {
        Map<String, Object> props = broker.producerProps();
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long bytes = 0;
        java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> firstRefusal =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i <= events; i++) {
                GitHubEvent event = i == events ? mix.marker() : mix.next();
                byte[] value = Topics.EVENTS.valueCodec().encode(event);
                bytes += value.length;
                producer.send(
                        new ProducerRecord<>(Topics.EVENTS.name(), event.key(), value),
                        (metadata, error) -> {
                            if (error != null) {
                                refused.incrementAndGet();
                                firstRefusal.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        }
        // an event Kafka refused is never read: waiting for it would wait for ever
        if (refused.get() > 0) {
            throw new IllegalStateException(
                    refused.get() + " of " + (events + 1) + " events were refused by Kafka, first: "
                            + firstRefusal.get());
        }
        return bytes;
    }

    /** Waits for the marker's triage action; returns how many actions were committed by then. */
    private static long awaitMarker(EmbeddedKafkaBroker broker) {
        Map<String, Object> props = broker.consumerProps("bench-reader");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        long count = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.ACTIONS.name());
            consumer.assign(
                    partitions.stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList());
            consumer.seekToBeginning(consumer.assignment());
            Map<String, Long> byRuleAndType = new java.util.TreeMap<>();
            java.util.regex.Pattern rule =
                    java.util.regex.Pattern.compile("\"produced_by\":\"([^\"]*)\"");
            java.util.regex.Pattern type = java.util.regex.Pattern.compile("\"type\":\"([^\"]*)\"");
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    java.util.regex.Matcher m = rule.matcher(r.value());
                    java.util.regex.Matcher t = type.matcher(r.value());
                    byRuleAndType.merge(
                            (m.find() ? m.group(1) : "?") + " " + (t.find() ? t.group(1) : "?"),
                            1L,
                            Long::sum);
                    if ("bench-org/marker".equals(r.key())) {
                        System.out.println("actions by rule and type: " + byRuleAndType);
                        return count;
                    }
                }
            }
        }
        throw new IllegalStateException("the marker's action did not arrive within " + MAX_WAIT);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
