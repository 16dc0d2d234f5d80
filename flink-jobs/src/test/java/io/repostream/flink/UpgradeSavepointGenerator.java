package io.repostream.flink;

import static io.repostream.flink.UpgradeScenario.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the savepoint that {@link UpgradeFromSavepointTest} restores: runs the whole job of the
 * tree it is compiled in over {@link UpgradeScenario}'s events until every stateful operator holds
 * state, then stops it with a savepoint (canonical format) into {@code -Drepostream.savepoint.out}
 * (default {@value #DEFAULT_OUT}) with a {@code scenario.properties} that records the times the
 * test needs. Not part of the suite (its name is not a test's); run by hand on the commit whose
 * state is to be kept, see {@code src/test/resources/savepoints/README.md}.
 */
class UpgradeSavepointGenerator {
    static final String DEFAULT_OUT = "src/test/resources/savepoints/main-4c5c21f";

    @TempDir Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void writesASavepointWithStateInEveryStatefulOperator() throws Exception {
        Path out = Path.of(System.getProperty("repostream.savepoint.out", DEFAULT_OUT));
        // events happen now: a quiet job's event time follows the wall clock
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        List<GitHubEvent> events = UpgradeScenario.eventsBeforeSavepoint(t);
        String savepoint;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(broker.producerProps())) {
            broker.createTopics(Topics.all());
            UpgradeScenario.send(
                    producer, Topics.CONFIG.name(), REPO, UpgradeScenario.policyJson(t));
            JobClient job =
                    UpgradeScenario.start(
                            broker, dir.resolve("checkpoints"), "upgrade-gen-" + t, null);
            try {
                events.forEach(e -> UpgradeScenario.sendEvent(producer, e));
                List<String> expected = UpgradeScenario.actionsBeforeSavepoint();
                CommittedRecords.await(
                        broker,
                        Topics.ACTIONS,
                        all -> ids(all).containsAll(expected),
                        Duration.ofSeconds(120));
                // GitHub's answer to one of them: few requests left (the installation governor)
                UpgradeScenario.send(
                        producer, Topics.AUDIT.name(), REPO, UpgradeScenario.auditJson(t));
                // let the exactly-once sinks commit what they hold: no transaction pending
                Checkpoints.awaitMore(dir.resolve("checkpoints"), job.getJobID().toString(), 3);
                assertThat(
                                ids(
                                        CommittedRecords.readToEnd(
                                                broker, Topics.ACTIONS, Duration.ofSeconds(30))))
                        .as("nothing but the expected actions, no SLA breach yet")
                        .containsExactlyInAnyOrderElementsOf(expected);
                savepoint =
                        job.stopWithSavepoint(
                                        false,
                                        dir.resolve("savepoints").toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get(60, TimeUnit.SECONDS);
            } catch (Exception | AssertionError e) {
                job.cancel().get(30, TimeUnit.SECONDS);
                throw e;
            }
        }
        Instant takenAt = Instant.now();
        assertThat(Duration.between(t, takenAt))
                .as("the urgent item's deadline is still pending in the savepoint")
                .isLessThan(UpgradeScenario.URGENT_RESPONSE.minusMinutes(2));

        copy(Path.of(URI.create(savepoint)), out);
        Properties scenario = new Properties();
        scenario.setProperty("events_at", t.toString());
        scenario.setProperty("savepoint_taken_at", takenAt.toString());
        try (OutputStream o = Files.newOutputStream(out.resolve("scenario.properties"))) {
            scenario.store(o, "written by UpgradeSavepointGenerator");
        }
        System.out.printf("savepoint %s copied to %s: %d bytes%n", savepoint, out, size(out));
    }

    private static List<String> ids(
            List<ConsumerRecord<String, io.repostream.schemas.ActionRecord>> all) {
        return all.stream().map(r -> r.value().actionId()).collect(Collectors.toList());
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
