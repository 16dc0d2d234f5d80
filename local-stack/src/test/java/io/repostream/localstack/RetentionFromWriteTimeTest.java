package io.repostream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.executor.ActionExecutor;
import io.repostream.executor.ExecutorConfig;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARCHITECTURE.md rule 6: records are retained from the time they were written, not from the event
 * time they describe. An action caused by a 2019 event must still be on {@code github.actions.v1}
 * after the broker has run its time-based retention, so that an executor that was down when the job
 * wrote it still applies it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RetentionFromWriteTimeTest {
    private static final Duration RETENTION = Duration.ofDays(7);
    private static final String CANARY = "retention-canary";

    @TempDir Path workDir;

    @Test
    void anActionCausedByA2019EventOutlivesRetentionAndIsAppliedByAnExecutorStartedLate()
            throws Exception {
        try (EmbeddedKafkaBroker kafka =
                        EmbeddedKafkaBroker.startWith(
                                Map.of(
                                        "log.retention.check.interval.ms",
                                        "200",
                                        "log.retention.ms",
                                        String.valueOf(RETENTION.toMillis())));
                GitHubSimulator github = GitHubSimulator.start();
                Admin admin = Admin.create(kafka.adminProps())) {
            kafka.createTopics(Topics.all());
            String repo = DemoScript.exampleRepo();
            github.createRepo(repo);
            int issue = github.createIssue(repo, "Spelling error", "from 2019", "Codertocat");
            GitHubEvent opened = openedIn2019(issue);
            assertThat(opened.occurredAt()).isBefore(Instant.now().minus(RETENTION));

            JobClient job =
                    LocalStack.startFlinkJob(
                            kafka.bootstrapServers(), workDir.resolve("checkpoints"));
            try {
                publish(kafka, opened);
                ActionRecord action =
                        kafka.consume(Topics.ACTIONS, 1, Duration.ofMinutes(2)).get(0).value();
                assertThat(action.causedBy()).containsExactly(opened.eventId());

                awaitOneRetentionCheck(kafka, admin);

                List<ConsumerRecord<String, ActionRecord>> kept =
                        kafka.consume(Topics.ACTIONS, 1, Duration.ofSeconds(30));
                assertThat(kept).extracting(r -> r.value().actionId()).contains(action.actionId());
                assertThat(Instant.ofEpochMilli(kept.get(0).timestamp()))
                        .as("the record's Kafka timestamp is when it was written")
                        .isAfter(Instant.now().minus(Duration.ofHours(1)));
            } finally {
                job.cancel().get();
            }

            String token = "late-executor-token";
            github.addToken(token, LocalStack.GITHUB_TOKEN_LOGIN);
            try (ActionExecutor executor =
                    ActionExecutor.start(
                            ExecutorConfig.defaults(
                                    kafka.bootstrapServers(), github.baseUrl(), token))) {
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () ->
                                        github.labels(repo, issue)
                                                .contains(RepoPolicy.DEFAULT_TRIAGE_LABEL));
            }
        }
    }

    /** The real {@code issues.opened} example (May 2019), unlabelled, for the given issue. */
    private static GitHubEvent openedIn2019(int issue) throws Exception {
        DemoDelivery delivery = DemoScript.deliveries(issue).get(3);
        JsonNode payload = Json.mapper().readTree(delivery.body());
        Instant created = Instant.parse(payload.path("issue").path("created_at").asText());
        return new GitHubEvent(
                UUID.randomUUID().toString(),
                EventSource.WEBHOOK,
                "issues",
                "opened",
                DemoScript.repoOf(delivery.body()).toLowerCase(),
                null,
                null,
                created,
                Instant.now(),
                payload);
    }

    private static void publish(EmbeddedKafkaBroker kafka, GitHubEvent event) throws Exception {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        kafka.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    Topics.EVENTS.name(),
                                    event.repo(),
                                    Topics.EVENTS.valueCodec().encode(event)))
                    .get();
        }
    }

    /**
     * Waits until the broker has deleted a record stamped (as its create time) in 2019 from a topic
     * that keeps create times, with the same retention: from then on, the retention check has
     * looked at every topic at least once.
     */
    private static void awaitOneRetentionCheck(EmbeddedKafkaBroker kafka, Admin admin)
            throws Exception {
        admin.createTopics(
                        List.of(
                                new NewTopic(CANARY, 1, (short) 1)
                                        .configs(
                                                Map.of(
                                                        TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                                                        "CreateTime",
                                                        TopicConfig.RETENTION_MS_CONFIG,
                                                        String.valueOf(RETENTION.toMillis())))))
                .all()
                .get(30, TimeUnit.SECONDS);
        long in2019 = Instant.parse("2019-05-15T15:20:18Z").toEpochMilli();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        kafka.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    CANARY,
                                    null,
                                    in2019,
                                    "canary",
                                    "old".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        TopicPartition canary = new TopicPartition(CANARY, 0);
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                admin.listOffsets(Map.of(canary, OffsetSpec.earliest()))
                                                .partitionResult(canary)
                                                .get()
                                                .offset()
                                        > 0);
    }
}
