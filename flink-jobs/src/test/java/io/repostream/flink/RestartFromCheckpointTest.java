package io.repostream.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Sla;
import io.repostream.schemas.RepoPolicy.SlaTarget;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
 * comes back), and an SLA deadline set before the stop fires after it, once. The actions topic is
 * read to its end offsets, so a duplicate cannot go unread.
 */
class RestartFromCheckpointTest {
    private static final String REPO = "octo-org/widgets";
    private static final int SLA_ITEM = 41;
    private static final Duration RESPONSE_TARGET = Duration.ofSeconds(30);

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
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void restartingFromACheckpointLosesNoActionAndDuplicatesNone() throws Exception {
        // P0 items of this repo are due an answer in 30 s, so a deadline runs across the restart
        Sla fast =
                Sla.builder()
                        .targets(Map.of("P0", new SlaTarget(RESPONSE_TARGET, Duration.ofHours(1))))
                        .warnFraction(0.0)
                        .businessHoursOnly(false)
                        .build();
        send(
                Topics.CONFIG,
                REPO,
                RepoPolicy.builder(REPO).actionBudgetPerHour(300).sla(fast).updatedAt(NOW).build());
        List<GitHubEvent> firstBatch = openings(1, 20);
        firstBatch.forEach(e -> send(Topics.EVENTS, e.repo(), e));
        job = start(null);
        awaitActions(triaged(1, 20));

        // an SLA clock starts: once triage of #21, behind it on the same partition, is committed,
        // the checkpoint that committed it holds the item's deadline timers
        Instant slaOpened = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        GitHubEvent urgent = Events.issue("opened", REPO, SLA_ITEM, List.of("P0"), slaOpened);
        send(Topics.EVENTS, REPO, urgent);
        openings(21, 21).forEach(e -> send(Topics.EVENTS, e.repo(), e));
        awaitActions(triaged(1, 21));

        // more input while the job runs, so the stop lands with work after the last checkpoint
        openings(22, 30).forEach(e -> send(Topics.EVENTS, e.repo(), e));
        job.cancel().get(30, TimeUnit.SECONDS);
        Path checkpoint = Checkpoints.latest(checkpoints, job.getJobID().toString());
        job = null;

        // the poller redelivers the first openings: restored keyed state must recognise them
        firstBatch.forEach(
                e -> send(Topics.EVENTS, e.repo(), Events.redelivered(e, "poll-" + e.eventId())));
        send(Topics.EVENTS, REPO, Events.redelivered(urgent, "poll-" + urgent.eventId()));
        openings(31, 40).forEach(e -> send(Topics.EVENTS, e.repo(), e));
        job = start(checkpoint);

        List<String> expected = triaged(1, 40);
        String breach = "sla-monitor@1:" + REPO + "#" + SLA_ITEM + "@" + slaOpened;
        expected.add(breach + ":response-breach:label");
        expected.add(breach + ":response-breach:comment");
        awaitActions(expected);
        // a duplicate would show once more checkpoints have committed whatever was pending
        Checkpoints.awaitMore(checkpoints, job.getJobID().toString(), 2);

        assertThat(CommittedRecords.readToEnd(broker, Topics.ACTIONS, Duration.ofSeconds(30)))
                .extracting(r -> r.value().actionId())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Waits until every one of {@code ids} is committed on the actions topic. */
    private void awaitActions(List<String> ids) throws InterruptedException {
        CommittedRecords.await(
                broker,
                Topics.ACTIONS,
                all ->
                        all.stream()
                                .map(r -> r.value().actionId())
                                .collect(Collectors.toSet())
                                .containsAll(ids),
                Duration.ofSeconds(120));
    }

    private static List<String> triaged(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            ids.add("triage-label@1:" + REPO + "#" + n);
        }
        return ids;
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
                                // a quiet job's event time follows the wall clock 2 s behind
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(2),
                                config.kafkaProperties()))
                .build(env);
        return env.executeAsync("repostream-restart-test");
    }

    private static List<GitHubEvent> openings(int from, int to) {
        List<GitHubEvent> events = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            // distinct times, none ahead of the wall clock (event time must not run ahead of it)
            events.add(Events.issue("opened", REPO, n, List.of(), NOW.plusMillis(n)));
        }
        return events;
    }

    private <V> void send(Topic<String, V> topic, String key, V value) {
        String json = new String(topic.valueCodec().encode(value), StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, json)).get();
        } catch (Exception e) {
            throw new AssertionError("could not send to " + topic.name(), e);
        }
    }
}
