package io.repostream.executor.bench;

import io.repostream.executor.ActionExecutor;
import io.repostream.executor.ExecutorConfig;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Throughput of the executor with snapshot and audit: a backlog of label actions on the real
 * in-process broker, applied to the GitHub simulator with its limits off. Prints the actions per
 * second from the executor's start until the last audit record is in Kafka, and the steady rate
 * after a warm-up: the first audits, which pay for the JIT compiling everything in this JVM.
 *
 * <p>Arguments: {@code [actions] [repos] [warm-up actions] [add]}, default 30000 actions measured
 * over 12 repos after 120000 to warm up; {@code add} makes every action an {@code add_labels} of a
 * new label instead of alternating add and remove. {@code -Dbench.jfr=FILE} records a Flight
 * Recorder profile of the measured phase.
 */
public final class ExecutorBench {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("arguments: [actions (30000)] [repos (12)] [warm-up actions (120000)] [add]");
            return;
        }
        int actions = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int repos = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 120_000;
        boolean addOnly = args.length > 3 && args[3].equals("add");
        int total = warmup + actions;
        int issuesPerRepo = 50;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start();
                GitHubSimulator github = GitHubSimulator.start()) {
            kafka.createTopics(Topics.all());
            github.setLimitsEnabled(false);
            // limits off still counts requests in x-ratelimit-remaining, which the executor obeys
            github.setPrimaryLimit(100_000_000);
            for (int r = 0; r < repos; r++) {
                github.createRepo("bench/repo-" + r);
                for (int i = 0; i < issuesPerRepo; i++) {
                    github.createIssue("bench/repo-" + r, "Issue " + i, "", "alice");
                }
            }
            produce(kafka, total, repos, issuesPerRepo, addOnly);
            System.out.printf("%d actions over %d repos on the actions topic (the first %d to warm up)%n", total, repos, warmup);

            ExecutorConfig config =
                    ExecutorConfig.defaults(kafka.bootstrapServers(), github.baseUrl(), GitHubSimulator.DEFAULT_TOKEN)
                            .withGroupId("bench")
                            .withoutPacing();
            Mark start = Mark.now(0, 0);
            Mark warm;
            Mark end;
            try (ActionExecutor executor = ActionExecutor.start(config)) {
                Mark[] marks = awaitAudits(kafka, total, warmup, Duration.ofMinutes(15));
                warm = marks[0] == null ? start : marks[0];
                end = marks[1];
            }
            long mutations = github.mutations().size();
            System.out.printf(
                    "applied %d of %d actions in %.1f s: %.0f actions/s from the executor's start (snapshot + mutation + audit each); GitHub saw %d mutations, %d requests%n",
                    end.applied, total, end.seconds(start), end.rate(start), mutations, github.requestCount());
            // the whole JVM (broker, simulator, executor, this reader): CPU time does not depend on
            // what else runs on the machine, so it compares runs better than the rate does
            System.out.printf("  CPU time of this JVM meanwhile: %.1f s, %.2f ms per action, on %d cores%n",
                    end.cpuSeconds(start), end.cpuMsPerAction(start), Runtime.getRuntime().availableProcessors());
            if (warmup > 0) {
                System.out.printf(
                        "after the first %d audits: %d actions in %.1f s: %.0f actions/s, JVM CPU %.2f ms per action%n",
                        warm.seen, end.applied - warm.applied, end.seconds(warm), end.rate(warm), end.cpuMsPerAction(warm));
            }
            ThreadCpu.print(warm.threads, end.threads, end.applied - warm.applied);
        }
    }

    /** A point of the run: time, the JVM's CPU time, its threads' CPU, audits seen and applied. */
    private record Mark(long nanos, long cpuNanos, Map<String, Long> threads, long seen, long applied) {
        private static final OperatingSystemMXBean OS =
                (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        static Mark now(long seen, long applied) {
            return new Mark(System.nanoTime(), OS.getProcessCpuTime(), ThreadCpu.byGroup(), seen, applied);
        }

        double seconds(Mark from) {
            return (nanos - from.nanos) / 1e9;
        }

        double rate(Mark from) {
            return (applied - from.applied) / seconds(from);
        }

        double cpuSeconds(Mark from) {
            return (cpuNanos - from.cpuNanos) / 1e9;
        }

        double cpuMsPerAction(Mark from) {
            return cpuSeconds(from) * 1000 / Math.max(1, applied - from.applied);
        }
    }

    /**
     * The backlog, round-robin over the repos and their issues. By default each issue alternates
     * {@code add_labels} of a new label and {@code remove_label} of it, so an issue keeps the
     * handful of labels a real one has; {@code add} only adds, one new label each time, so an
     * issue's labels (which every read and answer carries) grow with the run.
     */
    private static void produce(EmbeddedKafkaBroker kafka, int actions, int repos, int issuesPerRepo, boolean addOnly)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < actions; i++) {
                String repo = "bench/repo-" + (i % repos);
                long issue = 1 + (i / repos) % issuesPerRepo;
                int round = i / (repos * issuesPerRepo); // how many actions this issue had before
                var params = Json.mapper().createObjectNode();
                ActionType type;
                if (addOnly || round % 2 == 0) {
                    type = ActionType.ADD_LABELS;
                    params.putArray("labels").add("bench-" + round);
                } else {
                    type = ActionType.REMOVE_LABEL;
                    params.put("label", "bench-" + (round - 1));
                }
                ActionRecord action =
                        new ActionRecord("bench-" + i, repo, issue, type, params, "benchmark", List.of(), 1.0,
                                "bench@1", List.of(), null, Instant.now(), null, null, false);
                sent.add(producer.send(new ProducerRecord<>(Topics.ACTIONS.name(), repo, Topics.ACTIONS.valueCodec().encode(action))));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }
    }

    /** Reads audit records until all are in; the marks where {@code warmup} were seen and at the end. */
    private static Mark[] awaitAudits(EmbeddedKafkaBroker kafka, int expected, int warmup, Duration timeout) {
        Map<String, Object> props = kafka.consumerProps("unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // fewer, fuller fetches: this reader shares the broker and the cores with what it measures
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        long applied = 0;
        Mark warm = null;
        Profile profile = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(Topics.AUDIT.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long seen = 0;
            while (seen < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    seen++;
                    // the outcome alone, streamed: this reader shares the cores with what it measures
                    if (AuditOutcome.APPLIED.wireName().equals(outcomeOf(record.value()))) {
                        applied++;
                    } else if (seen - applied <= 3) {
                        AuditRecord audit = Topics.AUDIT.valueCodec().decode(record.value());
                        System.out.printf("not applied: %s %s%n", audit.outcome().wireName(), audit.error());
                    }
                }
                if (warm == null && warmup > 0 && seen >= warmup) {
                    warm = Mark.now(seen, applied);
                    profile = Profile.startIfAsked();
                }
            }
            Mark end = Mark.now(seen, applied);
            if (profile != null) {
                profile.stop();
            }
            return new Mark[] {warm, end};
        }
    }

    private static String outcomeOf(byte[] audit) {
        try (JsonParser parser = Json.mapper().getFactory().createParser(audit)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if ("outcome".equals(field)) {
                    return parser.getValueAsString();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
