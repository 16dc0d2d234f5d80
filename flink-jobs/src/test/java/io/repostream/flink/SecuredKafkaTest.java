package io.repostream.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.topics.KafkaClientProperties;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka cluster that wants credentials: with {@code --kafka-properties-file} the job's sources
 * and exactly-once sinks (transactions included) work through a SASL/PLAIN listener.
 */
class SecuredKafkaTest {
    private static final String PASSWORD = "flink-kafka-password";
    private static final String REPO = "octo-org/secured";

    @TempDir Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readsAndWritesExactlyOnceThroughAnAuthenticatedListener() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (EmbeddedKafkaBroker broker =
                        EmbeddedKafkaBroker.startWithSaslPlain("repostream", PASSWORD);
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(broker.producerProps())) {
            broker.createTopics(Topics.all());
            Path file =
                    broker.writeSaslClientProperties(dir.resolve("client.properties"), PASSWORD);
            String event =
                    new String(
                            Topics.EVENTS
                                    .valueCodec()
                                    .encode(Events.issue("opened", REPO, 7, List.of(), now)),
                            StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), REPO, event)).get();

            JobConfig config =
                    FlinkMain.jobConfig(
                                    FlinkMain.options(
                                            new String[] {
                                                "--bootstrap-servers",
                                                broker.saslBootstrapServers(),
                                                "--kafka-properties-file",
                                                file.toString()
                                            },
                                            Map.of()))
                            .withTransactionalIdPrefix("secured-" + System.nanoTime());
            assertThat(config.kafkaProperties()).containsEntry("sasl.mechanism", "PLAIN");
            assertThat(config.toString()).doesNotContain(PASSWORD);

            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            RepostreamJob.localConfiguration(
                                    dir.resolve("checkpoints"), Duration.ofMillis(500)));
            env.setParallelism(2);
            RepostreamJob.fromKafka(config).build(env);
            JobClient job = env.executeAsync("repostream-secured-kafka");
            try {
                List<ConsumerRecord<String, ActionRecord>> actions =
                        broker.consume(Topics.ACTIONS, 1, Duration.ofSeconds(60));
                assertThat(actions)
                        .extracting(r -> r.value().actionId())
                        .containsExactly("triage-label@1:octo-org/secured#7");
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aPropertiesFileThatWeakensExactlyOnceIsRefused() throws Exception {
        Path file = dir.resolve("weak.properties");
        Files.writeString(file, "transactional.id=mine\n");

        assertThatThrownBy(
                        () ->
                                FlinkMain.jobConfig(
                                        FlinkMain.options(
                                                new String[0],
                                                Map.of(
                                                        "REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS",
                                                        "k:9092",
                                                        KafkaClientProperties.ENV_FILE,
                                                        file.toString()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sets transactional.id");
    }
}
