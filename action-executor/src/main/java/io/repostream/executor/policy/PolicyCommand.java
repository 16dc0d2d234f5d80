package io.repostream.executor.policy;

import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.topics.Topics;
import io.repostream.serviceconfig.KafkaOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code policy check|apply|show}: repo policies from YAML files to {@code github.config.v1}, where
 * the Flink job and the executor pick them up without a restart.
 */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description =
                "Repo policies: check YAML files, apply them to github.config.v1 (the Flink job and"
                        + " the executor follow without a restart), show what is in force.",
        subcommands = {
            PolicyCommand.Check.class,
            PolicyCommand.Apply.class,
            PolicyCommand.Show.class
        })
public final class PolicyCommand implements Runnable {
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Validate policy files; write nothing. Exit 0 if all are valid, 2 if not.")
    static final class Check implements java.util.concurrent.Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "YAML or JSON policy files")
        List<Path> files;

        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<RepoPolicy> policies = PolicyFiles.read(files, Instant.now());
            PrintWriter out = spec.commandLine().getOut();
            for (RepoPolicy p : policies) {
                out.println("valid: " + p.repo());
            }
            out.println(policies.size() + " valid " + plural(policies.size()));
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description =
                    "Validate every policy of the files, then write them all to github.config.v1"
                            + " keyed by repo (nothing is written if any is invalid).")
    static final class Apply implements java.util.concurrent.Callable<Integer> {
        @Mixin KafkaOptions kafka = new KafkaOptions();

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "YAML or JSON policy files")
        List<Path> files;

        @Option(names = "--dry-run", description = "validate and print the records; write nothing")
        boolean dryRun;

        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<RepoPolicy> policies = PolicyFiles.read(files, Instant.now());
            PrintWriter out = spec.commandLine().getOut();
            if (dryRun) {
                for (RepoPolicy p : policies) {
                    out.println("would apply " + p.repo() + ":");
                    out.print(PolicyFiles.toYaml(p));
                }
                out.flush();
                return 0;
            }
            Map<String, Object> props = new HashMap<>(kafka.client());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "repostream-policy-cli");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            try (KafkaProducer<String, byte[]> producer =
                    new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (RepoPolicy p : policies) {
                    sent.add(
                            producer.send(
                                    new ProducerRecord<>(
                                            Topics.CONFIG.name(),
                                            p.repo(),
                                            Topics.CONFIG.valueCodec().encode(p))));
                }
                for (int i = 0; i < sent.size(); i++) {
                    RecordMetadata m = await(sent.get(i));
                    out.println(
                            "applied "
                                    + policies.get(i).repo()
                                    + " ("
                                    + m.topic()
                                    + "-"
                                    + m.partition()
                                    + "@"
                                    + m.offset()
                                    + ")");
                }
            }
            out.flush();
            return 0;
        }

        private static RecordMetadata await(Future<RecordMetadata> f) throws Exception {
            try {
                return f.get(KAFKA_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "Kafka did not take the policy: " + e.getCause().getMessage(), e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not answer within " + KAFKA_TIMEOUT);
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print the policies in force (the latest on github.config.v1) as YAML.")
    static final class Show implements java.util.concurrent.Callable<Integer> {
        @Mixin KafkaOptions kafka = new KafkaOptions();

        @Option(names = "--repo", description = "only this owner/repo")
        String repo;

        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, RepoPolicy> latest = new TreeMap<>();
            Map<String, Object> props = new HashMap<>(kafka.client());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(
                            props, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<PartitionInfo> infos =
                        consumer.partitionsFor(Topics.CONFIG.name(), KAFKA_TIMEOUT);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException(
                            "topic " + Topics.CONFIG.name() + " does not exist");
                }
                List<TopicPartition> partitions =
                        infos.stream()
                                .map(i -> new TopicPartition(i.topic(), i.partition()))
                                .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
                long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
                while (!reached(consumer, end)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "could not read "
                                        + Topics.CONFIG.name()
                                        + " within "
                                        + KAFKA_TIMEOUT);
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.value() == null) {
                            latest.remove(r.key());
                        } else {
                            RepoPolicy p = Topics.CONFIG.valueCodec().decode(r.value());
                            latest.put(p.repo(), p);
                        }
                    }
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            String only = repo == null ? null : repo.toLowerCase(java.util.Locale.ROOT);
            int shown = 0;
            for (RepoPolicy p : latest.values()) {
                if (only == null || only.equals(p.repo())) {
                    out.print(PolicyFiles.toYaml(p));
                    shown++;
                }
            }
            if (shown == 0) {
                out.println(
                        only == null
                                ? "# no policies: every repo runs on the defaults"
                                : "# no policy for " + only + ": it runs on the defaults");
            }
            out.flush();
            return 0;
        }

        private static boolean reached(
                KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                if (consumer.position(e.getKey()) < e.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }

    private static String plural(int n) {
        return n == 1 ? "policy" : "policies";
    }
}
