package io.repostream.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the job and starts it again from its last retained checkpoint, on the real broker, and
 * shows that every action reaches {@code read_committed} readers exactly once: none lost (input
 * after the checkpoint is read again), none duplicated (uncommitted output is aborted, keyed state
 * comes back).
 */
class RestartFromCheckpointTest {
    private static final String REPO = "octo-org/widgets";

    /**
     * Events happen now: the job's event time follows the wall clock once its sources are quiet,
     * and old events would then breach every SLA at once.
     */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir Path checkpoints;

    private EmbeddedKafkaBroker broker;
    private KafkaProducer<String, String> producer;
    private JobClient job;
    private final JobConfig config =
            JobConfig.defaults("unset").withTransactionalIdPrefix("restart-" + System.nanoTime());

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(Topics.all());
        producer = new KafkaProducer<>(broker.producerProps());
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (job != null) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        producer.close();
        broker.close();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void restartingFromACheckpointLosesNoActionAndDuplicatesNone() throws Exception {
        List<GitHubEvent> firstBatch = openings(1, 20);
        firstBatch.forEach(this::send);
        job = start(null);
        broker.consume(Topics.ACTIONS, 20, Duration.ofSeconds(90));

        // more input while the job runs, so the stop lands with work after the last checkpoint
        openings(21, 30).forEach(this::send);
        job.cancel().get(30, TimeUnit.SECONDS);
        Path checkpoint = latestCheckpoint(job.getJobID().toString());
        job = null;

        // the poller redelivers the first openings: restored keyed state must recognise them
        firstBatch.forEach(e -> send(Events.redelivered(e, "poll-" + e.eventId())));
        openings(31, 40).forEach(this::send);
        job = start(checkpoint);

        broker.consume(Topics.ACTIONS, 40, Duration.ofSeconds(90));
        // let a few more checkpoints commit whatever a duplicate would look like
        Thread.sleep(3_000);
        List<ConsumerRecord<String, ActionRecord>> all =
                broker.consume(Topics.ACTIONS, 40, Duration.ofSeconds(30));

        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            expected.add("triage-label@1:" + REPO + "#" + n);
        }
        assertThat(all)
                .extracting(r -> r.value().actionId())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private JobClient start(Path restoreFrom) throws Exception {
        Configuration conf = RepostreamJob.localConfiguration(checkpoints, Duration.ofMillis(500));
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        RepostreamJob.fromKafka(
                        new JobConfig(
                                broker.bootstrapServers(),
                                config.groupId(),
                                config.transactionalIdPrefix(),
                                config.checkpointInterval(),
                                2,
                                config.maxOutOfOrderness(),
                                config.sourceIdleness(),
                                config.kafkaProperties()))
                .build(env);
        return env.executeAsync("repostream-restart-test");
    }

    private Path latestCheckpoint(String jobId) throws IOException {
        try (Stream<Path> dirs = Files.list(checkpoints.resolve(jobId))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(
                            Comparator.comparingLong(
                                    d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no completed checkpoint of " + jobId));
        }
    }

    private static List<GitHubEvent> openings(int from, int to) {
        List<GitHubEvent> events = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            events.add(Events.issue("opened", REPO, n, List.of(), NOW.plusSeconds(n)));
        }
        return events;
    }

    private void send(GitHubEvent event) {
        String json = new String(Topics.EVENTS.valueCodec().encode(event), StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.repo(), json)).get();
        } catch (Exception e) {
            throw new AssertionError("could not send " + event.eventId(), e);
        }
    }
}
