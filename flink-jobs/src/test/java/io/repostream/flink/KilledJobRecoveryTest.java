package io.repostream.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topic;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process running the job is killed with {@code kill -9} mid-stream ({@link JobProcess} in a
 * child JVM, {@link Process#destroyForcibly()}): no cancel, no final checkpoint, open transactions
 * left on the broker. A second process resumes from the latest completed checkpoint the first left
 * behind, and {@code read_committed} readers of the actions topic see every action exactly once:
 * none lost (input after the checkpoint is read again, transactions of a checkpoint that completed
 * but was not yet committed are committed on restore), none duplicated (the dead process's open
 * transactions are aborted, keyed state comes back). Nothing waits on a heartbeat timeout: the test
 * sees the process die and starts the next itself, as a deployment's supervisor would.
 */
class KilledJobRecoveryTest {
    private static final String REPO = "octo-org/widgets";

    /** Events happen now: event time follows the wall clock once the sources are quiet. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir Path dir;

    private EmbeddedKafkaBroker broker;
    private KafkaProducer<String, String> producer;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(Topics.all());
        producer = new KafkaProducer<>(broker.producerProps());
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        producer.close();
        broker.close();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aJobKilledMidStreamResumesFromItsLastCheckpointWithNoActionLostAndNoneDuplicated()
            throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        String transactionalIdPrefix = "kill-" + System.nanoTime();
        List<GitHubEvent> firstBatch = openings(1, 20);
        firstBatch.forEach(this::send);
        Process first = start(checkpoints, transactionalIdPrefix, null, "first.log");
        awaitActions(triaged(1, 20), "first.log");
        String firstJob = onlyJob(checkpoints, Set.of());

        // a burst of input; kill as soon as the first of it is committed, with the rest in flight
        openings(21, 60).forEach(this::send);
        awaitAnyAction(triaged(21, 60), "first.log");
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the first process is dead").isTrue();
        Path checkpoint = Checkpoints.latest(checkpoints, firstJob);

        // while it is down: the poller redelivers the first openings (restored keyed state must
        // recognise them), and new issues open
        firstBatch.forEach(e -> send(Events.redelivered(e, "poll-" + e.eventId())));
        openings(61, 70).forEach(this::send);
        start(checkpoints, transactionalIdPrefix, checkpoint, "second.log");

        List<String> expected = triaged(1, 70);
        awaitActions(expected, "second.log");
        // a duplicate would show once more checkpoints have committed whatever was pending
        String secondJob = onlyJob(checkpoints, Set.of(firstJob));
        Checkpoints.awaitMore(checkpoints, secondJob, 2);

        assertThat(CommittedRecords.readToEnd(broker, Topics.ACTIONS, Duration.ofSeconds(30)))
                .extracting(r -> r.value().actionId())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private Process start(Path checkpoints, String prefix, Path restoreFrom, String log)
            throws Exception {
        Process p =
                JobProcess.start(
                        broker.bootstrapServers(),
                        checkpoints,
                        prefix,
                        restoreFrom,
                        dir.resolve(log));
        processes.add(p);
        return p;
    }

    /** Waits until every one of {@code ids} is committed on the actions topic. */
    private void awaitActions(List<String> ids, String log) throws Exception {
        await(
                all -> all.containsAll(ids),
                "all of " + ids.get(0) + " .. " + ids.get(ids.size() - 1),
                log);
    }

    /** Waits until at least one of {@code ids} is committed on the actions topic. */
    private void awaitAnyAction(List<String> ids, String log) throws Exception {
        await(all -> ids.stream().anyMatch(all::contains), "any of " + ids.get(0) + " ..", log);
    }

    private void await(java.util.function.Predicate<Set<String>> done, String what, String log)
            throws Exception {
        try {
            CommittedRecords.await(
                    broker,
                    Topics.ACTIONS,
                    records ->
                            done.test(
                                    records.stream()
                                            .map(r -> r.value().actionId())
                                            .collect(Collectors.toSet())),
                    Duration.ofSeconds(60));
        } catch (AssertionError e) {
            throw new AssertionError(
                    "never committed " + what + "; the job process's log ends:\n" + tail(log), e);
        }
    }

    private String tail(String log) throws IOException {
        Path file = dir.resolve(log);
        if (!Files.exists(file)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The one job that has written checkpoints, other than {@code known}. */
    private static String onlyJob(Path checkpoints, Set<String> known) throws IOException {
        try (Stream<Path> jobs = Files.list(checkpoints)) {
            List<String> ids =
                    jobs.map(p -> p.getFileName().toString())
                            .filter(id -> !known.contains(id))
                            .toList();
            assertThat(ids).as("new job directories under " + checkpoints).hasSize(1);
            return ids.get(0);
        }
    }

    private static List<String> triaged(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            ids.add("triage-label@1:" + REPO + "#" + n);
        }
        return ids;
    }

    private static List<GitHubEvent> openings(int from, int to) {
        List<GitHubEvent> events = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            // distinct times, none ahead of the wall clock
            events.add(Events.issue("opened", REPO, n, List.of(), NOW.plusMillis(n)));
        }
        return events;
    }

    private void send(GitHubEvent event) {
        send(Topics.EVENTS, event.repo(), event);
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
